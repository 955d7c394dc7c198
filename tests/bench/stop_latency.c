// SPDX-License-Identifier: GPL-2.0
/*
 * A benchmark, not a test: how long the motor runs on after the bolt
 * reaches its target end-stop, and after the motor driver's fault input
 * asserts, read from the driver's tracepoints (the end-stop's edge time,
 * stamped in its hard IRQ, to the motor-off time), at a given debounce.
 * Each arrival sample is one movement, locking or unlocking; each fault
 * sample stops a lock half-way and unlocks again.
 *
 *   stop-latency [SAMPLES] [DEBOUNCE_MS]     (defaults: 20, 20)
 *
 * Run it in the test VM: tests/vm/run -- build/bench/stop-latency 20 1000
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "ktrace.h"
#include "lockdev.h"
#include "plant.h"
#include "simlock.h"

#define MAX_SAMPLES	200
#define WAIT_MS		10000

static struct ktrace_ev trace[KTRACE_MAX_EVENTS];

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *what, double *s, int n, int debounce)
{
	qsort(s, n, sizeof(*s), cmp_double);
	printf("%-22s debounce %4d ms: median %6.2f ms   worst %6.2f ms   best %6.2f ms   (n=%d)\n",
	       what, debounce, s[n / 2], s[n - 1], s[0], n);
}

/*
 * From the last motor run in the trace: the first edge of @line to
 * level 1 during the run, to the motor-off. -1 when not found.
 */
static double last_stop_ms(const char *line)
{
	const struct ktrace_ev *edge = NULL, *off = NULL;
	int i, n, on = -1;

	n = ktrace_read(trace, KTRACE_MAX_EVENTS);
	for (i = 0; i < n; i++)
		if (!strcmp(trace[i].name, "motor_on"))
			on = i;
	if (on < 0)
		return -1;
	for (i = on + 1; i < n && !off; i++) {
		if (!strcmp(trace[i].name, "motor_off"))
			off = &trace[i];
		else if (!edge && !strcmp(trace[i].name, "edge") &&
			 !strcmp(trace[i].line, line) && trace[i].level == 1)
			edge = &trace[i];
	}
	if (!edge || !off)
		return -1;
	return (off->at_ns - edge->edge_ns) / 1e6;
}

static int act(int fd, uint32_t action, uint64_t cookie, uint32_t want)
{
	struct doorlock_event ev;
	int ret;

	ret = lockdev_action(fd, action, cookie, NULL);
	if (!ret)
		ret = lockdev_wait_done(fd, cookie, &ev, WAIT_MS);
	if (!ret && ev.result != want) {
		fprintf(stderr, "stop-latency: action %llu ended %u, not %u\n",
			(unsigned long long)cookie, ev.result, want);
		ret = -EPROTO;
	}
	return ret;
}

static int wait_left(void)
{
	char reply[256];
	int ms;

	for (ms = 0; ms < WAIT_MS; ms += 2) {
		if (plant_ctl(0, "status", reply, sizeof(reply)))
			return -EIO;
		if (strstr(reply, "locked=0 unlocked=0"))
			return 0;
		usleep(2000);
	}
	return -ETIMEDOUT;
}

int main(int argc, char **argv)
{
	static double arrival[MAX_SAMPLES], fault[MAX_SAMPLES];
	int n = argc > 1 ? atoi(argv[1]) : 20;
	int debounce = argc > 2 ? atoi(argv[2]) : 20;
	char params[128], reply[256];
	uint64_t cookie = 1;
	int i = 0, id, fd, plant = -1, ret = 1;

	if (n < 2 || n > MAX_SAMPLES) {
		fprintf(stderr, "usage: stop-latency [SAMPLES 2..%d] [DEBOUNCE_MS]\n",
			MAX_SAMPLES);
		return 2;
	}
	snprintf(params, sizeof(params),
		 "debounce_ms=%d travel_timeout_ms=5000", debounce);
	if (simlock_up(1, params))
		return 1;
	plant = plant_spawn(0, NULL);
	id = doorlock_find("lock-0");
	fd = id < 0 ? -1 : lockdev_open(id, O_RDWR);
	if (plant <= 0 || fd < 0 || ktrace_start())
		goto out;

	for (i = 0; i < n; i++) {
		uint32_t action = i % 2 ? DOORLOCK_ACTION_UNLOCK :
					  DOORLOCK_ACTION_LOCK;

		if (act(fd, action, cookie++, DOORLOCK_OK))
			goto out;
		arrival[i] = last_stop_ms(i % 2 ? "unlocked" : "locked");
		if (arrival[i] < 0)
			goto out;
	}
	/* The bolt is back on unlocked (n is even) or locked: unlock. */
	if (n % 2 && act(fd, DOORLOCK_ACTION_UNLOCK, cookie++, DOORLOCK_OK))
		goto out;
	for (i = 0; i < n; i++) {
		if (lockdev_action(fd, DOORLOCK_ACTION_LOCK, cookie, NULL) ||
		    wait_left() ||
		    plant_ctl(0, "fault-pulses 2 200000", reply, sizeof(reply)))
			goto out;
		{
			struct doorlock_event ev;

			if (lockdev_wait_done(fd, cookie++, &ev, WAIT_MS))
				goto out;
		}
		fault[i] = last_stop_ms("fault");
		if (fault[i] < 0)
			goto out;
		usleep(250 * 1000);	/* the pulse ends */
		if (act(fd, DOORLOCK_ACTION_UNLOCK, cookie++, DOORLOCK_OK))
			goto out;
	}
	report("arrival to motor-off", arrival, n, debounce);
	report("fault to motor-off", fault, n, debounce);
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "stop-latency: failed at sample %d\n", i);
	ktrace_stop();
	if (fd >= 0)
		close(fd);
	if (plant > 0)
		plant_kill(0, plant);
	simlock_down(1);
	return ret;
}
