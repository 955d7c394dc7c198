// SPDX-License-Identifier: GPL-2.0
/*
 * doorlockctl: look at and drive doorlock locks from a shell.
 *
 *   doorlockctl status [DEV]   state of every lock, or of one
 *   doorlockctl lock DEV       lock, wait for the outcome, print it
 *   doorlockctl unlock DEV     unlock, likewise
 *   doorlockctl stop DEV       stop the action in flight, motor off at once
 *   doorlockctl monitor        every event of every lock, one JSON per line
 *
 * DEV is doorlockN or a lock's label. lock and unlock exit 0 only when the
 * bolt got there. Everything goes through /dev/doorlockN, so whoever may
 * open it (root, or the group udev gives it) may use this; the netlink
 * family is the administrator's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <linux/doorlock.h>
#include "api_error.h"
#include "util.h"

#define SYSFS_CLASS	"/sys/class/" DOORLOCK_CLASS_NAME
/* Longer than any travel timeout the driver accepts (60 s). */
#define OUTCOME_WAIT_MS	65000

static const char *or_unknown(const char *name)
{
	return name ? name : "unknown";
}

/* States, actions and results in the API's words. */
static const char *state_name(uint32_t s)
{
	return or_unknown(api_bolt_state_name(s));
}

static const char *action_name(uint32_t a)
{
	return or_unknown(api_action_name(a));
}

/* The driver's own word for a result, even one this tool predates. */
static const char *result_name(uint32_t r)
{
	return or_unknown(doorlock_result_name(r));
}

/* What DOORLOCK_IOC_ACTION says when the lock will not take a command. */
static bool is_refusal(int err)
{
	return err == EBUSY || err == EPERM || err == EIO || err == EPROTO;
}

static const char *event_name(uint32_t e)
{
	return or_unknown(doorlock_event_type_name(e));
}

static int usage(FILE *f)
{
	fprintf(f,
		"usage: doorlockctl status [DEV]\n"
		"       doorlockctl lock DEV\n"
		"       doorlockctl unlock DEV\n"
		"       doorlockctl stop DEV\n"
		"       doorlockctl monitor\n"
		"DEV is doorlockN or the lock's label.\n");
	return f == stdout ? 0 : 2;
}

static int read_label(const char *name, char *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSFS_CLASS "/%s/label", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* doorlockN, or the doorlockN whose label is @dev, into @name. */
static int resolve(const char *dev, char *name, size_t len)
{
	char label[128];
	struct dirent *de;
	int ret = -ENOENT;
	DIR *dir;

	dir = opendir(SYSFS_CLASS);
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, DOORLOCK_DEV_PREFIX,
			    strlen(DOORLOCK_DEV_PREFIX)))
			continue;
		if (!strcmp(de->d_name, dev) ||
		    (!read_label(de->d_name, label, sizeof(label)) &&
		     !strcmp(label, dev))) {
			snprintf(name, len, "%s", de->d_name);
			ret = 0;
			break;
		}
	}
	closedir(dir);
	return ret;
}

static int open_dev(const char *dev, int flags, char *name, size_t len)
{
	char path[NAME_MAX + 8];
	int fd;

	if (resolve(dev, name, len)) {
		fprintf(stderr, "doorlockctl: no lock '%s' (is doorlock.ko loaded? see %s)\n",
			dev, SYSFS_CLASS);
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		if (err == EACCES || err == EPERM)
			fprintf(stderr, "doorlockctl: %s: permission denied (run as root or join the group that owns it)\n",
				path);
		else
			fprintf(stderr, "doorlockctl: %s: %s\n", path,
				strerror(err));
		return -err;
	}
	return fd;
}

static void print_status(const char *name, const struct doorlock_status *st)
{
	char label[128] = "";

	read_label(name, label, sizeof(label));
	printf("%s label=%s bolt_state=%s last_error=%s enabled=%u action=%s "
	       "lock_count=%u unlock_count=%u failure_count=%u "
	       "manual_count=%u last_travel_ms=%u\n",
	       name, label, state_name(st->bolt_state),
	       result_name(st->last_error), st->enabled,
	       action_name(st->action), st->lock_count,
	       st->unlock_count, st->failure_count, st->manual_count,
	       st->last_travel_ms);
}

static int cmd_status_one(const char *dev)
{
	struct doorlock_status st;
	char name[NAME_MAX + 1];
	int fd, ret = 0;

	fd = open_dev(dev, O_RDONLY, name, sizeof(name));
	if (fd < 0)
		return 1;
	if (ioctl(fd, DOORLOCK_IOC_STATUS, &st)) {
		fprintf(stderr, "doorlockctl: %s: %s\n", name, strerror(errno));
		ret = 1;
	} else {
		print_status(name, &st);
	}
	close(fd);
	return ret;
}

