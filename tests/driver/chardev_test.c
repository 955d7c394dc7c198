// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/doorlockN as a reader sees it: one queue per open file, overflow
 * reported, poll() and O_NONBLOCK, whole records only, bogus ioctls
 * refused, and the lock going away under a reader or a running motor.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "ktrace.h"
#include "lock_fixture.h"

static struct ktrace_ev trace[KTRACE_MAX_EVENTS];

TEST_F(lock, two_readers_each_see_every_event)
{
	struct doorlock_event a, b;
	int fd2, i;

	fd2 = lockdev_open(self->id, O_RDONLY);
	ASSERT_LE(0, fd2);
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, lockdev_next(fd2, &b, WAIT_MS));
		EXPECT_EQ(1, b.cookie);
	}
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_COMPLETED, b.type);
	EXPECT_EQ(0, lockdev_drain(fd2, 100));
	/* And a reader opened later sees only what came after. */
	plant(_metadata, "manual-unlock");
	ASSERT_EQ(0, lockdev_wait_type(self->fd, DOORLOCK_EVENT_MANUAL_MOVE,
				       &a, WAIT_MS));
	ASSERT_EQ(0, lockdev_wait_type(fd2, DOORLOCK_EVENT_MANUAL_MOVE, &b,
				       WAIT_MS));
	EXPECT_EQ(a.seq, b.seq);
	close(fd2);
}

TEST_F(lock, idle_reader_sees_overflow_and_results_survive)
{
	struct doorlock_result_query q;
	struct doorlock_event ev;
	int idle, i, n = 40;
	uint32_t first_seq;

	idle = lockdev_open(self->id, O_RDONLY);
	ASSERT_LE(0, idle);
	/* Unlocking an unlocked bolt: two events each, no motion. */
	for (i = 1; i <= n; i++) {
		start(_metadata, self->fd, DOORLOCK_ACTION_UNLOCK, i);
		done(_metadata, self->fd, i, DOORLOCK_OK,
		     DOORLOCK_BOLT_UNLOCKED);
	}
	ASSERT_EQ(0, lockdev_next(idle, &ev, WAIT_MS));
	EXPECT_TRUE(ev.flags & DOORLOCK_EVENT_F_OVERFLOW);
	first_seq = ev.seq;
	for (i = 1; !lockdev_next(idle, &ev, 100); i++)
		EXPECT_FALSE(ev.flags & DOORLOCK_EVENT_F_OVERFLOW);
	EXPECT_EQ(64, i);
	EXPECT_EQ(first_seq + 63, ev.seq);
	close(idle);

	/* The outcome of every recent action is still there. */
	for (i = n - DOORLOCK_RESULTS_KEPT + 1; i <= n; i++) {
		if (i < 1)
			continue;
		ASSERT_EQ(0, lockdev_result(self->fd, i, &q)) TH_LOG("%d", i);
		EXPECT_EQ(0, q.pending);
		EXPECT_EQ(DOORLOCK_OK, q.result);
	}
}

TEST_F(lock, nonblocking_read_and_poll)
{
	struct pollfd pfd = { .events = POLLIN };
	struct doorlock_event ev;

	pfd.fd = lockdev_open(self->id, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	EXPECT_EQ(-1, read(pfd.fd, &ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, lockdev_action(pfd.fd, DOORLOCK_ACTION_UNLOCK, 5, NULL));
	EXPECT_EQ(1, poll(&pfd, 1, WAIT_MS));
	EXPECT_EQ(POLLIN, pfd.revents);
	EXPECT_EQ(sizeof(ev), read(pfd.fd, &ev, sizeof(ev)));
	close(pfd.fd);
}

TEST_F(lock, read_returns_whole_records_only)
{
	struct doorlock_event evs[4];
	char small[sizeof(struct doorlock_event) - 1];

	ASSERT_EQ(0, lockdev_action(self->fd, DOORLOCK_ACTION_UNLOCK, 5, NULL));
	EXPECT_EQ(-1, read(self->fd, small, sizeof(small)));
	EXPECT_EQ(EINVAL, errno);
	/* Room for three and a half: two are queued, two come back. */
	EXPECT_EQ(2 * sizeof(evs[0]),
		  read(self->fd, evs, 3 * sizeof(evs[0]) + 20));
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_STARTED, evs[0].type);
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_COMPLETED, evs[1].type);
	EXPECT_EQ(evs[0].seq + 1, evs[1].seq);
}

