/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a client may hold of the HTTP listener: at most so many connections
 * in all and from one address, and for each a deadline by which its
 * request (headers and body) has arrived, which no dribble extends. A
 * connection past its deadline is closed. The event stream, once it is a
 * WebSocket, has no deadline. HTTP/2 streams count as their connection.
 */
#ifndef _DOORLOCKD_CONN_LIMIT_H
#define _DOORLOCKD_CONN_LIMIT_H

#include <sys/socket.h>

#include <libwebsockets.h>

struct conn_limit;

struct conn_limit_config {
	unsigned int max_total;
	unsigned int max_per_address;
	unsigned int request_s;
};

int conn_limit_new(struct lws_context *ctx, const struct conn_limit_config *cfg,
		   struct conn_limit **out);
/* After lws_context_destroy(), which ends its timer and its connections. */
void conn_limit_free(struct conn_limit *cl);

/*
 * A connection accepted on @fd from @addr: 0 to keep it, -EBUSY when it is
 * one too many (the caller closes it).
 */
int conn_limit_accept(struct conn_limit *cl, const struct sockaddr *addr,
		      socklen_t len, int fd);
/* lws made @wsi of the connection on its descriptor. */
void conn_limit_bind(struct conn_limit *cl, struct lws *wsi);
/* A request of @wsi was answered: the next one has its own deadline. */
void conn_limit_rearm(struct conn_limit *cl, struct lws *wsi);
/* @wsi is an event stream now: no deadline. */
void conn_limit_keep(struct conn_limit *cl, struct lws *wsi);
void conn_limit_gone(struct conn_limit *cl, struct lws *wsi);

#endif /* _DOORLOCKD_CONN_LIMIT_H */
