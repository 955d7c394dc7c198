// SPDX-License-Identifier: GPL-2.0
/*
 * The durable log in SQLite; see store.h. Statements are prepared once and
 * kept. WAL with synchronous=FULL: a commit is on disk when it returns, so
 * a power cut after an acknowledgment loses nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ids.h"
#include "log.h"
#include "store.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS actions ("
	" action_id TEXT PRIMARY KEY, lock_id TEXT NOT NULL,"
	" action INTEGER NOT NULL, custom_id TEXT UNIQUE,"
	" performed_via TEXT NOT NULL, cookie INTEGER NOT NULL,"
	" status INTEGER NOT NULL, result INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL, completed_at INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS actions_cookie ON actions (cookie);"
	"CREATE INDEX IF NOT EXISTS actions_open ON actions (lock_id, status);"
	"CREATE TABLE IF NOT EXISTS events ("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE,"
	" lock_id TEXT NOT NULL, event_type TEXT NOT NULL, body TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS events_lock ON events (lock_id, seq);"
	"CREATE TABLE IF NOT EXISTS webhooks ("
	" webhook_id TEXT PRIMARY KEY, url TEXT NOT NULL,"
	" secret TEXT NOT NULL, events TEXT NOT NULL, active INTEGER NOT NULL,"
	" from_config INTEGER NOT NULL, start_seq INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS lanes ("
	" webhook_id TEXT NOT NULL, lock_id TEXT NOT NULL,"
	" last_seq INTEGER NOT NULL, attempt INTEGER NOT NULL,"
	" next_at INTEGER NOT NULL, PRIMARY KEY (webhook_id, lock_id));"
	"CREATE TABLE IF NOT EXISTS online ("
	" lock_id TEXT PRIMARY KEY, online INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS bolt_rest ("
	" lock_id TEXT PRIMARY KEY, bolt_state INTEGER NOT NULL,"
	" moves INTEGER NOT NULL, manual INTEGER NOT NULL);";

enum stmt {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_ACTION_INSERT, S_ACTION_UPDATE, S_ACTION_DELETE, S_ACTION_GET,
	S_ACTION_CUSTOM, S_ACTION_COOKIE, S_ACTION_OPEN,
	S_EVENT_INSERT, S_EVENTS_AFTER, S_EVENT_NEXT, S_LAST_SEQ,
	S_WEBHOOK_PUT, S_WEBHOOK_GET, S_WEBHOOKS, S_LANE_GET, S_LANE_PUT,
	S_ONLINE_GET, S_ONLINE_PUT, S_REST_GET, S_REST_PUT,
	S_COUNT,
};

#define ACTION_COLS "action_id, lock_id, action, custom_id, performed_via, " \
		    "cookie, status, result, created_at, completed_at"
#define WEBHOOK_COLS "webhook_id, url, secret, events, active, " \
		     "from_config, start_seq"

static const char * const stmt_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_ACTION_INSERT] = "INSERT INTO actions (" ACTION_COLS ") "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_ACTION_UPDATE] = "UPDATE actions SET status = ?2, result = ?3, "
			    "completed_at = ?4 WHERE action_id = ?1",
	[S_ACTION_DELETE] = "DELETE FROM actions WHERE action_id = ?",
	[S_ACTION_GET] = "SELECT " ACTION_COLS " FROM actions "
			 "WHERE action_id = ?",
	[S_ACTION_CUSTOM] = "SELECT " ACTION_COLS " FROM actions "
			    "WHERE custom_id = ?",
	[S_ACTION_COOKIE] = "SELECT " ACTION_COLS " FROM actions "
			    "WHERE cookie = ?",
	[S_ACTION_OPEN] = "SELECT " ACTION_COLS " FROM actions "
			  "WHERE lock_id = ? AND status < 2 "
			  "ORDER BY created_at, rowid LIMIT 1",
	[S_EVENT_INSERT] = "INSERT INTO events (seq, event_id, lock_id, "
			   "event_type, body) VALUES (?, ?, ?, ?, ?)",
	[S_EVENTS_AFTER] = "SELECT body FROM events WHERE seq > ? "
			   "ORDER BY seq LIMIT ?",
	[S_EVENT_NEXT] = "SELECT seq, event_id, event_type, body FROM events "
			 "WHERE lock_id = ? AND seq > ? ORDER BY seq LIMIT 1",
	[S_LAST_SEQ] = "SELECT max(coalesce((SELECT seq FROM sqlite_sequence "
		       "WHERE name = 'events'), 0), "
		       "coalesce((SELECT max(seq) FROM events), 0))",
	[S_WEBHOOK_PUT] = "INSERT OR REPLACE INTO webhooks (" WEBHOOK_COLS ") "
			  "VALUES (?, ?, ?, ?, ?, ?, ?)",
	[S_WEBHOOK_GET] = "SELECT " WEBHOOK_COLS " FROM webhooks "
			  "WHERE webhook_id = ?",
	[S_WEBHOOKS] = "SELECT " WEBHOOK_COLS " FROM webhooks "
		       "ORDER BY webhook_id",
	[S_LANE_GET] = "SELECT last_seq, attempt, next_at FROM lanes "
		       "WHERE webhook_id = ? AND lock_id = ?",
	[S_LANE_PUT] = "INSERT OR REPLACE INTO lanes (webhook_id, lock_id, "
		       "last_seq, attempt, next_at) VALUES (?, ?, ?, ?, ?)",
	[S_ONLINE_GET] = "SELECT online FROM online WHERE lock_id = ?",
	[S_ONLINE_PUT] = "INSERT OR REPLACE INTO online (lock_id, online) "
			 "VALUES (?, ?)",
	[S_REST_GET] = "SELECT bolt_state, moves, manual FROM bolt_rest "
		       "WHERE lock_id = ?",
	[S_REST_PUT] = "INSERT OR REPLACE INTO bolt_rest (lock_id, bolt_state, "
		       "moves, manual) VALUES (?, ?, ?, ?)",
};

struct store {
	struct sqlite3 *db;
	struct sqlite3_stmt *stmt[S_COUNT];
};

static int db_err(struct store *st, const char *what)
{
	log_err("state database: %s: %s", what, sqlite3_errmsg(st->db));
	return -EIO;
}

/* The statement @s, reset and unbound, ready for new values. */
static sqlite3_stmt *prep(struct store *st, enum stmt s)
{
	sqlite3_reset(st->stmt[s]);
	sqlite3_clear_bindings(st->stmt[s]);
	return st->stmt[s];
}

