/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorlock: state shared by the files of the driver.
 */
#ifndef _DOORLOCK_H
#define _DOORLOCK_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/doorlock.h>

struct device;
struct gpio_desc;

/**
 * struct doorlock - one lock: a motor with two directions and its end-stops
 * @dev: the platform device that bound the lock
 * @classdev: doorlockN in the doorlock class
 * @id: N in doorlockN
 * @label: human name from the "label" property
 * @lock_gpio: motor output toward locked
 * @unlock_gpio: motor output toward unlocked
 * @locked_gpio: end-stop input, bolt fully extended
 * @unlocked_gpio: end-stop input, bolt fully retracted
 * @fault_gpio: optional motor-driver fault input, or NULL
 * @lock: serialises the tunables and, later, the state machine
 * @start_timeout_ms: the bolt must leave its start end-stop within this
 * @travel_timeout_ms: the bolt must reach its target end-stop within this
 * @debounce_ms: end-stop debounce
 */
struct doorlock {
	struct device *dev;
	struct device *classdev;
	int id;
	const char *label;
	struct gpio_desc *lock_gpio;
	struct gpio_desc *unlock_gpio;
	struct gpio_desc *locked_gpio;
	struct gpio_desc *unlocked_gpio;
	struct gpio_desc *fault_gpio;
	struct mutex lock; /* tunables, later the state machine */
	u32 start_timeout_ms;
	u32 travel_timeout_ms;
	u32 debounce_ms;
};

/* Tunables: firmware properties at probe, sysfs attributes after. */
enum doorlock_tunable_id {
	DOORLOCK_TUNABLE_START_TIMEOUT,
	DOORLOCK_TUNABLE_TRAVEL_TIMEOUT,
	DOORLOCK_TUNABLE_DEBOUNCE,
	DOORLOCK_TUNABLE_COUNT,
};

int doorlock_read_tunables(struct doorlock *dl);
int doorlock_get_tunable(struct doorlock *dl, enum doorlock_tunable_id id,
			 u32 *val);
int doorlock_set_tunable(struct doorlock *dl, enum doorlock_tunable_id id,
			 u32 val);

extern const struct attribute_group *doorlock_groups[];

const char *doorlock_bolt_state_name(enum doorlock_bolt_state state);
int doorlock_read_endstops(struct doorlock *dl,
			   enum doorlock_bolt_state *state);

#endif /* _DOORLOCK_H */
