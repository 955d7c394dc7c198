// SPDX-License-Identifier: GPL-2.0
/*
 * The lock model: actions, attribution and events; see lock.h. An action
 * is recorded before the driver is asked, so that after a crash the agent
 * can ask the driver, by cookie, how it ended.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "device_link.h"
#include "door_sensor.h"
#include "event.h"
#include "event_stream.h"
#include "fdwatch.h"
#include "ids.h"
#include "lock.h"
#include "log.h"
#include "webhooks.h"

static const char * const status_names[] = {
	[ACTION_SUBMITTING] = "pending",
	[ACTION_PENDING] = "pending",
	[ACTION_SUCCESS] = "success",
	[ACTION_FAILED] = "failed",
};

static const char * const door_state_names[] = {
	[DOOR_UNKNOWN] = "unknown",
	[DOOR_CLOSED] = "closed",
	[DOOR_OPEN] = "open",
};

static json_t *event_new(const struct lock *l, enum event_type type)
{
	char ts[IDS_ISO8601_LEN];

	time_iso8601(time(NULL), ts);
	return json_pack("{s:s, s:s, s:s}", "event_type",
			 event_type_names[type], "device_id",
			 l->cfg->lock_id, "timestamp", ts);
}

/*
 * Commits @ev, and with it @a (inserted when @insert, else updated) and
 * the lock's online state (@online 0 or 1; -1 leaves it), then publishes
 * it. The event goes nowhere unless the commit succeeded.
 */
static bool resting(unsigned int bolt_state)
{
	return bolt_state == DOORLOCK_BOLT_LOCKED ||
	       bolt_state == DOORLOCK_BOLT_UNLOCKED;
}

/* The bolt's rest now, with the driver's counters if it can be asked. */
static void rest_now(struct lock *l, struct rest_rec *r)
{
	struct doorlock_status st;

	r->bolt_state = l->bolt_state;
	r->moves = -1;
	r->manual = -1;
	if (l->online && !device_link_status(l, &st)) {
		r->moves = (long long)st.lock_count + st.unlock_count;
		r->manual = st.manual_count;
	}
}

static int commit_event(struct lock *l, json_t *ev, struct action_rec *a,
			bool insert, int online)
{
	struct agent *ag = l->agent;
	struct rest_rec rest;
	long long seq;
	char *text;
	int ret;

	if (!ev)
		return -ENOMEM;
	ret = store_begin(ag->store);
	if (ret)
		goto out;
	if (a)
		ret = insert ? store_action_insert(ag->store, a) :
		      store_action_update(ag->store, a);
	if (!ret && online >= 0)
		ret = store_online_put(ag->store, l->cfg->lock_id, online);
	/*
	 * Where the bolt rests as this action's news leaves it, whatever
	 * its outcome (a failed action may still have reached an end-stop),
	 * in the same transaction as the news.
	 */
	if (!ret && a && a->status >= ACTION_SUCCESS && resting(l->bolt_state)) {
		rest_now(l, &rest);
		ret = store_rest_put(ag->store, l->cfg->lock_id, &rest);
	}
	if (!ret)
		ret = store_event_append(ag->store, l->cfg->lock_id, ev, &seq);
	if (!ret)
		ret = store_commit(ag->store);
	if (ret) {
		store_rollback(ag->store);
		log_err("%s: could not record %s: %s", l->cfg->lock_id,
			json_string_value(json_object_get(ev, "event_type")),
			strerror(-ret));
		goto out;
	}
	log_info("%s: event %lld %s", l->cfg->lock_id, seq,
		 json_string_value(json_object_get(ev, "event_type")));
	text = json_dumps(ev, JSON_COMPACT);
	if (text) {
		event_stream_publish(ag->stream, text);
		free(text);
	}
	webhooks_kick(ag);
out:
	json_decref(ev);
	return ret;
}

