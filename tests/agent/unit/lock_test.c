// SPDX-License-Identifier: GPL-2.0
/*
 * The lock model on the host: idempotency by custom_id, the synchronous
 * refusals, attribution and the events an action ends in, with the
 * driver, the door sensor and the publishers replaced by test doubles.
 * The durable log is the real one, in a temporary directory.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device_link.h"
#include "door_sensor.h"
#include "event_stream.h"
#include "fdwatch.h"
#include "kselftest_harness.h"
#include "lock.h"
#include "webhooks.h"

/* The driver double: what the next ACTION ioctl answers (0, -errno). */
static int fake_ioctl_ret;
static unsigned int fake_submits;
static uint64_t fake_cookie;
static unsigned int published;
/* The driver's event seq: every event is newer than the status read. */
static unsigned int fake_seq;

int device_link_submit(struct lock *l, unsigned int action, uint64_t cookie,
		       uint64_t *action_id)
{
	fake_submits++;
	fake_cookie = cookie;
	*action_id = fake_submits;
	return fake_ioctl_ret;
}

int device_link_result(struct lock *l, uint64_t cookie,
		       struct doorlock_result_query *q)
{
	return -ENOENT;
}

/* The driver's STATUS, when a test sets one. */
static struct doorlock_status fake_status;
static bool fake_status_ok;

int device_link_status(struct lock *l, struct doorlock_status *st)
{
	if (!fake_status_ok)
		return -ENODEV;
	*st = fake_status;
	return 0;
}

bool device_link_gone(struct lock *l)
{
	return false;
}

int door_sensor_open(const struct config_door_sensor *cfg,
		     struct door_sensor **out)
{
	return -ENOENT;
}

void door_sensor_close(struct door_sensor *d)
{
}

int door_sensor_fd(const struct door_sensor *d)
{
	return -1;
}

int door_sensor_read(struct door_sensor *d, bool *open)
{
	return -EIO;
}

int fdwatch_add(struct lws_vhost *vh, int fd, fdwatch_read_fn on_read,
		fdwatch_closed_fn on_closed, void *arg, struct fdwatch **out)
{
	return -ENOSYS;
}

void fdwatch_remove(struct fdwatch *w)
{
}

void event_stream_publish(struct event_stream *s, const char *text)
{
	published++;
}

void webhooks_kick(struct agent *a)
{
}

FIXTURE(model) {
	char dir[64];
	struct config_lock cfgs[2];
	struct config_token tok;
	struct agent agent;
	struct lock locks[2];
};

