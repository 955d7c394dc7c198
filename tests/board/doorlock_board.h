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
 * On a Device Tree machine (the arm64 test VM) the locks are instead
 * copies of the node the Pi overlay makes, which the tree holds disabled
 * at this path (its unit address is the overlay's default lock pin, 17,
 * in hex); their lines and flags are the overlay's, and the lines
 * above name its properties (DOORLOCK_SIM_LINE_LOCK: lock-gpios, ...).
 * The door contact is not the driver's: there it has no line.
 */
#define DOORLOCK_BOARD_OF_TEMPLATE	"/doorlock@11"

#endif /* _DOORLOCK_BOARD_H */