/* Ends action @a with @result and records lock.action_completed. */
static int finish_action(struct lock *l, struct action_rec *a,
			 unsigned int result, bool insert)
{
	const struct api_error_info *info;
	json_t *ev;
	int ret;

	a->result = result;
	a->status = result == API_RESULT_OK ? ACTION_SUCCESS : ACTION_FAILED;
	a->completed_at = time(NULL);
	ev = event_new(l, EVENT_ACTION_COMPLETED);
	if (!ev)
		return -ENOMEM;
	json_object_set_new(ev, "action_id", json_string(a->action_id));
	if (a->custom_id[0])
		json_object_set_new(ev, "custom_id", json_string(a->custom_id));
	json_object_set_new(ev, "action",
			    json_string(api_action_name(a->action)));
	json_object_set_new(ev, "status",
			    json_string(status_names[a->status]));
	json_object_set_new(ev, "performed_via",
			    json_string(a->performed_via));
	info = api_result_info(result, a->action);
	if (info) {
		json_object_set_new(ev, "error_code", json_string(info->code));
		json_object_set_new(ev, "message", json_string(info->message));
	}
	/*
	 * As the driver keeps it: the outcome of the last commanded action,
	 * but not an abort or a vanished device, which say nothing about the
	 * mechanism.
	 */
	if (strcmp(a->performed_via, LOCK_VIA_MANUAL_TURN) &&
	    result != API_RESULT_FIRMWARE_REJECTED &&
	    result != API_RESULT_DEVICE_OFFLINE)
		l->last_error = result;
	ret = commit_event(l, ev, a, insert, -1);
	/* Not recorded: still in flight here, settled again by lock_tick. */
	if (!ret && l->busy && !strcmp(l->inflight.action_id, a->action_id))
		l->busy = false;
	return ret;
}

/* A movement nobody here asked for: a new, already finished action. */
static int record_unrequested(struct lock *l, unsigned int action,
			      unsigned int result, const char *via)
{
	struct action_rec a;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = id_new(a.action_id, sizeof(a.action_id), "act_");
	if (ret)
		return ret;
	snprintf(a.lock_id, sizeof(a.lock_id), "%s", l->cfg->lock_id);
	snprintf(a.performed_via, sizeof(a.performed_via), "%s", via);
	a.action = action;
	a.created_at = time(NULL);
	return finish_action(l, &a, result, true);
}

static void set_online(struct lock *l, bool online)
{
	struct agent *ag = l->agent;
	bool was;
	int ret;

	l->online = online;
	l->updated_at = time(NULL);
	ret = store_online_get(ag->store, l->cfg->lock_id, &was);
	if (!ret && was == online)
		return;
	log_info("%s: device %s is %s", l->cfg->lock_id, l->cfg->device,
		 online ? "online" : "offline");
	commit_event(l, event_new(l, online ? EVENT_DEVICE_ONLINE :
				  EVENT_DEVICE_OFFLINE), NULL, false, online);
}

/* Every unfinished action of this lock fails: the device is not there. */
static void fail_unfinished(struct lock *l)
{
	struct action_rec a;

	if (l->busy && finish_action(l, &l->inflight, API_RESULT_DEVICE_OFFLINE,
				     false))
		l->busy = false;
	while (!store_action_unfinished(l->agent->store, l->cfg->lock_id, &a))
		if (finish_action(l, &a, API_RESULT_DEVICE_OFFLINE, false))
			break;
}

/*
 * After a restart or a lost event: asks the driver how each unfinished
 * action ended. One it never heard of cannot be in flight any more.
 */
static void settle_unfinished(struct lock *l)
{
	struct doorlock_result_query q;
	struct action_rec a;
	int ret;

	if (l->busy) {
		a = l->inflight;
	} else if (store_action_unfinished(l->agent->store, l->cfg->lock_id,
					   &a)) {
		return;
	}
	for (;;) {
		ret = device_link_result(l, a.cookie, &q);
		if (!ret && q.pending) {
			a.status = ACTION_PENDING;
			l->inflight = a;
			l->busy = true;
			return;
		}
		if (finish_action(l, &a, ret ? API_RESULT_DEVICE_OFFLINE :
				  api_result_from_driver(q.result), false))
			return;
		if (store_action_unfinished(l->agent->store, l->cfg->lock_id,
					    &a))
			return;
	}
}

/*
 * The bolt rests on the other end-stop from the one the log last left it
 * on, once every action of ours is settled: it moved while nobody heard
 * (the device offline, doorlockd down, events lost). Said now, so a cloud
 * following the events is not left with a stale state. The driver's
 * counters say who moved it: its manual moves a hand, its locks and
 * unlocks another program (local_command). Counters that went back (the
 * driver was reloaded) cannot say; a hand is then the likelier.
 */