FIXTURE_SETUP(model)
{
	struct doorlock_status st = { .bolt_state = DOORLOCK_BOLT_UNLOCKED };
	int i;

	strcpy(self->dir, "/tmp/doorlockd-unit-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, store_open(&self->agent.store, self->dir));
	strcpy(self->tok.name, "seam");
	strcpy(self->tok.performed_via, "remote_api");
	strcpy(self->cfgs[0].lock_id, "lock_a");
	strcpy(self->cfgs[1].lock_id, "lock_b");
	self->agent.locks = self->locks;
	self->agent.n_locks = 2;
	for (i = 0; i < 2; i++) {
		strcpy(self->cfgs[i].device, "doorlockX");
		lock_init(&self->agent, &self->locks[i], &self->cfgs[i]);
		lock_online(&self->locks[i], i, -1, &st);
	}
	fake_ioctl_ret = 0;
	fake_submits = 0;
	fake_status_ok = false;
}

FIXTURE_TEARDOWN(model)
{
	char cmd[128];

	store_close(self->agent.store);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	system(cmd);
}

static int submit(struct lock *l, const struct config_token *tok,
		  unsigned int action, const char *custom_id,
		  struct action_rec *out, const struct api_error_info **err)
{
	struct action_request req = { .action = action };

	snprintf(req.custom_id, sizeof(req.custom_id), "%s", custom_id);
	return lock_submit(l, &req, tok, out, err);
}

/* The driver reports the action done, as its queue would. */
static void complete(struct lock *l, unsigned int action, unsigned int result)
{
	struct doorlock_event ev = {
		.seq = ++fake_seq,
		.type = DOORLOCK_EVENT_ACTION_COMPLETED, .cookie = fake_cookie,
		.action = action, .result = result,
		.bolt_state = action == DOORLOCK_ACTION_LOCK ?
			      DOORLOCK_BOLT_LOCKED : DOORLOCK_BOLT_UNLOCKED,
	};

	lock_driver_event(l, &ev);
}

/* The last event in the log, parsed. */
static json_t *last_event(struct store *st)
{
	json_t *list = json_array(), *ev;

	store_events_after(st, store_last_seq(st) - 1, 1, list);
	ev = json_incref(json_array_get(list, 0));
	json_decref(list);
	return ev;
}

TEST_F(model, replay_and_conflict)
{
	const struct api_error_info *err = NULL;
	struct action_rec a, b;

	ASSERT_EQ(0, submit(&self->locks[0], &self->tok, DOORLOCK_ACTION_LOCK,
			    "req_1", &a, &err));
	EXPECT_EQ(ACTION_PENDING, a.status);
	/* Same request again: the same action, and the motor is not asked. */
	ASSERT_EQ(1, submit(&self->locks[0], &self->tok, DOORLOCK_ACTION_LOCK,
			    "req_1", &b, &err));
	EXPECT_STREQ(a.action_id, b.action_id);
	EXPECT_EQ(1, fake_submits);
	/* Same custom_id, another action or another lock: a conflict. */
	EXPECT_EQ(-EEXIST, submit(&self->locks[0], &self->tok,
				  DOORLOCK_ACTION_UNLOCK, "req_1", &b, &err));
	EXPECT_STREQ("CUSTOM_ID_CONFLICT", err->code);
	EXPECT_EQ(409, err->http_status);
	EXPECT_EQ(-EEXIST, submit(&self->locks[1], &self->tok,
				  DOORLOCK_ACTION_LOCK, "req_1", &b, &err));
	EXPECT_STREQ("CUSTOM_ID_CONFLICT", err->code);
	/* Once finished, a replay says how it ended. */
	complete(&self->locks[0], DOORLOCK_ACTION_LOCK, DOORLOCK_OK);
	ASSERT_EQ(1, submit(&self->locks[0], &self->tok, DOORLOCK_ACTION_LOCK,
			    "req_1", &b, &err));
	EXPECT_EQ(ACTION_SUCCESS, b.status);
	EXPECT_EQ(1, fake_submits);
}

TEST_F(model, refused_custom_id_is_free_again)
{
	const struct api_error_info *err = NULL;
	struct action_rec a;

	/* The driver's refusal while its fault input is asserted. */
	fake_ioctl_ret = -EIO;
	EXPECT_EQ(-EBUSY, submit(&self->locks[0], &self->tok,
				 DOORLOCK_ACTION_LOCK, "req_2", &a, &err));
	EXPECT_STREQ("BOLT_OBSTRUCTED", err->code);
	EXPECT_STREQ("The lock mechanism is obstructed.", err->message);
	fake_ioctl_ret = 0;
	EXPECT_EQ(0, submit(&self->locks[0], &self->tok, DOORLOCK_ACTION_LOCK,
			    "req_2", &a, &err));
}

TEST_F(model, synchronous_refusals)
{
	const struct api_error_info *err = NULL;
	struct action_rec a;

	ASSERT_EQ(0, submit(&self->locks[0], &self->tok, DOORLOCK_ACTION_LOCK,
			    "", &a, &err));
	EXPECT_EQ(-EBUSY, submit(&self->locks[0], &self->tok,
				 DOORLOCK_ACTION_UNLOCK, "", &a, &err));
	EXPECT_STREQ("ACTION_IN_PROGRESS", err->code);
	EXPECT_EQ(1, fake_submits);

	self->locks[1].door_state = DOOR_OPEN;
	EXPECT_EQ(-EBUSY, submit(&self->locks[1], &self->tok,
				 DOORLOCK_ACTION_LOCK, "", &a, &err));
	EXPECT_STREQ("BOLT_OBSTRUCTED", err->code);
	/* An open door does not stop an unlock. */
	EXPECT_EQ(0, submit(&self->locks[1], &self->tok,
			    DOORLOCK_ACTION_UNLOCK, "", &a, &err));
}

/* The driver refuses with an errno; the API says why in its words. */
TEST_F(model, driver_refusals_in_the_apis_words)
{
	static const struct {
		int err;
		const char *code;
		int http_status;
	} refusals[] = {
		{ -EBUSY, "ACTION_IN_PROGRESS", 409 },
		{ -EPERM, "FIRMWARE_REJECTED", 503 },
		{ -EIO, "BOLT_OBSTRUCTED", 409 },
		{ -EPROTO, "MECHANISM_ERROR", 409 },
	};
	const struct api_error_info *err = NULL;
	struct action_rec a;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refusals); i++) {
		fake_ioctl_ret = refusals[i].err;
		EXPECT_EQ(-EBUSY, submit(&self->locks[0], &self->tok,
					 DOORLOCK_ACTION_LOCK, "", &a, &err));
		EXPECT_STREQ(refusals[i].code, err->code);
		EXPECT_EQ(refusals[i].http_status, err->http_status);
		EXPECT_TRUE(self->locks[0].online);
		EXPECT_FALSE(self->locks[0].busy);
	}
}

