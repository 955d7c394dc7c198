// SPDX-License-Identifier: GPL-2.0
/* Client addresses as keys; see peer.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "peer.h"

static const unsigned char v4_mapped[12] = { [10] = 0xff, [11] = 0xff };

void peer_key_of(const struct sockaddr *sa, socklen_t len,
		 unsigned char key[PEER_KEY_LEN])
{
	const struct sockaddr_in *in4 = (const void *)sa;
	const struct sockaddr_in6 *in6 = (const void *)sa;

	memset(key, 0, PEER_KEY_LEN);
	if (sa->sa_family == AF_INET && len >= sizeof(*in4)) {
		memcpy(key, v4_mapped, sizeof(v4_mapped));
		memcpy(key + 12, &in4->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6 && len >= sizeof(*in6)) {
		memcpy(key, &in6->sin6_addr, PEER_KEY_LEN);
	}
}

int peer_key(struct lws *wsi, unsigned char key[PEER_KEY_LEN])
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	/* An HTTP/2 stream's socket is its connection's. */
	int fd = lws_get_socket_fd(lws_get_network_wsi(wsi));

	if (fd < 0)
		return -EBADF;
	if (getpeername(fd, (struct sockaddr *)&peer, &len))
		return -errno;
	peer_key_of((struct sockaddr *)&peer, len, key);
	return 0;
}

void peer_text(const unsigned char key[PEER_KEY_LEN], char *buf, size_t len)
{
	if (!memcmp(key, v4_mapped, sizeof(v4_mapped)))
		inet_ntop(AF_INET, key + 12, buf, len);
	else
		inet_ntop(AF_INET6, key, buf, len);
}