static void report_missed_turn(struct lock *l, const struct doorlock_status *st)
{
	long long moves = (long long)st->lock_count + st->unlock_count;
	const char *via = LOCK_VIA_MANUAL_TURN;
	struct rest_rec was;

	if (!resting(st->bolt_state) ||
	    store_rest_get(l->agent->store, l->cfg->lock_id, &was) ||
	    !resting(was.bolt_state) || was.bolt_state == st->bolt_state)
		return;
	if (was.moves >= 0 && st->manual_count == was.manual &&
	    moves > was.moves)
		via = LOCK_VIA_LOCAL_COMMAND;
	log_info("%s: the bolt moved while unobserved (%s)", l->cfg->lock_id,
		 via);
	record_unrequested(l, st->bolt_state == DOORLOCK_BOLT_LOCKED ?
			   DOORLOCK_ACTION_LOCK : DOORLOCK_ACTION_UNLOCK,
			   API_RESULT_OK, via);
}

/*
 * The device's queue holds what came after the open; the status read
 * after it has told what came before, so the queue's older records are
 * skipped.
 */
void lock_online(struct lock *l, int device, int fd,
		 const struct doorlock_status *st)
{
	l->device = device;
	l->fd = fd;
	l->resync_seq = st->seq;
	l->resynced = true;
	l->bolt_state = st->bolt_state;
	l->last_error = api_result_from_driver(st->last_error);
	set_online(l, true);
	settle_unfinished(l);
	if (!l->busy)
		report_missed_turn(l, st);
}

void lock_offline(struct lock *l)
{
	/* Its hang-up must not take a returning device offline later. */
	fdwatch_remove(l->dev_watch);
	l->dev_watch = NULL;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	l->device = -1;
	if (l->online || !l->updated_at)
		set_online(l, false);
	fail_unfinished(l);
}

void lock_driver_event(struct lock *l, const struct doorlock_event *ev)
{
	unsigned int result;
	struct action_rec a;

	/*
	 * Queued before the resync read the driver's state: told already.
	 * The queue is in order, so once one is newer, all after it are.
	 */
	if (l->resynced && (int)(ev->seq - l->resync_seq) <= 0)
		return;
	l->resynced = false;
	l->bolt_state = ev->bolt_state;
	l->updated_at = time(NULL);
	switch (ev->type) {
	case DOORLOCK_EVENT_ACTION_COMPLETED:
		result = api_result_from_driver(ev->result);
		if (ev->result == DOORLOCK_E_ABORTED && device_link_gone(l))
			result = API_RESULT_DEVICE_OFFLINE;
		if (l->busy && l->inflight.cookie == ev->cookie) {
			finish_action(l, &l->inflight, result, false);
		} else if (!store_action_by_cookie(l->agent->store, ev->cookie,
						   &a)) {
			/* Already settled after an overrun: once only. */
			if (a.status < ACTION_SUCCESS)
				finish_action(l, &a, result, false);
		} else {
			record_unrequested(l, ev->action, result,
					   LOCK_VIA_LOCAL_COMMAND);
		}
		break;
	case DOORLOCK_EVENT_MANUAL_MOVE:
		record_unrequested(l, ev->action, API_RESULT_OK,
				   LOCK_VIA_MANUAL_TURN);
		break;
	case DOORLOCK_EVENT_SENSOR_FAULT:
		l->last_error = API_RESULT_MECHANISM_ERROR;
		log_warn("%s: both end-stops are active", l->cfg->lock_id);
		break;
	default:
		break;
	}
}

void lock_resync(struct lock *l)
{
	struct doorlock_status st;

	if (!l->online)
		return;
	/*
	 * The driver's state first: an action that ends after it is settled
	 * below or by its own event, which is newer than the cutoff.
	 */
	if (device_link_status(l, &st))
		return;
	l->resync_seq = st.seq;
	l->resynced = true;
	settle_unfinished(l);
	l->bolt_state = st.bolt_state;
	l->updated_at = time(NULL);
	/* A bolt that crossed over while events were lost was turned. */
	if (!l->busy)
		report_missed_turn(l, &st);
}

