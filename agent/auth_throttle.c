// SPDX-License-Identifier: GPL-2.0
/*
 * Throttled guessing; see auth_throttle.h. The table is fixed: when it is
 * full the address idle longest makes room, so many addresses cost an
 * attacker their own counts, never the daemon's memory.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "auth_throttle.h"
#include "log.h"

#define AUTH_TABLE_LEN	256

struct guesser {
	bool used;
	unsigned char addr[PEER_KEY_LEN];
	unsigned int failures;
	lws_usec_t last;		/* the last failure */
	lws_usec_t until;		/* no try before this */
};

struct auth_throttle {
	struct guesser g[AUTH_TABLE_LEN];
};

int auth_throttle_new(struct auth_throttle **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void auth_throttle_free(struct auth_throttle *t)
{
	free(t);
}

static struct guesser *find(struct auth_throttle *t,
			    const unsigned char addr[PEER_KEY_LEN],
			    lws_usec_t now)
{
	lws_usec_t forget = (lws_usec_t)AUTH_FORGET_S * LWS_US_PER_SEC;
	unsigned int i;

	for (i = 0; i < AUTH_TABLE_LEN; i++) {
		struct guesser *g = &t->g[i];

		if (g->used && now - g->last > forget)
			g->used = false;
		if (g->used && !memcmp(g->addr, addr, PEER_KEY_LEN))
			return g;
	}
	return NULL;
}

unsigned int auth_throttle_wait(struct auth_throttle *t,
				const unsigned char addr[PEER_KEY_LEN])
{
	lws_usec_t now = lws_now_usecs();
	struct guesser *g = find(t, addr, now);

	if (!g || now >= g->until)
		return 0;
	/* Rounded up: a client that waits this long is let in. */
	return (g->until - now + LWS_US_PER_SEC - 1) / LWS_US_PER_SEC;
}

void auth_throttle_failed(struct auth_throttle *t,
			  const unsigned char addr[PEER_KEY_LEN])
{
	lws_usec_t now = lws_now_usecs();
	struct guesser *g = find(t, addr, now), *oldest = NULL;
	char text[PEER_TEXT_MAX];
	unsigned int i, wait_s;

	if (!g) {
		for (i = 0; i < AUTH_TABLE_LEN && !g; i++) {
			if (!t->g[i].used)
				g = &t->g[i];
			else if (!oldest || t->g[i].last < oldest->last)
				oldest = &t->g[i];
		}
		if (!g)
			g = oldest;
		memset(g, 0, sizeof(*g));
		g->used = true;
		memcpy(g->addr, addr, PEER_KEY_LEN);
	}
	g->failures++;
	g->last = now;
	peer_text(addr, text, sizeof(text));
	if (g->failures == 1)
		log_warn("a wrong token from %s", text);
	if (g->failures < AUTH_FREE_FAILURES)
		return;
	wait_s = g->failures - AUTH_FREE_FAILURES >= 6 ? AUTH_WAIT_MAX_S :
		 1u << (g->failures - AUTH_FREE_FAILURES);
	if (wait_s > AUTH_WAIT_MAX_S)
		wait_s = AUTH_WAIT_MAX_S;
	g->until = now + (lws_usec_t)wait_s * LWS_US_PER_SEC;
	log_warn("%u wrong tokens in a row from %s: its next try waits %u s",
		 g->failures, text, wait_s);
}
