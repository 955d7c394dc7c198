// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetime under load, for KASAN, lockdep and kmemleak to judge: threads
 * that open, query, command, read and close /dev/doorlockN, and dump the
 * locks over netlink, while the lock is unbound and bound again under
 * them. The test asserts only that the lock works afterwards; what it is
 * for is a clean kernel, which the VM run checks (a splat fails the run).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "doorlock_nl.h"
#include "lock_fixture.h"

#define STRESS_THREADS	4
#define REBINDS		4

static atomic_bool stop;
static atomic_uint rounds;

static void *chardev_loop(void *arg)
{
	uint64_t cookie = (uintptr_t)arg << 32;
	struct doorlock_status st;
	struct doorlock_event ev;
	int id, fd;

	while (!stop) {
		id = doorlock_find("lock-0");
		fd = id < 0 ? -1 : lockdev_open(id, O_RDWR | O_NONBLOCK);
		if (fd < 0) {
			usleep(1000);
			continue;
		}
		lockdev_status(fd, &st);
		cookie++;
		lockdev_action(fd, cookie % 2 ? DOORLOCK_ACTION_LOCK :
				   DOORLOCK_ACTION_UNLOCK, cookie, NULL);
		while (read(fd, &ev, sizeof(ev)) == sizeof(ev))
			;
		close(fd);
		atomic_fetch_add(&rounds, 1);
	}
	return NULL;
}

static void *netlink_loop(void *arg)
{
	struct doorlock_nl_device devs[8];
	struct doorlock_nl *nl;
	size_t n;

	while (!stop) {
		if (doorlock_nl_open(&nl, NULL, NULL)) {
			usleep(1000);
			continue;
		}
		doorlock_nl_dump(nl, devs, 8, &n);
		doorlock_nl_close(nl);
	}
	return NULL;
}

TEST(open_command_and_dump_while_the_lock_comes_and_goes)
{
	pthread_t t[STRESS_THREADS + 1];
	char params[128];
	struct doorlock_event ev;
	int i, id, fd, pid, ret = -EBUSY;

	snprintf(params, sizeof(params), "locks=1 %s", BOARD_PARAMS);
	ASSERT_EQ(0, simlock_up(1, BOARD_PARAMS));
	pid = plant_spawn(0, NULL);
	ASSERT_LT(0, pid);
	for (i = 0; i < STRESS_THREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, chardev_loop,
					    (void *)(uintptr_t)(i + 1)));
	ASSERT_EQ(0, pthread_create(&t[i], NULL, netlink_loop, NULL));

	for (i = 0; i < REBINDS; i++) {
		usleep(300 * 1000);
		ASSERT_EQ(0, module_unload("doorlock_board"));
		usleep(100 * 1000);
		ASSERT_EQ(0, module_load(board_ko(), params));
		ASSERT_LE(0, doorlock_wait("lock-0", WAIT_MS));
	}
	usleep(300 * 1000);
	stop = true;
	for (i = 0; i <= STRESS_THREADS; i++)
		pthread_join(t[i], NULL);
	TH_LOG("%u open-command-close rounds over %d rebinds", rounds,
	       REBINDS);
	EXPECT_LT(0, rounds);

	/* Whatever the threads left in flight, the lock still works. */
	id = doorlock_wait("lock-0", WAIT_MS);
	ASSERT_LE(0, id);
	fd = lockdev_open(id, O_RDWR);
	ASSERT_LE(0, fd);
	for (i = 0; i < 50 && ret == -EBUSY; i++) {
		ret = lockdev_action(fd, DOORLOCK_ACTION_LOCK, 99, NULL);
		if (ret == -EBUSY)
			usleep(100 * 1000);
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, lockdev_wait_done(fd, 99, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_OK, ev.result);
	close(fd);
	EXPECT_EQ(0, plant_kill(0, pid));
	simlock_down(1);
}

TEST_HARNESS_MAIN