/* An action the driver cut short (suspend, shutdown) was not taken. */
TEST_F(model, an_aborted_action_was_rejected)
{
	const struct api_error_info *err = NULL;
	struct action_rec a;
	json_t *ev;

	ASSERT_EQ(0, submit(&self->locks[0], &self->tok, DOORLOCK_ACTION_LOCK,
			    "", &a, &err));
	complete(&self->locks[0], DOORLOCK_ACTION_LOCK, DOORLOCK_E_ABORTED);
	ev = last_event(self->agent.store);
	EXPECT_STREQ("failed", json_string_value(json_object_get(ev, "status")));
	EXPECT_STREQ("FIRMWARE_REJECTED",
		     json_string_value(json_object_get(ev, "error_code")));
	json_decref(ev);
	EXPECT_FALSE(self->locks[0].busy);
}

TEST_F(model, offline)
{
	const struct api_error_info *err = NULL;
	struct action_rec a;
	json_t *ev;

	ASSERT_EQ(0, submit(&self->locks[0], &self->tok, DOORLOCK_ACTION_LOCK,
			    "req_3", &a, &err));
	lock_offline(&self->locks[0]);
	/* The action in flight failed, after device.offline. */
	ev = last_event(self->agent.store);
	EXPECT_STREQ("lock.action_completed",
		     json_string_value(json_object_get(ev, "event_type")));
	EXPECT_STREQ("DEVICE_OFFLINE",
		     json_string_value(json_object_get(ev, "error_code")));
	EXPECT_STREQ("req_3",
		     json_string_value(json_object_get(ev, "custom_id")));
	json_decref(ev);
	EXPECT_EQ(-EBUSY, submit(&self->locks[0], &self->tok,
				 DOORLOCK_ACTION_LOCK, "", &a, &err));
	EXPECT_STREQ("DEVICE_OFFLINE", err->code);
	EXPECT_EQ(503, err->http_status);
	EXPECT_STREQ("The device is currently offline and cannot accept commands.",
		     err->message);
	/* The ioctl finding the device gone says the same. */
	fake_ioctl_ret = -ENODEV;
	EXPECT_EQ(-EBUSY, submit(&self->locks[1], &self->tok,
				 DOORLOCK_ACTION_LOCK, "", &a, &err));
	EXPECT_STREQ("DEVICE_OFFLINE", err->code);
	EXPECT_FALSE(self->locks[1].online);
}

TEST_F(model, failure_event_says_why)
{
	const struct api_error_info *err = NULL;
	struct action_rec a;
	json_t *ev;

	ASSERT_EQ(0, submit(&self->locks[0], &self->tok,
			    DOORLOCK_ACTION_UNLOCK, "req_39102", &a, &err));
	complete(&self->locks[0], DOORLOCK_ACTION_UNLOCK,
		 DOORLOCK_E_LOCK_JAMMED);
	ev = last_event(self->agent.store);
	EXPECT_STREQ("failed", json_string_value(json_object_get(ev, "status")));
	EXPECT_STREQ("LOCK_JAMMED",
		     json_string_value(json_object_get(ev, "error_code")));
	EXPECT_STREQ("The deadbolt could not retract.",
		     json_string_value(json_object_get(ev, "message")));
	EXPECT_STREQ("remote_api",
		     json_string_value(json_object_get(ev, "performed_via")));
	EXPECT_STREQ(a.action_id,
		     json_string_value(json_object_get(ev, "action_id")));
	json_decref(ev);
	/* The same completion again (after a resync) is not a second event. */
	ev = last_event(self->agent.store);
	complete(&self->locks[0], DOORLOCK_ACTION_UNLOCK,
		 DOORLOCK_E_LOCK_JAMMED);
	EXPECT_EQ(json_integer_value(json_object_get(ev, "seq")),
		  store_last_seq(self->agent.store));
	json_decref(ev);
}

TEST_F(model, manual_turn)
{
	struct doorlock_event mv = {
		.seq = ++fake_seq,
		.type = DOORLOCK_EVENT_MANUAL_MOVE,
		.action = DOORLOCK_ACTION_LOCK,
		.bolt_state = DOORLOCK_BOLT_LOCKED,
	};
	json_t *ev;

	lock_driver_event(&self->locks[1], &mv);
	ev = last_event(self->agent.store);
	EXPECT_STREQ("manual_turn",
		     json_string_value(json_object_get(ev, "performed_via")));
	EXPECT_STREQ("lock", json_string_value(json_object_get(ev, "action")));
	EXPECT_STREQ("lock_b",
		     json_string_value(json_object_get(ev, "device_id")));
	EXPECT_EQ(NULL, json_object_get(ev, "custom_id"));
	json_decref(ev);
}

