/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test board's outputs chip, between the driver and a lock's motor
 * outputs on gpio-sim: see doorlock_board_outputs.c.
 */
#ifndef _DOORLOCK_BOARD_OUTPUTS_H
#define _DOORLOCK_BOARD_OUTPUTS_H

#include <linux/types.h>

struct doorlock_board_outputs;

/*
 * A chip labelled DOORLOCK_OUTPUTS_LABEL_PREFIX "<lock>" whose lines
 * DOORLOCK_OUTPUTS_LINE_* pass on to those of the gpio-sim chip
 * @sim_label; ERR_PTR on failure.
 */
struct doorlock_board_outputs *
doorlock_board_outputs_add(unsigned int lock, const char *sim_label,
			   bool can_sleep);
const char *doorlock_board_outputs_label(struct doorlock_board_outputs *o);
/* After the driver has let go of the lines. NULL is no chip. */
void doorlock_board_outputs_remove(struct doorlock_board_outputs *o);

#endif /* _DOORLOCK_BOARD_OUTPUTS_H */
