/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wrong tokens, counted per client address. After AUTH_FREE_FAILURES in a
 * row an address waits before its next try, twice as long after each
 * further failure, up to AUTH_WAIT_MAX_S. A right token clears nothing
 * (whoever holds one token could otherwise guess another at full speed):
 * an address is forgotten once AUTH_FORGET_S pass without a wrong token.
 * Other addresses are not affected.
 */
#ifndef _DOORLOCKD_AUTH_THROTTLE_H
#define _DOORLOCKD_AUTH_THROTTLE_H

#include <libwebsockets.h>

#include "peer.h"

#define AUTH_FREE_FAILURES	5
#define AUTH_WAIT_MAX_S		60
#define AUTH_FORGET_S		600

struct auth_throttle;

int auth_throttle_new(struct auth_throttle **out);
void auth_throttle_free(struct auth_throttle *t);

/* Seconds @addr must still wait before a token of it is tried; 0: none. */
unsigned int auth_throttle_wait(struct auth_throttle *t,
				const unsigned char addr[PEER_KEY_LEN]);
void auth_throttle_failed(struct auth_throttle *t,
			  const unsigned char addr[PEER_KEY_LEN]);

#endif /* _DOORLOCKD_AUTH_THROTTLE_H */