/* Runs a statement that returns no row. */
static int run(struct store *st, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT)
		return -EEXIST;
	return db_err(st, sqlite3_sql(q));
}

/* Steps to the next row: 1 when there is one, 0 at the end, or -EIO. */
static int row(struct store *st, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : db_err(st, sqlite3_sql(q));
}

static void text(sqlite3_stmt *q, int col, char *dst, size_t len)
{
	const unsigned char *s = sqlite3_column_text(q, col);

	snprintf(dst, len, "%s", s ? (const char *)s : "");
}

static int exec(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	log_err("state database: %s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
	return -EIO;
}

int store_open(struct store **out, const char *dir)
{
	struct store *st;
	char path[PATH_MAX];
	int i, ret = -ENOMEM;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	if (snprintf(path, sizeof(path), "%s/doorlockd.db", dir) >=
	    (int)sizeof(path)) {
		ret = -ENAMETOOLONG;
		goto err;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		log_err("%s: %s", path, st->db ? sqlite3_errmsg(st->db) :
			"out of memory");
		ret = -EIO;
		goto err;
	}
	ret = exec(st, "PRAGMA journal_mode = WAL");
	if (!ret)
		ret = exec(st, "PRAGMA synchronous = FULL");
	/* The log is read in order and little at a time: a small cache. */
	if (!ret)
		ret = exec(st, "PRAGMA cache_size = -512");
	if (!ret)
		ret = exec(st, schema);
	if (ret)
		goto err;
	for (i = 0; i < S_COUNT; i++) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT,
				       &st->stmt[i], NULL) != SQLITE_OK) {
			ret = db_err(st, stmt_sql[i]);
			goto err;
		}
	}
	*out = st;
	return 0;

