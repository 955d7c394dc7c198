// SPDX-License-Identifier: GPL-2.0
/* Host names resolved off the lws loop; see resolver.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "resolver.h"
#include "util.h"

/* How often the loop looks whether a lookup has ended. */
#define RESOLVER_POLL_US	(20 * LWS_US_PER_MS)

struct query {
	struct gaicb cb;		/* glibc's, until the lookup ends */
	struct addrinfo hints;
	resolver_done_fn done;
	void *arg;
	struct query *next;
	char host[];
};

struct resolver {
	struct lws_context *ctx;
	lws_sorted_usec_list_t sul;
	struct query *pending;
};

int resolver_create(struct lws_context *ctx, struct resolver **out)
{
	struct resolver *r;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->ctx = ctx;
	*out = r;
	return 0;
}

/*
 * The address to use, as text ("" if none): the first IPv4 one, else the
 * first IPv6 one. A Pi on a home network has IPv4 far more surely than a
 * route for IPv6, and one address is all lws takes.
 */
static void pick_address(const struct addrinfo *res, char *buf, size_t len)
{
	static const int families[] = { AF_INET, AF_INET6 };
	const struct addrinfo *ai;
	const void *addr;
	size_t f;

	for (f = 0; f < ARRAY_SIZE(families); f++) {
		for (ai = res; ai; ai = ai->ai_next) {
			if (ai->ai_family != families[f])
				continue;
			if (ai->ai_family == AF_INET)
				addr = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
			else
				addr = &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
			if (inet_ntop(ai->ai_family, addr, buf, len))
				return;
		}
	}
	buf[0] = '\0';
}

static void query_end(struct query *q, int err)
{
	char addr[RESOLVER_ADDR_MAX];

	if (err) {
		q->done(q->arg, NULL, gai_strerror(err));
	} else {
		pick_address(q->cb.ar_result, addr, sizeof(addr));
		freeaddrinfo(q->cb.ar_result);
		if (addr[0])
			q->done(q->arg, addr, NULL);
		else
			q->done(q->arg, NULL, "no IPv4 or IPv6 address");
	}
	free(q);
}

static void resolver_poll(lws_sorted_usec_list_t *sul)
{
	struct resolver *r = lws_container_of(sul, struct resolver, sul);
	struct query **pp = &r->pending, *ended = NULL, *q;
	int err;

	/*
	 * Unlinked first: a @done may start the next lookup. Ended means
	 * glibc says so under its own lock (gai_cancel: all done), so its
	 * thread is finished with @q and what it wrote is visible here.
	 */
	while ((q = *pp)) {
		if (gai_error(&q->cb) == EAI_INPROGRESS ||
		    gai_cancel(&q->cb) != EAI_ALLDONE) {
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		q->next = ended;
		ended = q;
	}
	if (r->pending)
		lws_sul_schedule(r->ctx, 0, &r->sul, resolver_poll,
				 RESOLVER_POLL_US);
	while ((q = ended)) {
		ended = q->next;
		err = gai_error(&q->cb);
		query_end(q, err);
	}
}

int resolver_lookup(struct resolver *r, const char *host,
		    resolver_done_fn done, void *arg)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	struct gaicb *list[1];
	struct query *q;
	size_t len = strlen(host) + 1;
	int err;

	q = calloc(1, sizeof(*q) + len);
	if (!q)
		return -ENOMEM;
	memcpy(q->host, host, len);
	q->hints.ai_family = AF_UNSPEC;
	q->hints.ai_socktype = SOCK_STREAM;
	q->cb.ar_name = q->host;
	q->cb.ar_request = &q->hints;
	q->done = done;
	q->arg = arg;
	list[0] = &q->cb;
	/* EAI_AGAIN: queued all the same, only no waiter was set up. */
	err = getaddrinfo_a(GAI_NOWAIT, list, 1, &sev);
	if (err && err != EAI_AGAIN) {
		err = errno ? -errno : -EAGAIN;
		log_err("cannot start resolving %s: %s", host, strerror(-err));
		free(q);
		return err;
	}
	if (!r->pending)
		lws_sul_schedule(r->ctx, 0, &r->sul, resolver_poll,
				 RESOLVER_POLL_US);
	q->next = r->pending;
	r->pending = q;
	return 0;
}

void resolver_destroy(struct resolver *r)
{
	struct query *q;

	if (!r)
		return;
	lws_sul_cancel(&r->sul);
	while ((q = r->pending)) {
		r->pending = q->next;
		switch (gai_cancel(&q->cb)) {
		case EAI_ALLDONE:
			if (q->cb.ar_result)
				freeaddrinfo(q->cb.ar_result);
			fallthrough;
		case EAI_CANCELED:
			q->done(q->arg, NULL, "cancelled");
			free(q);
			break;
		default:
			/*
			 * glibc's thread still writes into @q: it is left to
			 * it, once, as the daemon exits.
			 */
			q->done(q->arg, NULL, "cancelled");
			break;
		}
	}
	free(r);
}