/* Calls @fn for every doorlockN in sysfs, in no particular order. */
static int each_lock(int (*fn)(const char *name, void *arg), void *arg)
{
	struct dirent *de;
	int ret = 0, n = 0;
	DIR *dir;

	dir = opendir(SYSFS_CLASS);
	if (!dir) {
		fprintf(stderr, "doorlockctl: no %s: is doorlock.ko loaded?\n",
			SYSFS_CLASS);
		return -ENOENT;
	}
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, DOORLOCK_DEV_PREFIX,
			    strlen(DOORLOCK_DEV_PREFIX)))
			continue;
		n++;
		if (fn(de->d_name, arg))
			ret = -EIO;
	}
	closedir(dir);
	return ret ? ret : n;
}

static int status_of(const char *name, void *arg)
{
	(void)arg;
	return cmd_status_one(name);
}

static int cmd_status_all(void)
{
	return each_lock(status_of, NULL) < 0;
}

/* Waits for the completion of @cookie on @fd, the device's own queue. */
static int wait_outcome(int fd, uint64_t cookie, struct doorlock_event *ev)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct doorlock_result_query q = {
		.cookie = cookie,
		.flags = DOORLOCK_RESULT_F_BY_COOKIE,
	};
	int ret;

	for (;;) {
		ret = poll(&pfd, 1, OUTCOME_WAIT_MS);
		if (ret <= 0)
			return ret ? -errno : -ETIMEDOUT;
		if (read(fd, ev, sizeof(*ev)) != sizeof(*ev))
			return -errno;
		if (ev->flags & DOORLOCK_EVENT_F_OVERFLOW)
			break;
		if (ev->type == DOORLOCK_EVENT_ACTION_COMPLETED &&
		    ev->cookie == cookie)
			return 0;
	}
	/* Events were dropped: the outcome is kept by cookie. */
	for (;;) {
		if (ioctl(fd, DOORLOCK_IOC_RESULT, &q))
			return -errno;
		if (!q.pending)
			break;
		usleep(20 * 1000);
	}
	ev->result = q.result;
	ev->travel_ms = q.travel_ms;
	return 0;
}

static int cmd_action(const char *dev, uint32_t action)
{
	struct doorlock_action_req req = { .action = action };
	struct doorlock_event ev;
	char name[NAME_MAX + 1];
	int fd, ret;

	fd = open_dev(dev, O_RDWR, name, sizeof(name));
	if (fd < 0)
		return 1;
	if (getrandom(&req.cookie, sizeof(req.cookie), 0) !=
	    sizeof(req.cookie) || !req.cookie)
		req.cookie = (uint64_t)getpid() << 32 | (uint32_t)time(NULL);
	if (ioctl(fd, DOORLOCK_IOC_ACTION, &req)) {
		ret = errno;
		if (is_refusal(ret))
			fprintf(stderr, "doorlockctl: %s: %s refused: %s (%s)\n",
				name, action_name(action),
				api_result_name(api_result_from_refusal(ret)),
				strerror(ret));
		else
			fprintf(stderr, "doorlockctl: %s: %s: %s\n", name,
				action_name(action), strerror(ret));
		close(fd);
		return 1;
	}
	ret = wait_outcome(fd, req.cookie, &ev);
	close(fd);
	if (ret) {
		fprintf(stderr, "doorlockctl: %s: no outcome: %s\n", name,
			strerror(-ret));
		return 1;
	}
	if (ev.result != DOORLOCK_OK) {
		printf("%s: %s failed: %s after %u ms\n", name,
		       action_name(action),
		       result_name(ev.result), ev.travel_ms);
		return 1;
	}
	printf("%s: %s in %u ms\n", name,
	       action == DOORLOCK_ACTION_LOCK ? "locked" : "unlocked",
	       ev.travel_ms);
	return 0;
}

/* Stops whatever the lock is doing: the action in flight, by its id. */
static int cmd_stop(const char *dev)
{
	struct doorlock_abort_req req = { };
	struct doorlock_status st;
	char name[NAME_MAX + 1];
	int fd, ret = 1;

	fd = open_dev(dev, O_RDWR, name, sizeof(name));
	if (fd < 0)
		return 1;
	if (ioctl(fd, DOORLOCK_IOC_STATUS, &st)) {
		fprintf(stderr, "doorlockctl: %s: %s\n", name, strerror(errno));
		goto out;
	}
	req.action_id = st.action_id;
	if (req.action_id && ioctl(fd, DOORLOCK_IOC_ABORT, &req)) {
		if (errno != ESRCH) {
			fprintf(stderr, "doorlockctl: %s: %s\n", name,
				strerror(errno));
			goto out;
		}
		/* It ended between the two calls. */
		req.action_id = 0;
	}
	if (req.action_id)
		printf("%s: stopped the %s in flight\n", name,
		       action_name(st.action));
	else
		printf("%s: nothing to stop\n", name);
	ret = 0;
out:
	close(fd);
	return ret;
}