err:
	store_close(st);
	return ret;
}

void store_close(struct store *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db && sqlite3_close(st->db) != SQLITE_OK)
		log_err("state database: close: %s", sqlite3_errmsg(st->db));
	free(st);
}

int store_begin(struct store *st)
{
	return run(st, prep(st, S_BEGIN));
}

int store_commit(struct store *st)
{
	return run(st, prep(st, S_COMMIT));
}

void store_rollback(struct store *st)
{
	run(st, prep(st, S_ROLLBACK));
}

static void bind_text(sqlite3_stmt *q, int col, const char *s)
{
	sqlite3_bind_text(q, col, s, -1, SQLITE_STATIC);
}

int store_action_insert(struct store *st, const struct action_rec *a)
{
	sqlite3_stmt *q = prep(st, S_ACTION_INSERT);

	bind_text(q, 1, a->action_id);
	bind_text(q, 2, a->lock_id);
	sqlite3_bind_int(q, 3, a->action);
	if (a->custom_id[0])
		bind_text(q, 4, a->custom_id);
	bind_text(q, 5, a->performed_via);
	sqlite3_bind_int64(q, 6, (sqlite3_int64)a->cookie);
	sqlite3_bind_int(q, 7, a->status);
	sqlite3_bind_int(q, 8, a->result);
	sqlite3_bind_int64(q, 9, a->created_at);
	sqlite3_bind_int64(q, 10, a->completed_at);
	return run(st, q);
}

int store_action_update(struct store *st, const struct action_rec *a)
{
	sqlite3_stmt *q = prep(st, S_ACTION_UPDATE);

	bind_text(q, 1, a->action_id);
	sqlite3_bind_int(q, 2, a->status);
	sqlite3_bind_int(q, 3, a->result);
	sqlite3_bind_int64(q, 4, a->completed_at);
	return run(st, q);
}

int store_action_delete(struct store *st, const char *action_id)
{
	sqlite3_stmt *q = prep(st, S_ACTION_DELETE);

	bind_text(q, 1, action_id);
	return run(st, q);
}

/* Reads the one action @q selects into @a. */
static int action_row(struct store *st, sqlite3_stmt *q, struct action_rec *a)
{
	int ret = row(st, q);

	if (ret <= 0)
		return ret ? ret : -ENOENT;
	memset(a, 0, sizeof(*a));
	text(q, 0, a->action_id, sizeof(a->action_id));
	text(q, 1, a->lock_id, sizeof(a->lock_id));
	a->action = sqlite3_column_int(q, 2);
	text(q, 3, a->custom_id, sizeof(a->custom_id));
	text(q, 4, a->performed_via, sizeof(a->performed_via));
	a->cookie = (uint64_t)sqlite3_column_int64(q, 5);
	a->status = sqlite3_column_int(q, 6);
	a->result = sqlite3_column_int(q, 7);
	a->created_at = sqlite3_column_int64(q, 8);
	a->completed_at = sqlite3_column_int64(q, 9);
	sqlite3_reset(q);
	return 0;
}

int store_action_get(struct store *st, const char *action_id,
		     struct action_rec *a)
{
	sqlite3_stmt *q = prep(st, S_ACTION_GET);

	bind_text(q, 1, action_id);
	return action_row(st, q, a);
}

int store_action_by_custom_id(struct store *st, const char *custom_id,
			      struct action_rec *a)
{
	sqlite3_stmt *q = prep(st, S_ACTION_CUSTOM);

	bind_text(q, 1, custom_id);
	return action_row(st, q, a);
}