static void door_set(struct lock *l, enum door_state s)
{
	enum door_state was = l->door_state;

	if (s == was)
		return;
	l->door_state = s;
	l->updated_at = time(NULL);
	if (was == DOOR_UNKNOWN || s == DOOR_UNKNOWN)
		return;
	commit_event(l, event_new(l, s == DOOR_OPEN ? EVENT_DOOR_OPENED :
				  EVENT_DOOR_CLOSED), NULL, false, -1);
}

static int door_readable(void *arg)
{
	struct lock *l = arg;
	bool open;
	int ret;

	ret = door_sensor_read(l->door, &open);
	if (ret) {
		log_warn("%s: door sensor: %s", l->cfg->lock_id,
			 strerror(-ret));
		return ret;
	}
	door_set(l, open ? DOOR_OPEN : DOOR_CLOSED);
	return 0;
}

static void door_closed(void *arg)
{
	struct lock *l = arg;

	l->door_watch = NULL;
	if (l->agent->stopping)
		return;
	door_sensor_close(l->door);
	l->door = NULL;
	door_set(l, DOOR_UNKNOWN);
}

static void door_open(struct lock *l)
{
	int ret;

	ret = door_sensor_open(&l->cfg->door, &l->door);
	if (ret) {
		if (!l->door_warned)
			log_warn("%s: door sensor %s line %u: %s; retrying",
				 l->cfg->lock_id, l->cfg->door.chip,
				 l->cfg->door.line, strerror(-ret));
		l->door_warned = true;
		return;
	}
	ret = fdwatch_add(l->agent->vhost, door_sensor_fd(l->door),
			  door_readable, door_closed, l, &l->door_watch);
	if (ret) {
		door_sensor_close(l->door);
		l->door = NULL;
		return;
	}
	door_readable(l);
}

void lock_tick(struct lock *l)
{
	struct doorlock_result_query q;

	if (l->cfg->door.present && !l->door)
		door_open(l);
	/* An outcome whose event was lost, or could not be recorded. */
	if (l->online && l->busy &&
	    !device_link_result(l, l->inflight.cookie, &q) && !q.pending)
		finish_action(l, &l->inflight, api_result_from_driver(q.result),
			      false);
}

int lock_init(struct agent *a, struct lock *l, const struct config_lock *cfg)
{
	memset(l, 0, sizeof(*l));
	l->agent = a;
	l->cfg = cfg;
	l->device = -1;
	l->fd = -1;
	l->bolt_state = LOCK_BOLT_UNKNOWN;
	lock_tick(l);
	return 0;
}

void lock_exit(struct lock *l)
{
	fdwatch_remove(l->door_watch);
	door_sensor_close(l->door);
	if (l->fd >= 0)
		close(l->fd);
}

/* The answer to a command the agent refuses before the driver sees it. */
static int refuse(unsigned int result, unsigned int action,
		  const struct api_error_info **err)
{
	*err = api_result_info(result, action);
	if (!*err)
		*err = api_error_info(API_E_INTERNAL);
	return -EBUSY;
}

/* An action with a custom_id seen before: replay it or refuse. */
static int replay(struct lock *l, const struct action_request *req,
		  struct action_rec *out, const struct api_error_info **err)
{
	if (strcmp(out->lock_id, l->cfg->lock_id) ||
	    out->action != req->action) {
		*err = api_error_info(API_E_CUSTOM_ID_CONFLICT);
		return -EEXIST;
	}
	return 1;
}