/* A read into a bad buffer fails, and its event waits for the next one. */
TEST_F(lock, a_faulting_read_loses_no_event)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct doorlock_event ev;
	void *noaccess;

	noaccess = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	ASSERT_NE(MAP_FAILED, noaccess);
	ASSERT_EQ(0, lockdev_action(self->fd, DOORLOCK_ACTION_UNLOCK, 5, NULL));
	ASSERT_EQ(1, poll(&pfd, 1, WAIT_MS));
	EXPECT_EQ(-1, read(self->fd, noaccess, sizeof(ev)));
	EXPECT_EQ(EFAULT, errno);
	munmap(noaccess, 4096);
	ASSERT_EQ(0, lockdev_next(self->fd, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_STARTED, ev.type);
	EXPECT_EQ(5, ev.cookie);
	ASSERT_EQ(0, lockdev_next(self->fd, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_COMPLETED, ev.type);
}

TEST_F(lock, bogus_ioctls_are_refused_and_change_nothing)
{
	struct doorlock_action_req req;
	struct doorlock_result_query q;
	struct doorlock_status before, after;
	char junk[64] = { };
	int i, ro;

	ASSERT_EQ(0, lockdev_status(self->fd, &before));
	EXPECT_EQ(-1, ioctl(self->fd, _IO(DOORLOCK_IOC_MAGIC, 0x7f)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(DOORLOCK_IOC_MAGIC, 0x01,
					    char[20]), junk));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(DOORLOCK_IOC_MAGIC, 0x02,
					   char[60]), junk));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_ACTION, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* The first uapi's sizes: a program built against it is refused. */
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(DOORLOCK_IOC_MAGIC, 0x01,
					    char[24]), junk));
	EXPECT_EQ(ENOTTY, errno);

	/* Every reserved word, flag and output field must come in zero. */
	for (i = 0; i < 4; i++) {
		memset(&req, 0, sizeof(req));
		req.cookie = 1;
		req.action = DOORLOCK_ACTION_LOCK;
		req.reserved[i] = 1;
		EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_ACTION, &req));
		EXPECT_EQ(EINVAL, errno);
	}
	memset(&req, 0, sizeof(req));
	req.cookie = 1;
	req.action = DOORLOCK_ACTION_LOCK;
	req.flags = 0x80;
	EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_ACTION, &req));
	EXPECT_EQ(EINVAL, errno);
	req.flags = 0;
	req.action_id = 3;
	EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_ACTION, &req));
	EXPECT_EQ(EINVAL, errno);
	req.action_id = 0;
	/* Cookie 0 is "no action" in events: not a tag. */
	req.cookie = 0;
	EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_ACTION, &req));
	EXPECT_EQ(EINVAL, errno);
	req.cookie = 1;
	req.action = DOORLOCK_ACTION_NONE;
	EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_ACTION, &req));
	EXPECT_EQ(EINVAL, errno);
	req.action = DOORLOCK_ACTION_UNLOCK + 1;
	EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_ACTION, &req));
	EXPECT_EQ(EINVAL, errno);

	for (i = 0; i < 4; i++) {
		memset(&q, 0, sizeof(q));
		q.reserved[i] = 9;
		EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_RESULT, &q));
		EXPECT_EQ(EINVAL, errno);
	}
	memset(&q, 0, sizeof(q));
	q.flags = DOORLOCK_RESULT_F_BY_COOKIE << 1;
	EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_RESULT, &q));
	EXPECT_EQ(EINVAL, errno);
	/* The key not used must be zero. */
	memset(&q, 0, sizeof(q));
	q.action_id = 1;
	q.cookie = 1;
	EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_RESULT, &q));
	EXPECT_EQ(EINVAL, errno);
	q.flags = DOORLOCK_RESULT_F_BY_COOKIE;
	EXPECT_EQ(-1, ioctl(self->fd, DOORLOCK_IOC_RESULT, &q));
	EXPECT_EQ(EINVAL, errno);
	/* No action has id 0, nor any cookie 0. */
	EXPECT_EQ(-ENOENT, lockdev_result_id(self->fd, 0, &q));
	EXPECT_EQ(-ENOENT, lockdev_result(self->fd, 0, &q));

	/* Commands need a writable open. */
	ro = lockdev_open(self->id, O_RDONLY);
	ASSERT_LE(0, ro);
	memset(&req, 0, sizeof(req));
	req.cookie = 1;
	req.action = DOORLOCK_ACTION_LOCK;
	EXPECT_EQ(-1, ioctl(ro, DOORLOCK_IOC_ACTION, &req));
	EXPECT_EQ(EBADF, errno);
	close(ro);

	EXPECT_EQ(0, lockdev_drain(self->fd, 100));
	ASSERT_EQ(0, lockdev_status(self->fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
}

struct blocked_read {
	int fd;
	pid_t tid;
	ssize_t first;
	struct doorlock_event ev;
	ssize_t second;
	int second_errno;
};

/*
 * Until the thread of @br sleeps, as one blocked in read() does: state S
 * in its /proc stat. 0, or -ETIMEDOUT after @timeout_ms.
 */
static int wait_blocked(struct blocked_read *br, int timeout_ms)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd, ms;

	for (ms = 0; ms < timeout_ms; ms += 10, usleep(10 * 1000)) {
		if (!__atomic_load_n(&br->tid, __ATOMIC_ACQUIRE))
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/stat",
			 br->tid);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p && !strncmp(p, ") S", 3))
			return 0;
	}
	return -ETIMEDOUT;
}

