/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A client's address as a key: 16 bytes, an IPv4 address as its
 * v4-mapped IPv6 form, so that one table holds both.
 */
#ifndef _DOORLOCKD_PEER_H
#define _DOORLOCKD_PEER_H

#include <stddef.h>
#include <sys/socket.h>

#include <libwebsockets.h>

#define PEER_KEY_LEN	16
#define PEER_TEXT_MAX	46	/* INET6_ADDRSTRLEN */

void peer_key_of(const struct sockaddr *sa, socklen_t len,
		 unsigned char key[PEER_KEY_LEN]);
/* The address at the other end of @wsi's socket: 0 or -errno. */
int peer_key(struct lws *wsi, unsigned char key[PEER_KEY_LEN]);
void peer_text(const unsigned char key[PEER_KEY_LEN], char *buf, size_t len);

#endif /* _DOORLOCKD_PEER_H */