int lock_submit(struct lock *l, const struct action_request *req,
		const struct config_token *tok, struct action_rec *out,
		const struct api_error_info **err)
{
	struct store *st = l->agent->store;
	struct action_rec a;
	uint64_t driver_id;
	int ret;

	*err = api_error_info(API_E_INTERNAL);
	if (req->custom_id[0]) {
		ret = store_action_by_custom_id(st, req->custom_id, out);
		if (!ret)
			return replay(l, req, out, err);
		if (ret != -ENOENT)
			return ret;
	}
	if (!l->online)
		return refuse(API_RESULT_DEVICE_OFFLINE, req->action, err);
	/* An open door leaves the bolt nothing to go into but the frame. */
	if (req->action == DOORLOCK_ACTION_LOCK && l->door_state == DOOR_OPEN)
		return refuse(API_RESULT_BOLT_OBSTRUCTED, req->action, err);
	if (l->busy)
		return refuse(API_RESULT_ACTION_IN_PROGRESS, req->action, err);

	memset(&a, 0, sizeof(a));
	ret = id_new(a.action_id, sizeof(a.action_id), "act_");
	if (!ret)
		ret = cookie_new(&a.cookie);
	if (ret)
		return ret;
	snprintf(a.lock_id, sizeof(a.lock_id), "%s", l->cfg->lock_id);
	snprintf(a.custom_id, sizeof(a.custom_id), "%s", req->custom_id);
	snprintf(a.performed_via, sizeof(a.performed_via), "%s",
		 tok->performed_via);
	a.action = req->action;
	a.status = ACTION_SUBMITTING;
	a.created_at = time(NULL);
	ret = store_action_insert(st, &a);
	if (ret)
		return ret;

	ret = device_link_submit(l, a.action, a.cookie, &driver_id);
	if (ret) {
		if (store_action_delete(st, a.action_id))
			log_err("%s: refused action %s stays recorded",
				l->cfg->lock_id, a.action_id);
		if (ret == -ENODEV)
			lock_offline(l);
		if (ret == -EFAULT || ret == -EINVAL || ret == -ENOTTY)
			log_err("%s: the driver does not take this agent's commands: %s",
				l->cfg->lock_id, strerror(-ret));
		return refuse(api_result_from_refusal(-ret), a.action, err);
	}
	a.status = ACTION_PENDING;
	l->inflight = a;
	l->busy = true;
	if (store_action_update(st, &a))
		log_warn("%s: action %s: status not recorded; recovery will ask the driver",
			 l->cfg->lock_id, a.action_id);
	log_info("%s: %s (driver action %" PRIu64 ") %s by %s (%s)",
		 l->cfg->lock_id, a.action_id, driver_id,
		 api_action_name(a.action), tok->name, a.performed_via);
	*out = a;
	return 0;
}

json_t *lock_json(const struct lock *l)
{
	const char *bolt = api_bolt_state_name(l->bolt_state);
	char ts[IDS_ISO8601_LEN];
	const char *lock_state;
	json_t *o;

	if (l->bolt_state == DOORLOCK_BOLT_LOCKED)
		lock_state = "locked";
	else if (l->bolt_state == DOORLOCK_BOLT_UNLOCKED)
		lock_state = "unlocked";
	else
		lock_state = "unknown";
	time_iso8601(l->updated_at, ts);
	o = json_pack("{s:s, s:s, s:s?, s:b, s:s?, s:s?}",
		      "lock_id", l->cfg->lock_id,
		      "lock_state", lock_state,
		      "bolt_state", bolt,
		      "online", l->online,
		      "last_error", l->last_error ?
				    api_result_name(l->last_error) : NULL,
		      "updated_at", l->updated_at ? ts : NULL);
	if (o && l->cfg->door.present)
		json_object_set_new(o, "door_state",
				    json_string(door_state_names[l->door_state]));
	if (o && l->busy)
		json_object_set_new(o, "action_in_progress",
				    json_string(l->inflight.action_id));
	return o;
}

json_t *action_json(const struct action_rec *a)
{
	const struct api_error_info *info;
	char ts[IDS_ISO8601_LEN];
	json_t *o;

	time_iso8601(a->created_at, ts);
	o = json_pack("{s:s, s:s?, s:s, s:s, s:s, s:s, s:s}",
		      "action_id", a->action_id,
		      "custom_id", a->custom_id[0] ? a->custom_id : NULL,
		      "status", status_names[a->status],
		      "lock_id", a->lock_id,
		      "action", api_action_name(a->action),
		      "performed_via", a->performed_via,
		      "created_at", ts);
	if (!o || a->status < ACTION_SUCCESS)
		return o;
	time_iso8601(a->completed_at, ts);
	json_object_set_new(o, "completed_at", json_string(ts));
	info = api_result_info(a->result, a->action);
	if (info) {
		json_object_set_new(o, "error_code", json_string(info->code));
		json_object_set_new(o, "message", json_string(info->message));
	}
	return o;
}