static void blocked_read_starts(struct blocked_read *br)
{
	__atomic_store_n(&br->tid, (pid_t)syscall(SYS_gettid),
			 __ATOMIC_RELEASE);
}

static void *read_twice(void *arg)
{
	struct blocked_read *br = arg;

	blocked_read_starts(br);
	br->first = read(br->fd, &br->ev, sizeof(br->ev));
	br->second = read(br->fd, &br->ev, sizeof(br->ev));
	br->second_errno = errno;
	return NULL;
}

TEST_F(lock, unbind_wakes_a_blocked_reader)
{
	struct blocked_read br = { .fd = self->fd };
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct doorlock_status st;
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, read_twice, &br));
	ASSERT_EQ(0, wait_blocked(&br, WAIT_MS));
	ASSERT_EQ(0, module_unload("doorlock_board"));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(sizeof(br.ev), br.first);
	EXPECT_EQ(DOORLOCK_EVENT_DEVICE_REMOVED, br.ev.type);
	EXPECT_EQ(-1, br.second);
	EXPECT_EQ(ENODEV, br.second_errno);
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_TRUE(pfd.revents & POLLHUP);
	EXPECT_EQ(-ENODEV, lockdev_status(self->fd, &st));
	/* The node itself is gone. */
	EXPECT_EQ(-ENOENT, lockdev_open(self->id, O_RDONLY));
}

static void *read_once(void *arg)
{
	struct blocked_read *br = arg;

	blocked_read_starts(br);
	br->first = read(br->fd, &br->ev, sizeof(br->ev));
	return NULL;
}

static void *act_later(void *arg)
{
	uint64_t id;

	usleep(2000 * 1000);
	return (void *)(long)lockdev_action(*(int *)arg, DOORLOCK_ACTION_LOCK,
					    1, &id);
}

/*
 * One thread waits in read(); a non-blocking read on the same file must
 * answer EAGAIN at once, not queue behind it. An action two seconds on
 * ends the wait of whichever read waits, so that this fails, not hangs.
 */
TEST_F(lock, a_nonblocking_read_never_waits_behind_a_blocking_one)
{
	struct blocked_read br = { .fd = self->fd };
	struct doorlock_event ev;
	struct timespec t0, t1;
	pthread_t reader, actor;
	void *acted;
	long ms;
	ssize_t n;
	int err;

	ASSERT_EQ(0, pthread_create(&reader, NULL, read_once, &br));
	ASSERT_EQ(0, wait_blocked(&br, WAIT_MS));
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL,
			   fcntl(self->fd, F_GETFL) | O_NONBLOCK));
	ASSERT_EQ(0, pthread_create(&actor, NULL, act_later, &self->fd));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = read(self->fd, &ev, sizeof(ev));
	err = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EAGAIN, err);
	EXPECT_GT(1000, ms) TH_LOG("the non-blocking read took %ld ms", ms);
	ASSERT_EQ(0, pthread_join(actor, &acted));
	EXPECT_EQ(0, (long)acted);
	ASSERT_EQ(0, pthread_join(reader, NULL));
	EXPECT_EQ(sizeof(br.ev), br.first);
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_STARTED, br.ev.type);
	/* The action runs its course before the fixture checks the motor. */
	ASSERT_EQ(0, lockdev_wait_type(self->fd, DOORLOCK_EVENT_ACTION_COMPLETED,
				       &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_OK, ev.result);
}

