// SPDX-License-Identifier: GPL-2.0
/*
 * A benchmark, not a test: how long an end-stop edge takes to reach
 * userspace as a doorlock event, read from /dev/doorlockN and from the
 * netlink group, beside a raw gpiolib edge event (libgpiod) on a spare line
 * of the same gpio-sim chip, in the same VM run. Each sample times from
 * just before the pull is written to just after the event is read.
 *
 *   edge-latency [SAMPLES] [DEBOUNCE_MS]     (defaults: 200, 0)
 *
 * Run it in the test VM: tests/vm/run -- build/bench/edge-latency
 */
#include <errno.h>
#include <fcntl.h>
#include <gpiod.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "doorlock_nl.h"
#include "lockdev.h"
#include "simlock.h"

#define MAX_SAMPLES	10000
#define WAIT_MS		2000

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double report(const char *what, double *s, int n)
{
	qsort(s, n, sizeof(*s), cmp_double);
	printf("%-28s median %8.1f us   p90 %8.1f us   min %8.1f us   (n=%d)\n",
	       what, s[n / 2], s[n * 9 / 10], s[0], n);
	return s[n / 2];
}

static int noop_events;

static void count_event(const struct doorlock_event *ev, const char *label,
			void *arg)
{
	(void)ev;
	(void)label;
	(void)arg;
	noop_events++;
}

/* Toggles the unlocked end-stop: each edge is one doorlock event. */
static int bench_chardev(int fd, int n, double *s)
{
	struct doorlock_event ev;
	double t0;
	int i, ret;

	for (i = 0; i < n; i++) {
		t0 = now_us();
		ret = sim_set_input(0, DOORLOCK_SIM_LINE_UNLOCKED, i % 2);
		if (!ret)
			ret = lockdev_next(fd, &ev, WAIT_MS);
		if (ret)
			return ret;
		s[i] = now_us() - t0;
	}
	return 0;
}

static int bench_netlink(struct doorlock_nl *nl, int n, double *s)
{
	struct pollfd pfd = { .fd = doorlock_nl_fd(nl), .events = POLLIN };
	double t0;
	int i, ret, want;

	for (i = 0; i < n; i++) {
		want = noop_events + 1;
		t0 = now_us();
		ret = sim_set_input(0, DOORLOCK_SIM_LINE_UNLOCKED, i % 2);
		while (!ret && noop_events < want) {
			if (poll(&pfd, 1, WAIT_MS) <= 0)
				return -ETIMEDOUT;
			ret = doorlock_nl_recv(nl);
		}
		if (ret)
			return ret;
		s[i] = now_us() - t0;
	}
	return 0;
}

static int bench_gpiod(int n, double *s)
{
	const struct timespec timeout = { .tv_sec = 2 };
	struct gpiod_line_event ev;
	struct gpiod_line *line;
	struct gpiod_chip *chip;
	char label[32];
	int i, ret = 0;
	double t0;

	snprintf(label, sizeof(label), DOORLOCK_SIM_LABEL_PREFIX "0");
	chip = gpiod_chip_open_by_label(label);
	if (!chip)
		return -errno;
	line = gpiod_chip_get_line(chip, DOORLOCK_SIM_LINE_DOOR);
	if (!line || gpiod_line_request_both_edges_events(line, "bench")) {
		ret = -errno;
		goto out;
	}
	for (i = 0; i < n && !ret; i++) {
		t0 = now_us();
		ret = sim_set_input(0, DOORLOCK_SIM_LINE_DOOR, !(i % 2));
		if (!ret && gpiod_line_event_wait(line, &timeout) != 1)
			ret = -ETIMEDOUT;
		if (!ret && gpiod_line_event_read(line, &ev))
			ret = -errno;
		s[i] = now_us() - t0;
	}
out:
	gpiod_chip_close(chip);
	return ret;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	int debounce = argc > 2 ? atoi(argv[2]) : 0;
	static double raw[MAX_SAMPLES], cdev[MAX_SAMPLES], nlink[MAX_SAMPLES];
	struct doorlock_nl *nl = NULL;
	double m_raw, m_cdev, m_nl;
	char params[64];
	int fd = -1, ret;

	if (n < 10 || n > MAX_SAMPLES || debounce < 0) {
		fprintf(stderr, "usage: edge-latency [SAMPLES 10..%d] [DEBOUNCE_MS]\n",
			MAX_SAMPLES);
		return 2;
	}
	snprintf(params, sizeof(params), "debounce_ms=%d", debounce);
	if (simlock_up(1, params))
		return 1;
	fd = lockdev_open(doorlock_find("lock-0"), O_RDONLY);
	ret = fd < 0 ? fd : bench_gpiod(n, raw);
	if (!ret)
		ret = bench_chardev(fd, n, cdev);
	if (!ret) {
		/* Each reader joins only for its own run, so none overflows. */
		close(fd);
		fd = -1;
		ret = doorlock_nl_open(&nl, count_event, NULL);
	}
	if (!ret)
		ret = bench_netlink(nl, n, nlink);
	if (ret) {
		fprintf(stderr, "edge-latency: %s\n", strerror(-ret));
		goto out;
	}
	printf("end-stop edge to userspace, debounce-ms=%d, %d edges each\n",
	       debounce, n);
	m_raw = report("gpiolib edge (libgpiod)", raw, n);
	m_cdev = report("doorlock /dev/doorlock0", cdev, n);
	m_nl = report("doorlock netlink", nlink, n);
	printf("ratio to gpiolib: /dev %.2f, netlink %.2f\n", m_cdev / m_raw,
	       m_nl / m_raw);
out:
	if (fd >= 0)
		close(fd);
	doorlock_nl_close(nl);
	simlock_down(1);
	return ret ? 1 : 0;
}
