// SPDX-License-Identifier: GPL-2.0
/*
 * The driver link; see device_link.h. A one-second tick looks for locks
 * that are offline (a device that is not bound yet, or was unbound, or a
 * module that was reloaded), so they come back without a restart.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "agent.h"
#include "device_link.h"
#include "fdwatch.h"
#include "lock.h"
#include "log.h"

#define DEVICE_LINK_TICK_US	(1000 * 1000)
#define DEVICE_LINK_CLASS	"/sys/class/" DOORLOCK_CLASS_NAME
/* The driver's queue is 64 deep: one read takes all of it. */
#define DEVICE_LINK_BATCH	64
#define DEVICE_LINK_BATCHES	4

struct device_link {
	struct agent *agent;
	lws_sorted_usec_list_t tick;
	bool warned;
};

/* N of the doorlockN whose name or label is @want, or -ENOENT. */
static int find_device(const char *want)
{
	char path[300], label[128];
	struct dirent *de;
	size_t plen = strlen(DOORLOCK_DEV_PREFIX);
	int found = -ENOENT;
	ssize_t n;
	DIR *dir;
	int fd;

	dir = opendir(DEVICE_LINK_CLASS);
	if (!dir)
		return -errno;
	while (found < 0 && (de = readdir(dir))) {
		if (strncmp(de->d_name, DOORLOCK_DEV_PREFIX, plen))
			continue;
		if (!strcmp(de->d_name, want)) {
			found = atoi(de->d_name + plen);
			break;
		}
		snprintf(path, sizeof(path), DEVICE_LINK_CLASS "/%s/label",
			 de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, label, sizeof(label) - 1);
		close(fd);
		if (n <= 0)
			continue;
		label[n] = '\0';
		label[strcspn(label, "\n")] = '\0';
		if (!strcmp(label, want))
			found = atoi(de->d_name + plen);
	}
	closedir(dir);
	return found;
}

static void detach(struct lock *l)
{
	lock_offline(l);
}

/*
 * Every event of the lock, in order, from its own queue. A record marked
 * OVERFLOW follows events the queue dropped: the lock is resynchronised
 * from the driver's records once what did come is applied. ENODEV after
 * the last record (DEVICE_REMOVED) closes the descriptor.
 */
static int dev_readable(void *arg)
{
	struct doorlock_event ev[DEVICE_LINK_BATCH];
	struct lock *l = arg;
	bool overflow = false;
	int batch, err = 0;
	ssize_t n, i;

	/* A few queues' worth at most: the loop is level-triggered. */
	for (batch = 0; batch < DEVICE_LINK_BATCHES; batch++) {
		n = read(l->fd, ev, sizeof(ev));
		if (n <= 0) {
			err = n < 0 ? errno : 0;
			break;
		}
		for (i = 0; i < n / (ssize_t)sizeof(ev[0]); i++) {
			if (ev[i].flags & DOORLOCK_EVENT_F_OVERFLOW)
				overflow = true;
			if (ev[i].type == DOORLOCK_EVENT_DEVICE_REMOVED ||
			    ev[i].type == DOORLOCK_EVENT_DEVICE_ADDED)
				continue;
			lock_driver_event(l, &ev[i]);
		}
	}
	if (overflow) {
		log_warn("%s: driver event queue overrun, events lost: resynchronising",
			 l->cfg->lock_id);
		lock_resync(l);
	}
	/* ENODEV after the last record: the device is gone. */
	if (err && err != EAGAIN && err != EINTR)
		return -err;
	return 0;
}

static void dev_closed(void *arg)
{
	struct lock *l = arg;

	l->dev_watch = NULL;
	if (l->online && !l->agent->stopping)
		lock_offline(l);
}

/*
 * The queue records from the open on, and STATUS comes after it: an
 * event in the queue is either newer than the status's seq, or already
 * told by it and skipped.
 */
