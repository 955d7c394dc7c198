// SPDX-License-Identifier: GPL-2.0
/*
 * Inside the test VM, for make check's panic step (tests/vm/run --panic):
 * one lock whose outputs never sleep (the board's outputs=atomic), its
 * motor driving toward locked with no plant to move the bolt, and then a
 * kernel panic through the board. The outputs chip prints each change a
 * panic makes on the console, where the step looks for the driver's panic
 * notifier switching the motor off. Returns only if something failed.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "lockdev.h"
#include "simlock.h"

#define PANIC	"/sys/module/doorlock_board/parameters/panic"

int main(void)
{
	uint64_t action = 0;
	int id, fd;

	/* Timeouts far beyond the test (their maximum): only a panic stops it. */
	if (simlock_up(1, "outputs=atomic start_timeout_ms=10000 travel_timeout_ms=60000"))
		return 1;
	id = doorlock_find("lock-0");
	if (id < 0)
		return 1;
	fd = lockdev_open(id, O_RDWR);
	if (fd < 0)
		return 1;
	if (lockdev_action(fd, DOORLOCK_ACTION_LOCK, 1, &action))
		return 1;
	if (sim_get_output(0, DOORLOCK_SIM_LINE_LOCK) != 1) {
		fprintf(stderr, "the lock output is not on\n");
		return 1;
	}
	printf("the lock output is on: panicking\n");
	fflush(stdout);
	sysfs_write(PANIC, "1");
	fprintf(stderr, "still running after the panic\n");
	return 1;
}
