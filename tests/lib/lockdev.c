// SPDX-License-Identifier: GPL-2.0
/*
 * Test helpers around /dev/doorlockN; see lockdev.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "lockdev.h"

int lockdev_open(unsigned int id, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/" DOORLOCK_DEV_PREFIX "%u", id);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "# open %s: %s\n", path, strerror(errno));
		return -errno;
	}
	return fd;
}

int lockdev_action(int fd, uint32_t action, uint64_t cookie,
		   uint64_t *action_id)
{
	struct doorlock_action_req req = {
		.cookie = cookie,
		.action = action,
	};

	if (ioctl(fd, DOORLOCK_IOC_ACTION, &req))
		return -errno;
	if (action_id)
		*action_id = req.action_id;
	return 0;
}

int lockdev_status(int fd, struct doorlock_status *st)
{
	return ioctl(fd, DOORLOCK_IOC_STATUS, st) ? -errno : 0;
}

int lockdev_result(int fd, uint64_t cookie, struct doorlock_result_query *q)
{
	memset(q, 0, sizeof(*q));
	q->cookie = cookie;
	q->flags = DOORLOCK_RESULT_F_BY_COOKIE;
	return ioctl(fd, DOORLOCK_IOC_RESULT, q) ? -errno : 0;
}

int lockdev_result_id(int fd, uint64_t action_id,
		      struct doorlock_result_query *q)
{
	memset(q, 0, sizeof(*q));
	q->action_id = action_id;
	return ioctl(fd, DOORLOCK_IOC_RESULT, q) ? -errno : 0;
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int lockdev_next(int fd, struct doorlock_event *ev, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (!ret)
		return -ETIMEDOUT;
	n = read(fd, ev, sizeof(*ev));
	if (n < 0)
		return -errno;
	return n == sizeof(*ev) ? 0 : -EIO;
}

int lockdev_wait_type(int fd, uint32_t type, struct doorlock_event *ev,
		      int timeout_ms)
{
	long long end = ms_now() + timeout_ms;
	int ret;

	for (;;) {
		ret = lockdev_next(fd, ev, end - ms_now() > 0 ?
				   (int)(end - ms_now()) : 0);
		if (ret || ev->type == type)
			return ret;
	}
}

int lockdev_wait_done(int fd, uint64_t cookie, struct doorlock_event *ev,
		      int timeout_ms)
{
	long long end = ms_now() + timeout_ms;
	int ret;

	for (;;) {
		ret = lockdev_wait_type(fd, DOORLOCK_EVENT_ACTION_COMPLETED, ev,
					end - ms_now() > 0 ?
					(int)(end - ms_now()) : 0);
		if (ret || ev->cookie == cookie)
			return ret;
	}
}

int lockdev_drain(int fd, int quiet_ms)
{
	struct doorlock_event ev;
	int n = 0;

	while (!lockdev_next(fd, &ev, quiet_ms))
		n++;
	return n;
}
