// SPDX-License-Identifier: GPL-2.0
/*
 * The HTTP listener's connection limits; see conn_limit.h. lws offers a
 * connection for refusal before it makes a wsi of it, so an accepted one
 * is first known by its descriptor, then by its wsi. The table holds
 * accepted connections only and is at most max_total long: a linear scan
 * per accept is cheaper than the accept itself.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn_limit.h"
#include "log.h"
#include "peer.h"

/* How late past its deadline a connection can be closed. */
#define SWEEP_US		(LWS_US_PER_SEC / 2)
/* Refusals are logged at most this often, with how many there were. */
#define REFUSAL_LOG_US		(10 * LWS_US_PER_SEC)

struct conn {
	bool used;
	int fd;
	struct lws *wsi;		/* NULL until lws has made it */
	unsigned char addr[PEER_KEY_LEN];
	lws_usec_t accepted;
	lws_usec_t deadline;		/* 0: none */
};

struct tally {
	unsigned long count;		/* since it was last logged */
	unsigned char last[PEER_KEY_LEN];
	lws_usec_t logged;
};

struct conn_limit {
	struct lws_context *ctx;
	struct conn_limit_config cfg;
	struct conn *conns;
	lws_sorted_usec_list_t sweep;
	struct tally refused, overdue;
};

static struct conn *find_wsi(struct conn_limit *cl, struct lws *wsi)
{
	unsigned int i;

	for (i = 0; i < cl->cfg.max_total; i++)
		if (cl->conns[i].used && cl->conns[i].wsi == wsi)
			return &cl->conns[i];
	return NULL;
}

/*
 * Each kind of trouble is logged at once, then at most every
 * REFUSAL_LOG_US with how many there were meanwhile (the sweep says what
 * is left): an attacker cannot flood the log.
 */
static void tally_log(struct conn_limit *cl, struct tally *t, lws_usec_t now)
{
	char text[PEER_TEXT_MAX];

	if (!t->count || (t->logged && now - t->logged < REFUSAL_LOG_US))
		return;
	peer_text(t->last, text, sizeof(text));
	if (t == &cl->refused)
		log_warn("refused %lu connection%s (the last from %s): at most %u from one address, %u in all",
			 t->count, t->count == 1 ? "" : "s", text,
			 cl->cfg.max_per_address, cl->cfg.max_total);
	else
		log_warn("closed %lu connection%s whose request took over %u s (the last from %s)",
			 t->count, t->count == 1 ? "" : "s", cl->cfg.request_s,
			 text);
	t->count = 0;
	t->logged = now;
}

static void tally(struct conn_limit *cl, struct tally *t, lws_usec_t now,
		  const unsigned char key[PEER_KEY_LEN])
{
	t->count++;
	memcpy(t->last, key, sizeof(t->last));
	tally_log(cl, t, now);
}

static void sweep(lws_sorted_usec_list_t *sul)
{
	struct conn_limit *cl = lws_container_of(sul, struct conn_limit, sweep);
	lws_usec_t now = lws_now_usecs();
	lws_usec_t stale = (lws_usec_t)cl->cfg.request_s * LWS_US_PER_SEC;
	unsigned int i;

	for (i = 0; i < cl->cfg.max_total; i++) {
		struct conn *c = &cl->conns[i];

		if (!c->used)
			continue;
		/* Accepted, but lws never made it a wsi (it failed). */
		if (!c->wsi && now - c->accepted > stale) {
			c->used = false;
			continue;
		}
		if (!c->wsi || !c->deadline || now < c->deadline)
			continue;
		c->deadline = 0;
		tally(cl, &cl->overdue, now, c->addr);
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK,
				LWS_TO_KILL_ASYNC);
	}
	tally_log(cl, &cl->refused, now);
	tally_log(cl, &cl->overdue, now);
	lws_sul_schedule(cl->ctx, 0, &cl->sweep, sweep, SWEEP_US);
}

int conn_limit_new(struct lws_context *ctx, const struct conn_limit_config *cfg,
		   struct conn_limit **out)
{
	struct conn_limit *cl;

	cl = calloc(1, sizeof(*cl));
	if (!cl)
		return -ENOMEM;
	cl->conns = calloc(cfg->max_total, sizeof(*cl->conns));
	if (!cl->conns) {
		free(cl);
		return -ENOMEM;
	}
	cl->ctx = ctx;
	cl->cfg = *cfg;
	lws_sul_schedule(ctx, 0, &cl->sweep, sweep, SWEEP_US);
	*out = cl;
	return 0;
}

void conn_limit_free(struct conn_limit *cl)
{
	if (!cl)
		return;
	free(cl->conns);
	free(cl);
}

int conn_limit_accept(struct conn_limit *cl, const struct sockaddr *addr,
		      socklen_t len, int fd)
{
	unsigned int i, total = 0, same = 0;
	lws_usec_t now = lws_now_usecs();
	unsigned char key[PEER_KEY_LEN];
	struct conn *free_slot = NULL;

	peer_key_of(addr, len, key);
	for (i = 0; i < cl->cfg.max_total; i++) {
		struct conn *c = &cl->conns[i];

		/* The descriptor's last connection never became a wsi. */
		if (c->used && !c->wsi && c->fd == fd)
			c->used = false;
		if (!c->used) {
			if (!free_slot)
				free_slot = c;
			continue;
		}
		total++;
		if (!memcmp(c->addr, key, sizeof(key)))
			same++;
	}
	if (!free_slot || total >= cl->cfg.max_total ||
	    same >= cl->cfg.max_per_address) {
		tally(cl, &cl->refused, now, key);
		return -EBUSY;
	}
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	free_slot->fd = fd;
	memcpy(free_slot->addr, key, sizeof(key));
	free_slot->accepted = now;
	free_slot->deadline = now +
			      (lws_usec_t)cl->cfg.request_s * LWS_US_PER_SEC;
	return 0;
}

/*
 * lws says this of descriptors it adopts too (the daemon's signalfd, the
 * driver's): only a socket whose peer is the accepted one's is bound.
 */
void conn_limit_bind(struct conn_limit *cl, struct lws *wsi)
{
	int fd = lws_get_socket_fd(wsi);
	unsigned char key[PEER_KEY_LEN];
	unsigned int i;

	if (peer_key(wsi, key))
		return;
	for (i = 0; i < cl->cfg.max_total; i++) {
		struct conn *c = &cl->conns[i];

		if (c->used && !c->wsi && c->fd == fd &&
		    !memcmp(c->addr, key, sizeof(key))) {
			c->wsi = wsi;
			return;
		}
	}
}

/* What an HTTP/2 stream does counts for its connection. */
void conn_limit_rearm(struct conn_limit *cl, struct lws *wsi)
{
	struct conn *c = find_wsi(cl, lws_get_network_wsi(wsi));

	if (c)
		c->deadline = lws_now_usecs() +
			      (lws_usec_t)cl->cfg.request_s * LWS_US_PER_SEC;
}

void conn_limit_keep(struct conn_limit *cl, struct lws *wsi)
{
	struct conn *c = find_wsi(cl, lws_get_network_wsi(wsi));

	if (c)
		c->deadline = 0;
}

void conn_limit_gone(struct conn_limit *cl, struct lws *wsi)
{
	struct conn *c = find_wsi(cl, wsi);

	if (c)
		c->used = false;
}
