// SPDX-License-Identifier: GPL-2.0
/*
 * The driver link; see device_link.h. A one-second tick looks for locks
 * that are offline (a device that is not bound yet, or was unbound, or a
 * module that was reloaded and has a new family id), so they come back
 * without a restart.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "agent.h"
#include "device_link.h"
#include "doorlock_nl.h"
#include "fdwatch.h"
#include "lock.h"
#include "log.h"

#define DEVICE_LINK_TICK_US	(1000 * 1000)
#define DEVICE_LINK_DUMP_MAX	64
#define DEVICE_LINK_RESYNC_US	(100 * 1000)

struct device_link {
	struct agent *agent;
	struct doorlock_nl *nl;
	struct fdwatch *nl_watch;
	lws_sorted_usec_list_t tick;
	/* Work that must not run inside libnl's receive callback. */
	lws_sorted_usec_list_t later;
	bool want_scan;
	bool want_resync;
	bool warned;
};

static struct lock *lock_of_device(struct agent *a, unsigned int device)
{
	size_t i;

	for (i = 0; i < a->n_locks; i++)
		if (a->locks[i].online && a->locks[i].device == (int)device)
			return &a->locks[i];
	return NULL;
}

static void detach(struct lock *l)
{
	lock_offline(l);
}

static int dev_readable(void *arg)
{
	struct doorlock_event ev[16];
	struct lock *l = arg;
	ssize_t n;

	/*
	 * The events come through netlink; this queue is read only to keep
	 * it empty and to learn, from ENODEV, that the device went away.
	 */
	do {
		n = read(l->fd, ev, sizeof(ev));
	} while (n > 0);
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return -1;
	return 0;
}

static void dev_closed(void *arg)
{
	struct lock *l = arg;

	l->dev_watch = NULL;
	if (l->online && !l->agent->stopping)
		lock_offline(l);
}

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

static bool device_matches(const struct lock *l,
			   const struct doorlock_nl_device *d)
{
	char name[32];

	snprintf(name, sizeof(name), "%s%u", DOORLOCK_DEV_PREFIX, d->device);
	return !strcmp(l->cfg->device, name) ||
	       !strcmp(l->cfg->device, d->label);
}

static void nl_drop(struct device_link *dl)
{
	fdwatch_remove(dl->nl_watch);
	dl->nl_watch = NULL;
	doorlock_nl_close(dl->nl);
	dl->nl = NULL;
}

static void all_offline(struct agent *a)
{
	size_t i;

	for (i = 0; i < a->n_locks; i++)
		if (a->locks[i].online || !a->locks[i].updated_at)
			detach(&a->locks[i]);
}

/* Brings every configured lock whose device is bound online. */
static void scan(struct device_link *dl)
{
	struct doorlock_nl_device devs[DEVICE_LINK_DUMP_MAX];
	struct agent *a = dl->agent;
	size_t n = 0, i, j;
	bool found;
	int ret;

	ret = doorlock_nl_dump(dl->nl, devs, DEVICE_LINK_DUMP_MAX, &n);
	if (ret) {
		/* The module was unloaded or reloaded: start over. */
		log_info("driver: device list: %s", strerror(-ret));
		nl_drop(dl);
		all_offline(a);
		return;
	}
	for (i = 0; i < a->n_locks; i++) {
		struct lock *l = &a->locks[i];

		found = false;
		for (j = 0; j < n && !found; j++) {
			if (!device_matches(l, &devs[j]))
				continue;
			found = true;
			if (!l->online)
				attach(l, devs[j].device);
			else if (l->device != (int)devs[j].device)
				detach(l);
		}
		if (!found && (l->online || !l->updated_at))
			detach(l);
	}
}

static void refresh(struct device_link *dl);

static void run_later(lws_sorted_usec_list_t *sul)
{
	struct device_link *dl = lws_container_of(sul, struct device_link,
						  later);
	struct agent *a = dl->agent;
	size_t i;

	if (dl->want_scan)
		refresh(dl);
	if (dl->want_resync)
		for (i = 0; i < a->n_locks; i++)
			lock_resync(&a->locks[i]);
	dl->want_scan = false;
	dl->want_resync = false;
}

static void on_event(const struct doorlock_event *ev, const char *label,
		     void *arg)
{
	struct device_link *dl = arg;
	struct lock *l = lock_of_device(dl->agent, ev->device);

	switch (ev->type) {
	case DOORLOCK_EVENT_DEVICE_ADDED:
		/* A failed dump frees the socket this callback is reading. */
		dl->want_scan = true;
		lws_sul_schedule(dl->agent->ctx, 0, &dl->later, run_later, 1);
		break;
	case DOORLOCK_EVENT_DEVICE_REMOVED:
		if (l)
			detach(l);
		break;
	default:
		if (l)
			lock_driver_event(l, ev);
		break;
	}
}

