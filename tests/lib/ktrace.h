/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers: the driver's tracepoints, read back from tracefs. They are
 * how a test sees what the driver did to its lines and in which order,
 * which gpio-sim cannot show once a line is released. Every function
 * returns 0 or -errno and says on stderr what failed.
 */
#ifndef _KTRACE_H
#define _KTRACE_H

#include <stdbool.h>
#include <stdint.h>

#define KTRACE_MAX_EVENTS	4096

/* One doorlock tracepoint hit, its fields as the driver printed them. */
struct ktrace_ev {
	char name[32];		/* "motor_on", "motor_off", "edge", ... */
	int id;			/* N of doorlockN */
	char dir[8];		/* motor: "lock", "unlock" */
	char why[16];		/* motor_off: enum doorlock_stop_reason */
	char line[12];		/* edge, storm: "locked", "unlocked", "fault" */
	int level;		/* edge */
	uint64_t on_ns;		/* motor_off: how long it ran */
	uint64_t at_ns;		/* motor: CLOCK_MONOTONIC */
	uint64_t edge_ns;	/* edge: CLOCK_MONOTONIC */
	bool disabled;		/* storm */
	unsigned int gpio;	/* gpio_value: the global line number */
	bool set;		/* gpio_value: a write, not a read */
};

/*
 * Clears the buffer and records the doorlock events from now on. Unloading
 * doorlock.ko clears the buffer if its events were enabled, so a test that
 * unloads it records only gpiolib's writes (ktrace_start_gpio).
 */
int ktrace_start(void);
int ktrace_start_gpio(void);
/* Only the one doorlock event @name ("doorlock_storm"): a small trace. */
int ktrace_start_event(const char *name);
/* Stops recording; the buffer stays readable. */
int ktrace_stop(void);
/*
 * Reads what was recorded into @ev (at most @max), oldest first. Returns
 * the number of events, or -errno.
 */
int ktrace_read(struct ktrace_ev *ev, int max);

/*
 * Checks, for lock @id, that the motor went off before its lines were
 * released: every motor_on is followed by a motor_off, a lines_released
 * was recorded, and no motor_on comes after the motor_off that precedes
 * it. With @runs, at least one motor run must be in the trace, and the
 * last stop's reason must be @why (NULL: any). Returns 0, or -EPROTO and
 * says on stderr what it found.
 */
int ktrace_check_release(const struct ktrace_ev *ev, int n, int id,
			 bool runs, const char *why);

/*
 * The global number of the line whose consumer is @consumer
 * ("doorlock0:lock"), from gpiolib's debugfs; -ENOENT when none is.
 */
int ktrace_gpio_number(const char *consumer);
/* The last value written to line @gpio in the trace, or -1 if none. */
int ktrace_last_set(const struct ktrace_ev *ev, int n, unsigned int gpio);

#endif /* _KTRACE_H */