static void print_event(const struct doorlock_event *ev, const char *label)
{
	printf("{\"device\":\"%s%u\",\"label\":\"%s\",\"seq\":%u,"
	       "\"event\":\"%s\",\"action\":\"%s\",\"cookie\":%" PRIu64 ","
	       "\"result\":\"%s\",\"bolt_state\":\"%s\",\"travel_ms\":%u,"
	       "\"timestamp_ns\":%" PRIu64 "}\n",
	       DOORLOCK_DEV_PREFIX, ev->device, label, ev->seq,
	       event_name(ev->type), action_name(ev->action),
	       (uint64_t)ev->cookie, result_name(ev->result),
	       state_name(ev->bolt_state), ev->travel_ms,
	       (uint64_t)ev->timestamp_ns);
	fflush(stdout);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

#define MONITOR_MAX	64

/* The locks monitored: one open file, with its own queue, per lock. */
struct monitor {
	struct pollfd pfd[MONITOR_MAX];
	char name[MONITOR_MAX][NAME_MAX + 1];
	char label[MONITOR_MAX][128];
	int n;
	bool quiet;	/* rescans say nothing of a lock they cannot open */
};

static int monitor_add(const char *name, void *arg)
{
	struct monitor *m = arg;
	char path[NAME_MAX + 8];
	int i, fd;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->name[i], name))
			return 0;
	if (m->n == MONITOR_MAX)
		return -ENOSPC;
	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && m->quiet)
		return -errno;
	if (fd < 0) {
		fprintf(stderr, "doorlockctl: %s: %s\n", path,
			errno == EACCES || errno == EPERM ?
			"permission denied (run as root or join the group that owns it)" :
			strerror(errno));
		return -errno;
	}
	m->pfd[m->n].fd = fd;
	m->pfd[m->n].events = POLLIN;
	snprintf(m->name[m->n], sizeof(m->name[0]), "%s", name);
	m->label[m->n][0] = '\0';
	read_label(name, m->label[m->n], sizeof(m->label[0]));
	m->n++;
	return 0;
}

static void monitor_drop(struct monitor *m, int i)
{
	close(m->pfd[i].fd);
	m->n--;
	m->pfd[i] = m->pfd[m->n];
	memcpy(m->name[i], m->name[m->n], sizeof(m->name[0]));
	memcpy(m->label[i], m->label[m->n], sizeof(m->label[0]));
}

/* Drains lock @i's queue; false once the lock is gone. */
static bool monitor_read(struct monitor *m, int i)
{
	struct doorlock_event ev;

	while (read(m->pfd[i].fd, &ev, sizeof(ev)) == sizeof(ev)) {
		if (ev.flags & DOORLOCK_EVENT_F_OVERFLOW)
			fprintf(stderr, "doorlockctl: %s: events were lost (queue overflow)\n",
				m->name[i]);
		print_event(&ev, m->label[i]);
	}
	return errno == EAGAIN || errno == EINTR;
}

/* A lock bound later is picked up within a second. */
static int cmd_monitor(void)
{
	struct monitor m = { .n = 0 };
	int i, ret;

	if (each_lock(monitor_add, &m) < 0)
		return 1;
	m.quiet = true;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* Said once every queue is open: from here on, no event is missed. */
	fprintf(stderr, "doorlockctl: monitoring every lock (Ctrl-C stops)\n");
	while (!stop) {
		ret = poll(m.pfd, m.n, 1000);
		if (ret < 0)
			continue;
		for (i = m.n - 1; i >= 0; i--)
			if (m.pfd[i].revents && !monitor_read(&m, i))
				monitor_drop(&m, i);
		each_lock(monitor_add, &m);
	}
	for (i = 0; i < m.n; i++)
		close(m.pfd[i].fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	if (!strcmp(argv[1], "status") && argc == 2)
		return cmd_status_all();
	if (!strcmp(argv[1], "status") && argc == 3)
		return cmd_status_one(argv[2]);
	if (!strcmp(argv[1], "lock") && argc == 3)
		return cmd_action(argv[2], DOORLOCK_ACTION_LOCK);
	if (!strcmp(argv[1], "unlock") && argc == 3)
		return cmd_action(argv[2], DOORLOCK_ACTION_UNLOCK);
	if (!strcmp(argv[1], "stop") && argc == 3)
		return cmd_stop(argv[2]);
	if (!strcmp(argv[1], "monitor") && argc == 2)
		return cmd_monitor();
	return usage(stderr);
}
