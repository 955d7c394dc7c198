// SPDX-License-Identifier: GPL-2.0
/*
 * with-locks N -- CMD [ARGS...]: inside the test VM, brings up N simulated
 * locks (gpio-sim chips, the board module, doorlock.ko, a doorlock-plant
 * each, bolts unlocked), runs CMD, and then checks that no motor output
 * was left active and that no plant ever saw both directions driven.
 * Exits with CMD's status, or 1 when a check failed. tests/vm/run --locks
 * wraps the command in it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doorlock_board.h"
#include "plant.h"
#include "simlock.h"

/* An action CMD left running ends within its timeouts: give it 5 s. */
static bool motor_stops(unsigned int lock)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (!sim_get_output(lock, DOORLOCK_SIM_LINE_LOCK) &&
		    !sim_get_output(lock, DOORLOCK_SIM_LINE_UNLOCK))
			return true;
		usleep(10 * 1000);
	}
	return false;
}

static int usage(void)
{
	fprintf(stderr, "usage: with-locks N -- CMD [ARGS...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int plants[DOORLOCK_BOARD_MAX_LOCKS];
	unsigned int n, locks;
	int pid, status, rc, v;

	if (argc < 4 || strcmp(argv[2], "--"))
		return usage();
	locks = strtoul(argv[1], NULL, 10);
	if (!locks || locks > DOORLOCK_BOARD_MAX_LOCKS)
		return usage();

	if (simlock_up(locks, NULL))
		return 1;
	for (n = 0; n < locks; n++) {
		plants[n] = plant_spawn(n, NULL);
		if (plants[n] < 0) {
			fprintf(stderr, "with-locks: plant %u: %s\n", n,
				strerror(-plants[n]));
			return 1;
		}
	}

	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		execvp(argv[3], argv + 3);
		fprintf(stderr, "with-locks: %s: %s\n", argv[3],
			strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	for (n = 0; n < locks; n++) {
		if (!motor_stops(n)) {
			fprintf(stderr, "with-locks: lock %u: motor output left active\n",
				n);
			rc = rc ? rc : 1;
		}
		v = plant_kill(n, plants[n]);
		if (v) {
			fprintf(stderr, "with-locks: lock %u: plant saw %d safety violations\n",
				n, v);
			rc = rc ? rc : 1;
		}
	}
	simlock_down(locks);
	return rc;
}
