// SPDX-License-Identifier: GPL-2.0
/*
 * The HTTP listener's connection limits; see conn_limit.h. lws offers a
 * connection for refusal before it makes a wsi of it, so an accepted one
 * is first known by its descriptor, then by its wsi. The table holds
 * accepted connections only and is at most max_total long: a linear scan
 * per accept is cheaper than the accept itself.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "conn_limit.h"
#include "log.h"

/* How late past its deadline a connection can be closed. */
#define SWEEP_US		(LWS_US_PER_SEC / 2)
/* Refusals are logged at most this often, with how many there were. */
#define REFUSAL_LOG_US		(10 * LWS_US_PER_SEC)

struct conn {
	bool used;
	int fd;
	struct lws *wsi;		/* NULL until lws has made it */
	unsigned char addr[16];		/* IPv4 as v4-mapped IPv6 */
	lws_usec_t accepted;
	lws_usec_t deadline;		/* 0: none */
};

struct tally {
	unsigned long count;		/* since it was last logged */
	unsigned char last[16];
	lws_usec_t logged;
};

struct conn_limit {
	struct lws_context *ctx;
	struct conn_limit_config cfg;
	struct conn *conns;
	lws_sorted_usec_list_t sweep;
	struct tally refused, overdue;
};

static void addr_key(const struct sockaddr *sa, socklen_t len,
		     unsigned char key[16])
{
	const struct sockaddr_in *in4 = (const void *)sa;
	const struct sockaddr_in6 *in6 = (const void *)sa;

	memset(key, 0, 16);
	if (sa->sa_family == AF_INET && len >= sizeof(*in4)) {
		key[10] = 0xff;
		key[11] = 0xff;
		memcpy(key + 12, &in4->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(*in6)) {
		memcpy(key, &in6->sin6_addr, 16);
	}
}

static void addr_text(const unsigned char key[16], char *buf, size_t len)
{
	static const unsigned char v4[12] = { [10] = 0xff, [11] = 0xff };

	if (!memcmp(key, v4, sizeof(v4)))
		inet_ntop(AF_INET, key + 12, buf, len);
	else
		inet_ntop(AF_INET6, key, buf, len);
}

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
	char text[INET6_ADDRSTRLEN];

	if (!t->count || (t->logged && now - t->logged < REFUSAL_LOG_US))
		return;
	addr_text(t->last, text, sizeof(text));
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
		  const unsigned char key[16])
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
	unsigned char key[16];
	struct conn *free_slot = NULL;

	addr_key(addr, len, key);
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
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	unsigned char key[16];
	unsigned int i;

	if (fd < 0 || getpeername(fd, (struct sockaddr *)&peer, &len))
		return;
	addr_key((struct sockaddr *)&peer, len, key);
	for (i = 0; i < cl->cfg.max_total; i++) {
		struct conn *c = &cl->conns[i];

		if (c->used && !c->wsi && c->fd == fd &&
		    !memcmp(c->addr, key, sizeof(key))) {
			c->wsi = wsi;
			return;
		}
	}
}

void conn_limit_rearm(struct conn_limit *cl, struct lws *wsi)
{
	struct conn *c = find_wsi(cl, wsi);

	if (c)
		c->deadline = lws_now_usecs() +
			      (lws_usec_t)cl->cfg.request_s * LWS_US_PER_SEC;
}

void conn_limit_keep(struct conn_limit *cl, struct lws *wsi)
{
	struct conn *c = find_wsi(cl, wsi);

	if (c)
		c->deadline = 0;
}

void conn_limit_gone(struct conn_limit *cl, struct lws *wsi)
{
	struct conn *c = find_wsi(cl, wsi);

	if (c)
		c->used = false;
}