int store_action_by_cookie(struct store *st, uint64_t cookie,
			   struct action_rec *a)
{
	sqlite3_stmt *q = prep(st, S_ACTION_COOKIE);

	sqlite3_bind_int64(q, 1, (sqlite3_int64)cookie);
	return action_row(st, q, a);
}

int store_action_unfinished(struct store *st, const char *lock_id,
			    struct action_rec *a)
{
	sqlite3_stmt *q = prep(st, S_ACTION_OPEN);

	bind_text(q, 1, lock_id);
	return action_row(st, q, a);
}

int store_event_append(struct store *st, const char *lock_id, json_t *ev,
		       long long *seq)
{
	char event_id[STORE_ID_MAX];
	sqlite3_stmt *q;
	char *body;
	int ret;

	ret = id_new(event_id, sizeof(event_id), "evt_");
	if (ret)
		return ret;
	*seq = store_last_seq(st) + 1;
	if (*seq <= 0)
		return -EIO;
	if (json_object_set_new(ev, "event_id", json_string(event_id)) ||
	    json_object_set_new(ev, "seq", json_integer(*seq)))
		return -ENOMEM;
	body = json_dumps(ev, JSON_COMPACT);
	if (!body)
		return -ENOMEM;
	q = prep(st, S_EVENT_INSERT);
	sqlite3_bind_int64(q, 1, *seq);
	bind_text(q, 2, event_id);
	bind_text(q, 3, lock_id);
	bind_text(q, 4, json_string_value(json_object_get(ev, "event_type")));
	bind_text(q, 5, body);
	ret = run(st, q);
	free(body);
	return ret;
}

int store_events_after(struct store *st, long long after, unsigned int limit,
		       json_t *list)
{
	sqlite3_stmt *q = prep(st, S_EVENTS_AFTER);
	const char *body;
	json_t *ev;
	int ret;

	sqlite3_bind_int64(q, 1, after);
	sqlite3_bind_int(q, 2, limit);
	while ((ret = row(st, q)) > 0) {
		body = (const char *)sqlite3_column_text(q, 0);
		ev = body ? json_loads(body, 0, NULL) : NULL;
		if (!ev || json_array_append_new(list, ev)) {
			sqlite3_reset(q);
			return -ENOMEM;
		}
	}
	return ret;
}

int store_event_next(struct store *st, const char *lock_id, long long after,
		     struct event_rec *e)
{
	sqlite3_stmt *q = prep(st, S_EVENT_NEXT);
	const unsigned char *body;
	int ret;

	bind_text(q, 1, lock_id);
	sqlite3_bind_int64(q, 2, after);
	ret = row(st, q);
	if (ret <= 0)
		return ret ? ret : -ENOENT;
	e->seq = sqlite3_column_int64(q, 0);
	text(q, 1, e->event_id, sizeof(e->event_id));
	text(q, 2, e->event_type, sizeof(e->event_type));
	body = sqlite3_column_text(q, 3);
	e->body = strdup(body ? (const char *)body : "");
	sqlite3_reset(q);
	return e->body ? 0 : -ENOMEM;
}

long long store_last_seq(struct store *st)
{
	sqlite3_stmt *q = prep(st, S_LAST_SEQ);
	long long seq;

	if (row(st, q) <= 0)
		return -1;
	seq = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return seq;
}

int store_webhook_put(struct store *st, const struct webhook_rec *w)
{
	sqlite3_stmt *q = prep(st, S_WEBHOOK_PUT);

	bind_text(q, 1, w->webhook_id);
	bind_text(q, 2, w->url);
	bind_text(q, 3, w->secret);
	bind_text(q, 4, w->events);
	sqlite3_bind_int(q, 5, w->active);
	sqlite3_bind_int(q, 6, w->from_config);
	sqlite3_bind_int64(q, 7, w->start_seq);
	return run(st, q);
}