static int attach(struct lock *l, unsigned int device)
{
	struct doorlock_status st;
	char path[32];
	int fd, ret;

	snprintf(path, sizeof(path), "/dev/%s%u", DOORLOCK_DEV_PREFIX, device);
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		log_warn("%s: %s: %s", l->cfg->lock_id, path, strerror(errno));
		return ret;
	}
	if (ioctl(fd, DOORLOCK_IOC_STATUS, &st)) {
		ret = -errno;
		goto err;
	}
	ret = fdwatch_add(l->agent->vhost, fd, dev_readable, dev_closed, l,
			  &l->dev_watch);
	if (ret)
		goto err;
	lock_online(l, device, fd, &st);
	return 0;

err:
	log_warn("%s: %s: %s", l->cfg->lock_id, path, strerror(-ret));
	close(fd);
	return ret;
}

/* Brings every configured lock whose device is bound online. */
static void scan(struct device_link *dl)
{
	struct agent *a = dl->agent;
	size_t i;
	int dev;

	for (i = 0; i < a->n_locks; i++) {
		struct lock *l = &a->locks[i];

		if (l->online)
			continue;
		dev = find_device(l->cfg->device);
		if (dev == -ENOENT && !dl->warned && access(DEVICE_LINK_CLASS, F_OK))
			log_warn("driver: no %s (is doorlock.ko loaded?); retrying",
				 DEVICE_LINK_CLASS);
		dl->warned = dev < 0;
		if (dev < 0 || attach(l, dev)) {
			if (!l->updated_at)
				detach(l);
		}
	}
}

static void tick(lws_sorted_usec_list_t *sul)
{
	struct device_link *dl = lws_container_of(sul, struct device_link,
						  tick);
	struct agent *a = dl->agent;
	size_t i;

	for (i = 0; i < a->n_locks; i++)
		lock_tick(&a->locks[i]);
	scan(dl);
	lws_sul_schedule(a->ctx, 0, &dl->tick, tick, DEVICE_LINK_TICK_US);
}

int device_link_start(struct agent *a)
{
	struct device_link *dl;

	dl = calloc(1, sizeof(*dl));
	if (!dl)
		return -ENOMEM;
	dl->agent = a;
	a->link = dl;
	scan(dl);
	lws_sul_schedule(a->ctx, 0, &dl->tick, tick, DEVICE_LINK_TICK_US);
	return 0;
}

void device_link_stop(struct agent *a)
{
	struct device_link *dl = a->link;

	if (!dl)
		return;
	lws_sul_cancel(&dl->tick);
	free(dl);
	a->link = NULL;
}

int device_link_submit(struct lock *l, unsigned int action, uint64_t cookie,
		       uint64_t *action_id)
{
	struct doorlock_action_req req = { .cookie = cookie, .action = action };

	if (l->fd < 0)
		return -ENODEV;
	if (ioctl(l->fd, DOORLOCK_IOC_ACTION, &req))
		return -errno;
	*action_id = req.action_id;
	return 0;
}

int device_link_result(struct lock *l, uint64_t cookie,
		       struct doorlock_result_query *q)
{
	memset(q, 0, sizeof(*q));
	q->cookie = cookie;
	q->flags = DOORLOCK_RESULT_F_BY_COOKIE;
	if (l->fd < 0)
		return -ENODEV;
	return ioctl(l->fd, DOORLOCK_IOC_RESULT, q) ? -errno : 0;
}

bool device_link_gone(struct lock *l)
{
	struct pollfd pfd = { .fd = l->fd };
	struct doorlock_status st;
	int ret;

	/*
	 * STATUS waits for the driver's lock, which its teardown holds from
	 * the failed action to marking the device gone; after it, a device
	 * on its way out says ENODEV, or is disabled and hangs up. poll()
	 * tells without taking a record from the queue.
	 */
	ret = device_link_status(l, &st);
	if (ret)
		return ret == -ENODEV;
	if (st.enabled)
		return false;
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLHUP);
}

int device_link_status(struct lock *l, struct doorlock_status *st)
{
	if (l->fd < 0)
		return -ENODEV;
	return ioctl(l->fd, DOORLOCK_IOC_STATUS, st) ? -errno : 0;
}