static void *unload_board_later(void *arg)
{
	usleep(200 * 1000);
	*(int *)arg = module_unload("doorlock_board");
	return NULL;
}

/*
 * An epoll waiter that asked for no event still gets EPOLLHUP: the wake
 * must carry it, not only EPOLLIN. Whether the unbind comes before the
 * wait or during it, only a wake with EPOLLHUP makes the file ready.
 */
TEST_F(lock, unbind_wakes_an_epoll_waiter_with_hup)
{
	struct epoll_event want = { .events = 0 }, got = { 0 };
	int ep, unloaded = -1;
	pthread_t t;

	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &want));
	ASSERT_EQ(0, pthread_create(&t, NULL, unload_board_later, &unloaded));
	EXPECT_EQ(1, epoll_wait(ep, &got, 1, WAIT_MS));
	EXPECT_TRUE(got.events & EPOLLHUP);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(0, unloaded);
	close(ep);
}

TEST_F(lock, unbind_while_the_motor_runs_stops_it)
{
	struct doorlock_event ev;
	int n;

	/* Still running when the unbind comes, however slow the VM. */
	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms",
					 "60000"));
	plant(_metadata, "slow");
	ASSERT_EQ(0, ktrace_start());
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	/* Off its end-stop, so the state it ends in does not race the VM. */
	plant_wait(_metadata, "unlocked=0");
	ASSERT_EQ(1, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	ASSERT_EQ(0, module_unload("doorlock_board"));
	/*
	 * gpio-sim resets a released line to its pull, so the output reads 0
	 * whatever the driver did: the trace shows the driver's own order.
	 */
	n = ktrace_read(trace, KTRACE_MAX_EVENTS);
	ASSERT_LT(0, n);
	EXPECT_EQ(0, ktrace_check_release(trace, n, self->id, true, "unbind"));
	done(_metadata, self->fd, 1, DOORLOCK_E_ABORTED,
	     DOORLOCK_BOLT_NOT_FULLY_LOCKED);
	ASSERT_EQ(0, lockdev_next(self->fd, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_EVENT_DEVICE_REMOVED, ev.type);
	EXPECT_EQ(-ENODEV, lockdev_next(self->fd, &ev, WAIT_MS));
}

TEST_F(lock, rmmod_while_the_motor_runs_stops_it)
{
	char consumer[32];
	int lock_line, n;

	/*
	 * gpio-sim resets a released line to its pull, so the output reads 0
	 * after the unload whatever the driver did: gpiolib's own trace of
	 * the driver's writes says what it did. (The doorlock events are
	 * not used: unloading the module would clear the buffer.)
	 */
	snprintf(consumer, sizeof(consumer), "doorlock%d:lock", self->id);
	lock_line = ktrace_gpio_number(consumer);
	ASSERT_LE(0, lock_line);
	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms",
					 "60000"));
	plant(_metadata, "slow");
	ASSERT_EQ(0, ktrace_start_gpio());
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	ASSERT_EQ(1, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	/* An open file pins the module; close it, then unload. */
	EXPECT_EQ(-EWOULDBLOCK, module_unload("doorlock"));
	close(self->fd);
	self->fd = -1;
	/* Still running: the unload, not a timeout, is what stops it. */
	ASSERT_EQ(1, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	ASSERT_EQ(0, module_unload("doorlock"));
	n = ktrace_read(trace, KTRACE_MAX_EVENTS);
	ASSERT_LT(0, n);
	EXPECT_EQ(0, ktrace_last_set(trace, n, lock_line))
		TH_LOG("the driver's last write to %s", consumer);
}

/*
 * An action is the lock's, not its caller's file: a caller that dies does
 * not abort it, and it ends on its own, its result read by the others.
 */
TEST_F(lock, an_action_outlives_its_caller)
{
	struct doorlock_event ev;
	int pid, status;

	plant(_metadata, "slow");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd = lockdev_open(self->id, O_RDWR);

		_exit(fd < 0 ||
		      lockdev_action(fd, DOORLOCK_ACTION_LOCK, 9, NULL));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* Its caller gone, it still runs, and times out as it would have. */
	EXPECT_EQ(1, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	ASSERT_EQ(0, lockdev_wait_done(self->fd, 9, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED, ev.result);
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
}

TEST_HARNESS_MAIN
