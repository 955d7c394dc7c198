/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers: simulated locks on gpio-sim, the modules that bind them,
 * and small sysfs accessors. Every function returns 0 or -errno and says
 * on stderr what failed, so a failing test explains itself.
 */
#ifndef _SIMLOCK_H
#define _SIMLOCK_H

#include <stdbool.h>
#include <stddef.h>

/* Paths of the modules under test, overridable from the environment. */
#define SIMLOCK_ENV_DOORLOCK_KO	"DOORLOCK_KO"
#define SIMLOCK_ENV_BOARD_KO	"DOORLOCK_BOARD_KO"
/*
 * The test kernel the VM runs (6.1, 6.12, arm64), which picks the default
 * paths of both.
 */
#define SIMLOCK_ENV_KERNEL	"DOORLOCK_KERNEL"

/*
 * The chips are gpio-sim's, made through configfs, one per lock; on a
 * Device Tree machine they are the tree's banks, which stay, and the lines
 * and their polarity are the Pi overlay's (tests/board/doorlock_board.h).
 * Lines are named by the board's DOORLOCK_SIM_LINE_*, and "high" is the
 * line's active level: a closed switch, an output driven.
 */
int sim_chip_create(unsigned int lock);
int sim_chip_destroy(unsigned int lock);
/* True when the chips come from the Device Tree and cannot be destroyed. */
bool sim_chips_fixed(void);
int sim_line_path(char *path, size_t len, unsigned int lock,
		  unsigned int line, const char *attr);
/* Whether the board wires @line (a Device Tree's node may leave it out). */
bool sim_line_exists(unsigned int lock, unsigned int line);
/* What to write to an input's "pull" for it to read @asserted. */
const char *sim_input_pull(unsigned int line, bool asserted);
int sim_set_input(unsigned int lock, unsigned int line, bool high);
int sim_get_output(unsigned int lock, unsigned int line);

int module_load(const char *path, const char *params);
int module_unload(const char *name);
const char *doorlock_ko(void);
const char *board_ko(void);

/*
 * Brings up @locks simulated locks, bolts on the unlocked end-stop, with the
 * board module loaded with @board_params and doorlock.ko loaded. On failure
 * it undoes what it did.
 */
int simlock_up(unsigned int locks, const char *board_params);
void simlock_down(unsigned int locks);

int sysfs_read(const char *path, char *buf, size_t len);
int sysfs_write(const char *path, const char *val);
int doorlock_attr_path(char *path, size_t len, unsigned int id,
		       const char *attr);
int doorlock_attr_read(unsigned int id, const char *attr, char *buf,
		       size_t len);
int doorlock_attr_write(unsigned int id, const char *attr, const char *val);
/*
 * Reads @attr until it reads @want, for up to @timeout_ms: end-stop edges
 * reach the driver's state only after their debounce. Leaves the last
 * value read in @buf. Returns 0, or -ETIMEDOUT.
 */
int doorlock_attr_wait(unsigned int id, const char *attr, const char *want,
		       char *buf, size_t len, int timeout_ms);
bool path_exists(const char *path);
/* The N of the doorlockN whose label is @label, or -ENOENT. */
int doorlock_find(const char *label);
/* doorlock_find(), retried for up to @timeout_ms while it is -ENOENT. */
int doorlock_wait(const char *label, int timeout_ms);

#endif /* _SIMLOCK_H */
