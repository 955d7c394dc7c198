/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers: the test board's outputs chip (outputs=sleeping or
 * outputs=atomic), its log of output changes and its stuck lines. Every
 * function returns 0 or -errno and says on stderr what failed.
 */
#ifndef _BOARD_OUTPUTS_H
#define _BOARD_OUTPUTS_H

#include <stdbool.h>
#include <stdint.h>

#define BOARD_OUTPUTS_MAX_WRITES	64

/* One line of the board's output_writes (doorlock_board.h). */
struct board_output_write {
	unsigned int lock;
	char line[8];		/* "lock", "unlock", "enable" */
	int value;
	char ctx[16];		/* "hardirq", "nmi" or the task's name */
	uint64_t ns;		/* CLOCK_MONOTONIC, of the last repeat */
	bool dropped;
	unsigned int repeats;
};

int board_outputs_clear(void);
/* The log into @w (at most @max), oldest first: a count, or -errno. */
int board_outputs_read(struct board_output_write *w, int max);
/*
 * The first taken write of @value to @line of @lock at index @from or
 * later, or -1.
 */
int board_outputs_find(const struct board_output_write *w, int n, int from,
		       unsigned int lock, const char *line, int value);
/*
 * The first run of @line of @lock: the index of its first taken write of
 * 1 in @on, of the taken write of 0 after it in @off. 0, or -ENOENT.
 */
int board_outputs_run(const struct board_output_write *w, int n,
		      unsigned int lock, const char *line, int *on, int *off);
/* Writes to these DOORLOCK_OUTPUTS_LINE_* bits are dropped from now on. */
int board_outputs_stick(unsigned int mask);

#endif /* _BOARD_OUTPUTS_H */
