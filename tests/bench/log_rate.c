// SPDX-License-Identifier: GPL-2.0
/*
 * How many events a second doorlockd's durable log accepts, each in its
 * own transaction as the daemon commits them (SQLite, WAL,
 * synchronous=FULL: one fsync per event). A benchmark: prints figures.
 *
 *   log-rate DIR [N]     appends N (default 2000) events under DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct store *st;
	long long seq;
	int i, n, ret;
	double t0, dt;
	json_t *ev;

	if (argc < 2) {
		fprintf(stderr, "usage: log-rate DIR [N]\n");
		return 2;
	}
	n = argc > 2 ? atoi(argv[2]) : 2000;
	ret = store_open(&st, argv[1]);
	if (ret) {
		fprintf(stderr, "log-rate: %s: cannot open the log\n", argv[1]);
		return 1;
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
			       "event_type", "lock.action_completed",
			       "device_id", "lock_bench", "action", "lock",
			       "status", "success", "performed_via",
			       "remote_api", "timestamp",
			       "2026-01-01T00:00:00Z");
		ret = store_begin(st);
		if (!ret)
			ret = store_event_append(st, "lock_bench", ev, &seq);
		if (!ret)
			ret = store_commit(st);
		json_decref(ev);
		if (ret) {
			fprintf(stderr, "log-rate: append failed\n");
			break;
		}
	}
	dt = now() - t0;
	printf("durable log: %d events in %.2f s: %.0f events/s (%.2f ms each)\n",
	       i, dt, i / dt, dt * 1000 / i);
	store_close(st);
	return ret ? 1 : 0;
}
