/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * doorlock: the contract between the doorlock kernel driver and userspace
 * (doorlockd, doorlockctl and the tests). Every name, number and string
 * that crosses the boundary is defined here and nowhere else.
 */
#ifndef _UAPI_LINUX_DOORLOCK_H
#define _UAPI_LINUX_DOORLOCK_H

#include <linux/ioctl.h>
#include <linux/types.h>

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
 * @DOORLOCK_BOLT_STATE_COUNT: number of states
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

/**
 * enum doorlock_action - what a command asks, or which way a bolt moved
 * @DOORLOCK_ACTION_NONE: no action
 * @DOORLOCK_ACTION_LOCK: extend the bolt
 * @DOORLOCK_ACTION_UNLOCK: retract the bolt
 * @DOORLOCK_ACTION_COUNT: number of values
 */
enum doorlock_action {
	DOORLOCK_ACTION_NONE,
	DOORLOCK_ACTION_LOCK,
	DOORLOCK_ACTION_UNLOCK,
	DOORLOCK_ACTION_COUNT,
};

#define DOORLOCK_ACTION_NAMES {			\
	[DOORLOCK_ACTION_NONE] = "none",	\
	[DOORLOCK_ACTION_LOCK] = "lock",	\
	[DOORLOCK_ACTION_UNLOCK] = "unlock",	\
}

/**
 * enum doorlock_result - how an action ended, or why it was refused
 * @DOORLOCK_OK: success (and "none" as a last error)
 * @DOORLOCK_E_LOCK_JAMMED: the bolt never left its start end-stop
 * @DOORLOCK_E_BOLT_OBSTRUCTED: the fault input is active, or an unlock left
 *	its start but never reached the unlocked end-stop
 * @DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED: a lock left its start but never
 *	reached the locked end-stop
 * @DOORLOCK_E_MECHANISM_ERROR: contradictory or impossible end-stop readings
 * @DOORLOCK_E_FIRMWARE_REJECTED: the device is not accepting commands
 * @DOORLOCK_E_DEVICE_OFFLINE: the device is gone (used by the agent)
 * @DOORLOCK_E_ACTION_IN_PROGRESS: another action has not finished
 * @DOORLOCK_RESULT_COUNT: number of values
 */
enum doorlock_result {
	DOORLOCK_OK,
	DOORLOCK_E_LOCK_JAMMED,
	DOORLOCK_E_BOLT_OBSTRUCTED,
	DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED,
	DOORLOCK_E_MECHANISM_ERROR,
	DOORLOCK_E_FIRMWARE_REJECTED,
	DOORLOCK_E_DEVICE_OFFLINE,
	DOORLOCK_E_ACTION_IN_PROGRESS,
	DOORLOCK_RESULT_COUNT,
};

/* The error codes, as sysfs last_error and the API spell them. */
#define DOORLOCK_RESULT_NAMES {						\
	[DOORLOCK_OK] = "none",						\
	[DOORLOCK_E_LOCK_JAMMED] = "LOCK_JAMMED",			\
	[DOORLOCK_E_BOLT_OBSTRUCTED] = "BOLT_OBSTRUCTED",		\
	[DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED] = "BOLT_NOT_FULLY_EXTENDED", \
	[DOORLOCK_E_MECHANISM_ERROR] = "MECHANISM_ERROR",		\
	[DOORLOCK_E_FIRMWARE_REJECTED] = "FIRMWARE_REJECTED",		\
	[DOORLOCK_E_DEVICE_OFFLINE] = "DEVICE_OFFLINE",			\
	[DOORLOCK_E_ACTION_IN_PROGRESS] = "ACTION_IN_PROGRESS",		\
}

