/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The durable log (SQLite in WAL mode, synchronous=FULL): actions, events,
 * webhook endpoints and how far each endpoint has got per lock. Whatever
 * is acknowledged anywhere (an HTTP answer, a webhook, the stream) has
 * been committed here first. Functions return 0 or -errno; -ENOENT when a
 * row is not there.
 */
#ifndef _DOORLOCKD_STORE_H
#define _DOORLOCKD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api_request.h"
#include "config.h"

#define STORE_ID_MAX	40

enum action_status {
	/* Recorded, not yet (known to be) accepted by the driver. */
	ACTION_SUBMITTING,
	ACTION_PENDING,
	ACTION_SUCCESS,
	ACTION_FAILED,
};

struct action_rec {
	char action_id[STORE_ID_MAX];
	char lock_id[CONFIG_ID_MAX];
	unsigned int action;			/* enum doorlock_action */
	char custom_id[API_CUSTOM_ID_MAX + 1];	/* "" when none */
	char performed_via[CONFIG_ID_MAX];
	uint64_t cookie;
	enum action_status status;
	unsigned int result;			/* enum api_result */
	long long created_at;			/* Unix seconds */
	long long completed_at;			/* 0 while unfinished */
};

struct event_rec {
	long long seq;
	char event_id[STORE_ID_MAX];
	char event_type[CONFIG_ID_MAX];
	char *body;				/* malloc'd JSON text */
};

struct webhook_rec {
	char webhook_id[STORE_ID_MAX];
	char url[CONFIG_URL_MAX];
	char secret[CONFIG_SECRET_MAX];
	char events[CONFIG_EVENT_TYPES_MAX * CONFIG_ID_MAX]; /* " "-joined */
	bool active;
	bool from_config;		/* else registered with the API */
	long long start_seq;		/* delivers events after this one */
};

/* One endpoint's progress through one lock's events. */
struct lane_rec {
	long long last_seq;		/* delivered or given up */
	unsigned int attempt;		/* failed attempts at the next one */
	long long next_at;		/* Unix seconds; 0: at once */
};

struct store;

/* Opens or creates @dir/doorlockd.db. */
int store_open(struct store **out, const char *dir);
void store_close(struct store *st);

int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

int store_action_insert(struct store *st, const struct action_rec *a);
/* Writes @a's status, result and completed_at. */
int store_action_update(struct store *st, const struct action_rec *a);
int store_action_delete(struct store *st, const char *action_id);
int store_action_get(struct store *st, const char *action_id,
		     struct action_rec *a);
int store_action_by_custom_id(struct store *st, const char *custom_id,
			      struct action_rec *a);
int store_action_by_cookie(struct store *st, uint64_t cookie,
			   struct action_rec *a);
/* The oldest unfinished action of @lock_id. */
int store_action_unfinished(struct store *st, const char *lock_id,
			    struct action_rec *a);

/*
 * Appends event @ev (a JSON object) of @lock_id, after setting its
 * "event_id" and "seq"; @seq receives the latter.
 */
int store_event_append(struct store *st, const char *lock_id, json_t *ev,
		       long long *seq);
/* Appends to @list up to @limit events with seq > @after, in order. */
int store_events_after(struct store *st, long long after, unsigned int limit,
		       json_t *list);
/* The first event of @lock_id after @after; free @e->body. */
int store_event_next(struct store *st, const char *lock_id, long long after,
		     struct event_rec *e);
long long store_last_seq(struct store *st);

int store_webhook_put(struct store *st, const struct webhook_rec *w);
int store_webhook_get(struct store *st, const char *webhook_id,
		      struct webhook_rec *w);
/* Calls @fn for every endpoint, active or not, until it returns non-zero. */
int store_webhooks_each(struct store *st,
			int (*fn)(const struct webhook_rec *w, void *arg),
			void *arg);
int store_lane_get(struct store *st, const char *webhook_id,
		   const char *lock_id, struct lane_rec *l);
int store_lane_put(struct store *st, const char *webhook_id,
		   const char *lock_id, const struct lane_rec *l);

/* The online state last recorded for @lock_id (-ENOENT: never). */
int store_online_get(struct store *st, const char *lock_id, bool *online);
int store_online_put(struct store *st, const char *lock_id, bool online);
/*
 * Where the bolt rests as the log last left it (DOORLOCK_BOLT_LOCKED or
 * _UNLOCKED, by the last action's completion): what a cloud following the
 * events believes; with the driver's counters then, -1 when unknown:
 * @moves its locks and unlocks, @manual its manual moves.
 */
struct rest_rec {
	unsigned int bolt_state;
	long long moves;
	long long manual;
};

/* -ENOENT before the first. */
int store_rest_get(struct store *st, const char *lock_id,
		   struct rest_rec *r);
int store_rest_put(struct store *st, const char *lock_id,
		   const struct rest_rec *r);

#endif /* _DOORLOCKD_STORE_H */