/*
 * The log says the bolt rests locked; the device comes back with it
 * unlocked, and nothing of ours moved it: a turn by hand nobody heard.
 */
TEST_F(model, a_turn_while_unobserved_is_reported_when_back)
{
	struct doorlock_status st = { .bolt_state = DOORLOCK_BOLT_UNLOCKED };
	const struct api_error_info *err = NULL;
	struct lock *l = &self->locks[0];
	struct action_rec a;
	long long seq;
	json_t *ev;

	ASSERT_EQ(0, submit(l, &self->tok, DOORLOCK_ACTION_LOCK, "", &a, &err));
	complete(l, DOORLOCK_ACTION_LOCK, DOORLOCK_OK);
	lock_offline(l);
	lock_online(l, 0, -1, &st);
	ev = last_event(self->agent.store);
	EXPECT_STREQ("lock.action_completed",
		     json_string_value(json_object_get(ev, "event_type")));
	EXPECT_STREQ("manual_turn",
		     json_string_value(json_object_get(ev, "performed_via")));
	EXPECT_STREQ("unlock", json_string_value(json_object_get(ev, "action")));
	json_decref(ev);

	/* Back again where the log now says it is: nothing more to tell. */
	seq = store_last_seq(self->agent.store);
	lock_offline(l);
	lock_online(l, 0, -1, &st);
	ev = last_event(self->agent.store);
	EXPECT_STRNE("manual_turn",
		     json_string_value(json_object_get(ev, "performed_via")) ?: "");
	EXPECT_EQ(seq + 2, store_last_seq(self->agent.store))
		TH_LOG("only device.offline and device.online");
	json_decref(ev);
}

/* A failed action can still leave the bolt on an end-stop: no turn. */
TEST_F(model, a_failed_action_that_arrived_is_no_turn_later)
{
	struct doorlock_status st = { .bolt_state = DOORLOCK_BOLT_UNLOCKED };
	const struct api_error_info *err = NULL;
	struct lock *l = &self->locks[0];
	struct action_rec a;
	json_t *ev;

	ASSERT_EQ(0, submit(l, &self->tok, DOORLOCK_ACTION_LOCK, "", &a, &err));
	complete(l, DOORLOCK_ACTION_LOCK, DOORLOCK_OK);
	ASSERT_EQ(0, submit(l, &self->tok, DOORLOCK_ACTION_UNLOCK, "", &a,
			    &err));
	/* Obstructed, yet the bolt reached the unlocked end-stop. */
	complete(l, DOORLOCK_ACTION_UNLOCK, DOORLOCK_E_BOLT_OBSTRUCTED);
	lock_offline(l);
	lock_online(l, 0, -1, &st);
	ev = last_event(self->agent.store);
	EXPECT_STRNE("manual_turn",
		     json_string_value(json_object_get(ev, "performed_via")) ?: "");
	json_decref(ev);
}

/*
 * Who moved it, by the driver's counters: a lock by another program
 * (doorlockctl) is a local_command, a hand's move a manual_turn.
 */
TEST_F(model, the_counters_say_who_moved_it_unobserved)
{
	struct doorlock_status st = { .bolt_state = DOORLOCK_BOLT_UNLOCKED };
	const struct api_error_info *err = NULL;
	struct lock *l = &self->locks[0];
	struct action_rec a;
	json_t *ev;

	fake_status_ok = true;
	fake_status.lock_count = 1;
	ASSERT_EQ(0, submit(l, &self->tok, DOORLOCK_ACTION_LOCK, "", &a, &err));
	complete(l, DOORLOCK_ACTION_LOCK, DOORLOCK_OK);

	/* An unlock the driver counted as commanded: not ours, not a hand. */
	st.lock_count = 1;
	st.unlock_count = 1;
	lock_offline(l);
	lock_online(l, 0, -1, &st);
	ev = last_event(self->agent.store);
	EXPECT_STREQ("local_command",
		     json_string_value(json_object_get(ev, "performed_via")));
	json_decref(ev);

	/* Then a hand locks it. */
	fake_status = st;
	fake_status.bolt_state = DOORLOCK_BOLT_UNLOCKED;
	st.bolt_state = DOORLOCK_BOLT_LOCKED;
	st.manual_count = 1;
	lock_offline(l);
	lock_online(l, 0, -1, &st);
	ev = last_event(self->agent.store);
	EXPECT_STREQ("manual_turn",
		     json_string_value(json_object_get(ev, "performed_via")));
	EXPECT_STREQ("lock", json_string_value(json_object_get(ev, "action")));
	json_decref(ev);
}

TEST_HARNESS_MAIN