static void webhook_row(sqlite3_stmt *q, struct webhook_rec *w)
{
	memset(w, 0, sizeof(*w));
	text(q, 0, w->webhook_id, sizeof(w->webhook_id));
	text(q, 1, w->url, sizeof(w->url));
	text(q, 2, w->secret, sizeof(w->secret));
	text(q, 3, w->events, sizeof(w->events));
	w->active = sqlite3_column_int(q, 4);
	w->from_config = sqlite3_column_int(q, 5);
	w->start_seq = sqlite3_column_int64(q, 6);
}

int store_webhook_get(struct store *st, const char *webhook_id,
		      struct webhook_rec *w)
{
	sqlite3_stmt *q = prep(st, S_WEBHOOK_GET);
	int ret;

	bind_text(q, 1, webhook_id);
	ret = row(st, q);
	if (ret <= 0)
		return ret ? ret : -ENOENT;
	webhook_row(q, w);
	sqlite3_reset(q);
	return 0;
}

int store_webhooks_each(struct store *st,
			int (*fn)(const struct webhook_rec *w, void *arg),
			void *arg)
{
	sqlite3_stmt *q = prep(st, S_WEBHOOKS);
	struct webhook_rec w;
	int ret;

	while ((ret = row(st, q)) > 0) {
		webhook_row(q, &w);
		ret = fn(&w, arg);
		if (ret) {
			sqlite3_reset(q);
			return ret;
		}
	}
	return ret;
}

int store_lane_get(struct store *st, const char *webhook_id,
		   const char *lock_id, struct lane_rec *l)
{
	sqlite3_stmt *q = prep(st, S_LANE_GET);
	int ret;

	bind_text(q, 1, webhook_id);
	bind_text(q, 2, lock_id);
	ret = row(st, q);
	if (ret <= 0)
		return ret ? ret : -ENOENT;
	l->last_seq = sqlite3_column_int64(q, 0);
	l->attempt = sqlite3_column_int(q, 1);
	l->next_at = sqlite3_column_int64(q, 2);
	sqlite3_reset(q);
	return 0;
}

int store_lane_put(struct store *st, const char *webhook_id,
		   const char *lock_id, const struct lane_rec *l)
{
	sqlite3_stmt *q = prep(st, S_LANE_PUT);

	bind_text(q, 1, webhook_id);
	bind_text(q, 2, lock_id);
	sqlite3_bind_int64(q, 3, l->last_seq);
	sqlite3_bind_int(q, 4, l->attempt);
	sqlite3_bind_int64(q, 5, l->next_at);
	return run(st, q);
}

int store_online_get(struct store *st, const char *lock_id, bool *online)
{
	sqlite3_stmt *q = prep(st, S_ONLINE_GET);
	int ret;

	bind_text(q, 1, lock_id);
	ret = row(st, q);
	if (ret <= 0)
		return ret ? ret : -ENOENT;
	*online = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_online_put(struct store *st, const char *lock_id, bool online)
{
	sqlite3_stmt *q = prep(st, S_ONLINE_PUT);

	bind_text(q, 1, lock_id);
	sqlite3_bind_int(q, 2, online);
	return run(st, q);
}

int store_rest_get(struct store *st, const char *lock_id,
		   struct rest_rec *r)
{
	sqlite3_stmt *q = prep(st, S_REST_GET);
	int ret;

	bind_text(q, 1, lock_id);
	ret = row(st, q);
	if (ret <= 0)
		return ret ? ret : -ENOENT;
	r->bolt_state = sqlite3_column_int(q, 0);
	r->moves = sqlite3_column_int64(q, 1);
	r->manual = sqlite3_column_int64(q, 2);
	sqlite3_reset(q);
	return 0;
}

int store_rest_put(struct store *st, const char *lock_id,
		   const struct rest_rec *r)
{
	sqlite3_stmt *q = prep(st, S_REST_PUT);

	bind_text(q, 1, lock_id);
	sqlite3_bind_int(q, 2, r->bolt_state);
	sqlite3_bind_int64(q, 3, r->moves);
	sqlite3_bind_int64(q, 4, r->manual);
	return run(st, q);
}
