/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test board's locks on a Device Tree machine: see doorlock_board_of.c.
 * Without CONFIG_OF_DYNAMIC there is no such machine, and the board makes
 * its locks from lookup tables and software nodes.
 */
#ifndef _DOORLOCK_BOARD_OF_H
#define _DOORLOCK_BOARD_OF_H

#include <linux/errno.h>
#include <linux/platform_device.h>
#include <linux/types.h>

/* What the board module's parameters ask of lock n; -1 keeps a value. */
struct doorlock_board_props {
	const char *label;
	int start_timeout_ms;
	int travel_timeout_ms;
	int debounce_ms;
	bool fault_line;
};

struct doorlock_board_of;

#ifdef CONFIG_OF_DYNAMIC
bool doorlock_board_of_machine(void);
struct doorlock_board_of *
doorlock_board_of_add(unsigned int n, const struct doorlock_board_props *p);
struct platform_device *doorlock_board_of_pdev(struct doorlock_board_of *ol);
void doorlock_board_of_remove(struct doorlock_board_of *ol);
#else
static inline bool doorlock_board_of_machine(void)
{
	return false;
}

static inline struct doorlock_board_of *
doorlock_board_of_add(unsigned int n, const struct doorlock_board_props *p)
{
	return ERR_PTR(-ENODEV);
}

static inline struct platform_device *
doorlock_board_of_pdev(struct doorlock_board_of *ol)
{
	return NULL;
}

static inline void doorlock_board_of_remove(struct doorlock_board_of *ol)
{
}
#endif

#endif /* _DOORLOCK_BOARD_OF_H */
