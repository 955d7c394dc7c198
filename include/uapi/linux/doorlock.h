/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * doorlock: the contract between the doorlock kernel driver and userspace
 * (doorlockd, doorlockctl and the tests). Every name, number and string
 * that crosses the boundary is defined here and nowhere else.
 */
#ifndef _UAPI_LINUX_DOORLOCK_H
#define _UAPI_LINUX_DOORLOCK_H

/* Platform driver name and Device Tree compatible. */
#define DOORLOCK_DRIVER_NAME	"gpio-doorlock"
/* Device class: /sys/class/doorlock/doorlockN and /dev/doorlockN. */
#define DOORLOCK_CLASS_NAME	"doorlock"
#define DOORLOCK_DEV_PREFIX	"doorlock"

/**
 * enum doorlock_bolt_state - where the bolt is, as the driver knows it
 * @DOORLOCK_BOLT_LOCKED: idle on the locked end-stop
 * @DOORLOCK_BOLT_UNLOCKED: idle on the unlocked end-stop
 * @DOORLOCK_BOLT_LOCKING: motor driving toward locked
 * @DOORLOCK_BOLT_UNLOCKING: motor driving toward unlocked
 * @DOORLOCK_BOLT_NOT_FULLY_LOCKED: idle with neither end-stop active
 * @DOORLOCK_BOLT_JAMMED: the last action could not move the bolt
 * @DOORLOCK_BOLT_SENSOR_FAULT: both end-stops active at once
 */
enum doorlock_bolt_state {
	DOORLOCK_BOLT_LOCKED,
	DOORLOCK_BOLT_UNLOCKED,
	DOORLOCK_BOLT_LOCKING,
	DOORLOCK_BOLT_UNLOCKING,
	DOORLOCK_BOLT_NOT_FULLY_LOCKED,
	DOORLOCK_BOLT_JAMMED,
	DOORLOCK_BOLT_SENSOR_FAULT,
	DOORLOCK_BOLT_STATE_COUNT,
};

/* The sysfs and JSON spelling of each state, indexed by the enum. */
#define DOORLOCK_BOLT_STATE_NAMES {				\
	[DOORLOCK_BOLT_LOCKED] = "locked",			\
	[DOORLOCK_BOLT_UNLOCKED] = "unlocked",			\
	[DOORLOCK_BOLT_LOCKING] = "locking",			\
	[DOORLOCK_BOLT_UNLOCKING] = "unlocking",		\
	[DOORLOCK_BOLT_NOT_FULLY_LOCKED] = "not_fully_locked",	\
	[DOORLOCK_BOLT_JAMMED] = "jammed",			\
	[DOORLOCK_BOLT_SENSOR_FAULT] = "sensor_fault",		\
}

#endif /* _UAPI_LINUX_DOORLOCK_H */