static int nl_readable(void *arg)
{
	struct device_link *dl = arg;
	struct agent *a = dl->agent;
	int ret;

	ret = doorlock_nl_recv(dl->nl);
	if (ret == -ENOBUFS) {
		/*
		 * The kernel says so before the messages it did queue: read
		 * those first, then settle from the driver's own records.
		 */
		log_warn("driver: netlink overrun, events lost: resynchronising");
		dl->want_scan = true;
		dl->want_resync = true;
		lws_sul_schedule(a->ctx, 0, &dl->later, run_later,
				 DEVICE_LINK_RESYNC_US);
		return 0;
	}
	if (ret)
		log_warn("driver: netlink: %s", strerror(-ret));
	return 0;
}

static void nl_closed(void *arg)
{
	struct device_link *dl = arg;

	dl->nl_watch = NULL;
	doorlock_nl_close(dl->nl);
	dl->nl = NULL;
}

static int nl_connect(struct device_link *dl)
{
	int ret;

	ret = doorlock_nl_open(&dl->nl, on_event, dl);
	if (ret) {
		if (!dl->warned)
			log_warn("driver: generic netlink family \"%s\": %s (is doorlock.ko loaded?); retrying",
				 DOORLOCK_GENL_NAME, strerror(-ret));
		dl->warned = true;
		dl->nl = NULL;
		return ret;
	}
	dl->warned = false;
	if (dl->agent->netlink_rcvbuf)
		doorlock_nl_set_rcvbuf(dl->nl, dl->agent->netlink_rcvbuf);
	ret = fdwatch_add(dl->agent->vhost, doorlock_nl_fd(dl->nl),
			  nl_readable, nl_closed, dl, &dl->nl_watch);
	if (ret) {
		doorlock_nl_close(dl->nl);
		dl->nl = NULL;
		return ret;
	}
	log_info("driver: connected to the \"%s\" family", DOORLOCK_GENL_NAME);
	return 0;
}

/* Joins the group first, then lists devices, so no event falls between. */
static void refresh(struct device_link *dl)
{
	if (!dl->nl && nl_connect(dl)) {
		all_offline(dl->agent);
		return;
	}
	scan(dl);
}

static void tick(lws_sorted_usec_list_t *sul)
{
	struct device_link *dl = lws_container_of(sul, struct device_link,
						  tick);
	struct agent *a = dl->agent;
	bool offline = !dl->nl;
	size_t i;

	for (i = 0; i < a->n_locks; i++) {
		offline |= !a->locks[i].online;
		lock_tick(&a->locks[i]);
	}
	if (offline)
		refresh(dl);
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
	refresh(dl);
	lws_sul_schedule(a->ctx, 0, &dl->tick, tick, DEVICE_LINK_TICK_US);
	return 0;
}

void device_link_stop(struct agent *a)
{
	struct device_link *dl = a->link;

	if (!dl)
		return;
	lws_sul_cancel(&dl->tick);
	lws_sul_cancel(&dl->later);
	nl_drop(dl);
	free(dl);
	a->link = NULL;
}

int device_link_submit(struct lock *l, unsigned int action, uint64_t cookie,
		       unsigned int *result)
{
	struct doorlock_action_req req = { .cookie = cookie, .action = action };

	if (l->fd < 0)
		return -ENODEV;
	if (ioctl(l->fd, DOORLOCK_IOC_ACTION, &req))
		return -errno;
	*result = req.result;
	return 0;
}

int device_link_result(struct lock *l, uint64_t cookie,
		       struct doorlock_result_query *q)
{
	memset(q, 0, sizeof(*q));
	q->cookie = cookie;
	if (l->fd < 0)
		return -ENODEV;
	return ioctl(l->fd, DOORLOCK_IOC_RESULT, q) ? -errno : 0;
}

bool device_link_gone(struct lock *l)
{
	struct doorlock_status st;
	struct doorlock_event ev;

	/*
	 * STATUS waits for the driver's lock, which its teardown holds from
	 * the failed action to marking the device gone; after it a read
	 * says ENODEV if the device is on its way out.
	 */
	if (device_link_status(l, &st) == -ENODEV)
		return true;
	if (st.enabled)
		return false;
	return read(l->fd, &ev, sizeof(ev)) < 0 && errno == ENODEV;
}

int device_link_status(struct lock *l, struct doorlock_status *st)
{
	if (l->fd < 0)
		return -ENODEV;
	return ioctl(l->fd, DOORLOCK_IOC_STATUS, st) ? -errno : 0;
}