/**
 * enum doorlock_event_type - what a struct doorlock_event reports
 * @DOORLOCK_EVENT_NONE: never sent
 * @DOORLOCK_EVENT_ACTION_STARTED: an accepted action drives the motor
 * @DOORLOCK_EVENT_ACTION_COMPLETED: an action ended: @result, @travel_ms
 * @DOORLOCK_EVENT_MANUAL_MOVE: with no action in flight the bolt reached an
 *	end-stop; @action is the direction it moved
 * @DOORLOCK_EVENT_SENSOR_FAULT: both end-stops became active
 * @DOORLOCK_EVENT_STATE_CHANGED: @bolt_state changed for another reason
 * @DOORLOCK_EVENT_DEVICE_ADDED: the lock was bound (netlink only)
 * @DOORLOCK_EVENT_DEVICE_REMOVED: the lock is going away
 * @DOORLOCK_EVENT_TYPE_COUNT: number of values
 */
enum doorlock_event_type {
	DOORLOCK_EVENT_NONE,
	DOORLOCK_EVENT_ACTION_STARTED,
	DOORLOCK_EVENT_ACTION_COMPLETED,
	DOORLOCK_EVENT_MANUAL_MOVE,
	DOORLOCK_EVENT_SENSOR_FAULT,
	DOORLOCK_EVENT_STATE_CHANGED,
	DOORLOCK_EVENT_DEVICE_ADDED,
	DOORLOCK_EVENT_DEVICE_REMOVED,
	DOORLOCK_EVENT_TYPE_COUNT,
};

#define DOORLOCK_EVENT_TYPE_NAMES {					\
	[DOORLOCK_EVENT_NONE] = "none",					\
	[DOORLOCK_EVENT_ACTION_STARTED] = "action_started",		\
	[DOORLOCK_EVENT_ACTION_COMPLETED] = "action_completed",		\
	[DOORLOCK_EVENT_MANUAL_MOVE] = "manual_move",			\
	[DOORLOCK_EVENT_SENSOR_FAULT] = "sensor_fault",			\
	[DOORLOCK_EVENT_STATE_CHANGED] = "state_changed",		\
	[DOORLOCK_EVENT_DEVICE_ADDED] = "device_added",			\
	[DOORLOCK_EVENT_DEVICE_REMOVED] = "device_removed",		\
}

/* Events were dropped from this reader's queue just before this one. */
#define DOORLOCK_EVENT_F_OVERFLOW	(1U << 0)

/**
 * struct doorlock_event - one record read() from /dev/doorlockN
 * @timestamp_ns: CLOCK_MONOTONIC time of the edge or command behind it
 * @cookie: the action's cookie, 0 when no action is involved
 * @seq: per device, one more for each event the device emits
 * @type: enum doorlock_event_type
 * @action: enum doorlock_action: the action, or a manual move's direction
 * @result: enum doorlock_result, for ACTION_COMPLETED
 * @bolt_state: enum doorlock_bolt_state after the event
 * @travel_ms: for ACTION_COMPLETED and MANUAL_MOVE, how long it moved
 * @flags: DOORLOCK_EVENT_F_*
 * @device: N of doorlockN
 */
struct doorlock_event {
	__u64 timestamp_ns;
	__u64 cookie;
	__u32 seq;
	__u32 type;
	__u32 action;
	__u32 result;
	__u32 bolt_state;
	__u32 travel_ms;
	__u32 flags;
	__u32 device;
};

/**
 * struct doorlock_action_req - DOORLOCK_IOC_ACTION
 * @cookie: chosen by the caller, echoed in every event about the action
 * @action: DOORLOCK_ACTION_LOCK or DOORLOCK_ACTION_UNLOCK
 * @result: out: DOORLOCK_OK when accepted, else why it was refused
 * @flags: must be zero
 * @padding: must be zero
 */
struct doorlock_action_req {
	__u64 cookie;
	__u32 action;
	__u32 result;
	__u32 flags;
	__u32 padding;
};

/**
 * struct doorlock_status - DOORLOCK_IOC_STATUS
 * @bolt_state: enum doorlock_bolt_state
 * @last_error: enum doorlock_result of the last failure, or DOORLOCK_OK
 * @action: the action in flight, or DOORLOCK_ACTION_NONE
 * @enabled: 1 when the device accepts commands
 * @cookie: cookie of the action in flight
 * @lock_count: successful locks since load
 * @unlock_count: successful unlocks since load
 * @failure_count: failed actions since load
 * @manual_count: manual moves since load
 * @last_travel_ms: how long the last motorised movement took
 * @seq: seq of the last event emitted
 * @padding: zero
 */
