// SPDX-License-Identifier: GPL-2.0
/* The kernel log, from /dev/kmsg. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "open /dev/kmsg: %s\n", strerror(errno));
		return -errno;
	}
	if (lseek(fd, 0, SEEK_END) < 0) {
		fprintf(stderr, "seek /dev/kmsg: %s\n", strerror(errno));
		close(fd);
		return -errno;
	}
	return fd;
}

/* Each read() is one record: "prio,seq,usec,flags;text\n". */
bool kmsg_seen(int fd, const char *needle)
{
	char rec[2048];
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: read on */
		if (n <= 0)
			return false;
		rec[n] = '\0';
		if (strstr(rec, needle))
			return true;
	}
}
