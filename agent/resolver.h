/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host names resolved off the lws loop. A lookup can take seconds (a DNS
 * server that does not answer, a network that is down), and the loop
 * serves the API and watches the locks meanwhile: glibc's getaddrinfo_a
 * does the lookup on its own thread, and the loop only polls for the end.
 */
#ifndef _DOORLOCKD_RESOLVER_H
#define _DOORLOCKD_RESOLVER_H

#include <libwebsockets.h>

/* Longest numeric address handed to @done, with its NUL. */
#define RESOLVER_ADDR_MAX	46

/*
 * The lookup ended: @address is the one to use (numeric: the first IPv4
 * address found, else the first IPv6 one), or NULL and @error says why.
 * Called from the loop, never from inside resolver_lookup();
 * resolver_destroy() calls it with "cancelled" for what was pending.
 */
typedef void (*resolver_done_fn)(void *arg, const char *address,
				 const char *error);

struct resolver;

int resolver_create(struct lws_context *ctx, struct resolver **out);
/* Ends every pending lookup (see resolver_done_fn), then frees @r. */
void resolver_destroy(struct resolver *r);
int resolver_lookup(struct resolver *r, const char *host,
		    resolver_done_fn done, void *arg);

#endif /* _DOORLOCKD_RESOLVER_H */
