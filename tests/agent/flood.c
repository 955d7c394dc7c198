// SPDX-License-Identifier: GPL-2.0
/*
 * flood: one request per connection, as fast as one client can, for the
 * denial-of-service test (dos_test.py).
 *
 *   flood PORT COUNT FILE...
 *
 * Connection i sends the bytes of FILE i modulo the number of files to
 * 127.0.0.1:PORT, waits up to 2 s for the first bytes of an answer, and
 * resets the connection (SO_LINGER 0) whatever else the server meant to
 * read or send: a client that goes away mid-conversation, and a million
 * of them leave no TIME_WAIT behind. Prints how many got an answer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define FLOOD_FILES_MAX	8
#define FLOOD_REQ_MAX	4096

struct payload {
	char bytes[FLOOD_REQ_MAX];
	size_t len;
};

static int load(const char *path, struct payload *p)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return -errno;
	p->len = fread(p->bytes, 1, sizeof(p->bytes), f);
	fclose(f);
	return p->len ? 0 : -EINVAL;
}

/* 1 when the server answered something, 0 when not, -errno on failure. */
static int one(const struct sockaddr_in *to, const struct payload *p)
{
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };
	struct timeval tv = { .tv_sec = 2 };
	char buf[4096];
	int fd, ret;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (const struct sockaddr *)to, sizeof(*to))) {
		ret = -errno;
		goto out;
	}
	if (write(fd, p->bytes, p->len) != (ssize_t)p->len) {
		ret = -EIO;
		goto out;
	}
	ret = read(fd, buf, sizeof(buf)) > 0;
out:
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	struct payload payloads[FLOOD_FILES_MAX];
	struct sockaddr_in to = { .sin_family = AF_INET };
	long count, i, answered = 0;
	int files, ret;

	if (argc < 4 || argc - 3 > FLOOD_FILES_MAX) {
		fprintf(stderr, "usage: flood PORT COUNT FILE...\n");
		return 2;
	}
	to.sin_port = htons(atoi(argv[1]));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	count = atol(argv[2]);
	files = argc - 3;
	for (i = 0; i < files; i++) {
		ret = load(argv[3 + i], &payloads[i]);
		if (ret) {
			fprintf(stderr, "flood: %s: %s\n", argv[3 + i],
				strerror(-ret));
			return 1;
		}
	}
	for (i = 0; i < count; i++) {
		ret = one(&to, &payloads[i % files]);
		if (ret < 0) {
			fprintf(stderr, "flood: connection %ld: %s\n", i,
				strerror(-ret));
			return 1;
		}
		answered += ret;
	}
	printf("%ld\n", answered);
	return 0;
}
