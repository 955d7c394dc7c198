// SPDX-License-Identifier: GPL-2.0
/* The test board's outputs chip, from its module parameters. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "board_outputs.h"
#include "simlock.h"

#define PARAMS	"/sys/module/doorlock_board/parameters/"

int board_outputs_clear(void)
{
	int ret = sysfs_write(PARAMS "output_writes", "0");

	if (ret)
		fprintf(stderr, "clearing output_writes: %s\n", strerror(-ret));
	return ret;
}

int board_outputs_read(struct board_output_write *w, int max)
{
	char buf[8192], taken[8], *line, *save;
	int n = 0, ret;

	ret = sysfs_read(PARAMS "output_writes", buf, sizeof(buf));
	if (ret)
		return ret;
	for (line = strtok_r(buf, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		struct board_output_write *e = &w[n];

		memset(e, 0, sizeof(*e));
		if (sscanf(line, "%u %7s %d %15s %" SCNu64 " %7s %u", &e->lock,
			   e->line, &e->value, e->ctx, &e->ns, taken,
			   &e->repeats) != 7) {
			fprintf(stderr, "output_writes: bad line \"%s\"\n",
				line);
			return -EPROTO;
		}
		e->dropped = !strcmp(taken, "dropped");
		n++;
	}
	return n;
}

int board_outputs_find(const struct board_output_write *w, int n, int from,
		       unsigned int lock, const char *line, int value)
{
	int i;

	for (i = from < 0 ? 0 : from; i < n; i++)
		if (w[i].lock == lock && !strcmp(w[i].line, line) &&
		    w[i].value == value && !w[i].dropped)
			return i;
	return -1;
}

int board_outputs_run(const struct board_output_write *w, int n,
		      unsigned int lock, const char *line, int *on, int *off)
{
	*on = board_outputs_find(w, n, 0, lock, line, 1);
	*off = *on < 0 ? -1 : board_outputs_find(w, n, *on, lock, line, 0);
	if (*off < 0) {
		fprintf(stderr, "output_writes: no run of %u %s\n", lock, line);
		return -ENOENT;
	}
	return 0;
}

int board_outputs_stick(unsigned int mask)
{
	char val[16];
	int ret;

	snprintf(val, sizeof(val), "%u", mask);
	ret = sysfs_write(PARAMS "stuck_outputs", val);
	if (ret)
		fprintf(stderr, "stuck_outputs=%s: %s\n", val, strerror(-ret));
	return ret;
}