struct doorlock_status {
	__u32 bolt_state;
	__u32 last_error;
	__u32 action;
	__u32 enabled;
	__u64 cookie;
	__u32 lock_count;
	__u32 unlock_count;
	__u32 failure_count;
	__u32 manual_count;
	__u32 last_travel_ms;
	__u32 seq;
	__u32 padding[2];
};

/* Results of this many recent actions stay readable by cookie. */
#define DOORLOCK_RESULTS_KEPT	64

/**
 * struct doorlock_result_query - DOORLOCK_IOC_RESULT
 * @cookie: in: the action's cookie
 * @action: out: enum doorlock_action
 * @result: out: enum doorlock_result
 * @travel_ms: out: how long the bolt moved
 * @pending: out: 1 while the action is still in flight (@result unset)
 * @seq: out: seq of the event that completed it
 * @padding: must be zero
 *
 * Fails with ENOENT for a cookie the device has not seen recently.
 */
struct doorlock_result_query {
	__u64 cookie;
	__u32 action;
	__u32 result;
	__u32 travel_ms;
	__u32 pending;
	__u32 seq;
	__u32 padding;
};

#define DOORLOCK_IOC_MAGIC	0xD0
#define DOORLOCK_IOC_ACTION	_IOWR(DOORLOCK_IOC_MAGIC, 0x01, struct doorlock_action_req)
#define DOORLOCK_IOC_STATUS	_IOR(DOORLOCK_IOC_MAGIC, 0x02, struct doorlock_status)
#define DOORLOCK_IOC_RESULT	_IOWR(DOORLOCK_IOC_MAGIC, 0x03, struct doorlock_result_query)

/* Generic netlink: family "doorlock", multicast group "events". */
#define DOORLOCK_GENL_NAME		"doorlock"
#define DOORLOCK_GENL_VERSION		1
#define DOORLOCK_GENL_MCGRP_EVENTS	"events"

enum doorlock_genl_attr {
	DOORLOCK_A_UNSPEC,
	DOORLOCK_A_PAD,
	DOORLOCK_A_DEVICE,		/* u32: N of doorlockN */
	DOORLOCK_A_LABEL,		/* string */
	DOORLOCK_A_EVENT_TYPE,		/* u32: enum doorlock_event_type */
	DOORLOCK_A_TIMESTAMP_NS,	/* u64 */
	DOORLOCK_A_COOKIE,		/* u64 */
	DOORLOCK_A_SEQ,			/* u32 */
	DOORLOCK_A_ACTION,		/* u32: enum doorlock_action */
	DOORLOCK_A_RESULT,		/* u32: enum doorlock_result */
	DOORLOCK_A_BOLT_STATE,		/* u32: enum doorlock_bolt_state */
	DOORLOCK_A_TRAVEL_MS,		/* u32 */
	DOORLOCK_A_ENABLED,		/* u8 */
	DOORLOCK_A_LAST_ERROR,		/* u32: enum doorlock_result */
	DOORLOCK_A_PENDING,		/* u8 */
	__DOORLOCK_A_MAX,
};

#define DOORLOCK_A_MAX (__DOORLOCK_A_MAX - 1)

enum doorlock_genl_cmd {
	DOORLOCK_CMD_UNSPEC,
	DOORLOCK_CMD_EVENT,		/* multicast: one event */
	DOORLOCK_CMD_GET_DEVICE,	/* dump, or one by DEVICE: state */
	DOORLOCK_CMD_GET_RESULT,	/* DEVICE + COOKIE: a recent result */
	__DOORLOCK_CMD_MAX,
};

#define DOORLOCK_CMD_MAX (__DOORLOCK_CMD_MAX - 1)

#endif /* _UAPI_LINUX_DOORLOCK_H */
