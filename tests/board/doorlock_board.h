/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated board the tests wire doorlock to: one gpio-sim chip per
 * lock, labelled DOORLOCK_SIM_LABEL_PREFIX "<n>", with these lines. Shared
 * by the board module and the userspace tests that drive the simulator.
 */
#ifndef _DOORLOCK_BOARD_H
#define _DOORLOCK_BOARD_H

#define DOORLOCK_SIM_LABEL_PREFIX	"doorlock-sim-"
#define DOORLOCK_BOARD_MAX_LOCKS	8

#define DOORLOCK_SIM_LINE_LOCK		0	/* motor output toward locked */
#define DOORLOCK_SIM_LINE_UNLOCK	1	/* motor output toward unlocked */
#define DOORLOCK_SIM_LINE_LOCKED	2	/* end-stop: bolt extended */
#define DOORLOCK_SIM_LINE_UNLOCKED	3	/* end-stop: bolt retracted */
#define DOORLOCK_SIM_LINE_FAULT		4	/* motor-driver fault flag */
#define DOORLOCK_SIM_LINE_DOOR		5	/* door contact, for the agent */
#define DOORLOCK_SIM_LINE_ENABLE	6	/* motor-driver enable (nSLEEP) */
#define DOORLOCK_SIM_NUM_LINES		8

/*
 * With the board's outputs=sleeping or outputs=atomic, the motor outputs
 * reach gpio-sim through a chip of the board's labelled
 * DOORLOCK_OUTPUTS_LABEL_PREFIX "<n>", one that sleeps and can be made to
 * drop writes (bit DOORLOCK_OUTPUTS_LINE_* of the parameter stuck_outputs)
 * or one that never sleeps. Its parameter output_writes lists each change
 * a driver asked of those chips, oldest first, one per line:
 *	<lock> <lock|unlock|enable> <0|1> <hardirq|nmi|task name> <ns> \
 *		<taken|dropped> <repeats>
 * with the CLOCK_MONOTONIC time of the last repeat. A write to it clears it.
 */
#define DOORLOCK_OUTPUTS_LABEL_PREFIX	"doorlock-outputs-"
#define DOORLOCK_OUTPUTS_LINE_LOCK	0
#define DOORLOCK_OUTPUTS_LINE_UNLOCK	1
#define DOORLOCK_OUTPUTS_LINE_ENABLE	2
#define DOORLOCK_OUTPUTS_LINES		3

/*
 * On a Device Tree machine (the arm64 test VM) the locks are instead
 * copies of the node the Pi overlay makes, which the tree holds disabled
 * at this path (its unit address is the overlay's default lock pin, 17,
 * in hex); their lines and flags are the overlay's, and the lines
 * above name its properties (DOORLOCK_SIM_LINE_LOCK: lock-gpios, ...).
 * The door contact is not the driver's: there it has no line.
 */
#define DOORLOCK_BOARD_OF_TEMPLATE	"/doorlock@11"

#endif /* _DOORLOCK_BOARD_H */
