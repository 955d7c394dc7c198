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

/*
 * No enum has a count that would size a table and break when a value is
 * added. The spelling of a value (sysfs's, and the agent's API's) comes
 * from a function below, which C and C++ alike can include; it answers
 * NULL for a value it does not know.
 */

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
};

static __inline__ const char *doorlock_bolt_state_name(__u32 value)
{
	switch (value) {
	case DOORLOCK_BOLT_LOCKED:
		return "locked";
	case DOORLOCK_BOLT_UNLOCKED:
		return "unlocked";
	case DOORLOCK_BOLT_LOCKING:
		return "locking";
	case DOORLOCK_BOLT_UNLOCKING:
		return "unlocking";
	case DOORLOCK_BOLT_NOT_FULLY_LOCKED:
		return "not_fully_locked";
	case DOORLOCK_BOLT_JAMMED:
		return "jammed";
	case DOORLOCK_BOLT_SENSOR_FAULT:
		return "sensor_fault";
	default:
		return (const char *)0;
	}
}

/**
 * enum doorlock_action - what a command asks, or which way a bolt moved
 * @DOORLOCK_ACTION_NONE: no action
 * @DOORLOCK_ACTION_LOCK: extend the bolt
 * @DOORLOCK_ACTION_UNLOCK: retract the bolt
 */
enum doorlock_action {
	DOORLOCK_ACTION_NONE,
	DOORLOCK_ACTION_LOCK,
	DOORLOCK_ACTION_UNLOCK,
};

static __inline__ const char *doorlock_action_name(__u32 value)
{
	switch (value) {
	case DOORLOCK_ACTION_NONE:
		return "none";
	case DOORLOCK_ACTION_LOCK:
		return "lock";
	case DOORLOCK_ACTION_UNLOCK:
		return "unlock";
	default:
		return (const char *)0;
	}
}

/**
 * enum doorlock_result - how an accepted action ended
 * @DOORLOCK_OK: the bolt reached its target (and "none" as a last error)
 * @DOORLOCK_E_LOCK_JAMMED: the bolt never left its start end-stop
 * @DOORLOCK_E_BOLT_OBSTRUCTED: the fault input was asserted, or an unlock
 *	left its start but never reached the unlocked end-stop
 * @DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED: a lock left its start but never
 *	reached the locked end-stop
 * @DOORLOCK_E_MECHANISM_ERROR: contradictory or impossible end-stop readings
 *	(both closed, or back on the start), an input that could not be read
 *	or was ignored as a storm, or motor outputs that could not be driven
 * @DOORLOCK_E_ABORTED: stopped before the end: by DOORLOCK_IOC_ABORT, or
 *	because the device was unbound or suspended, or the system is going
 *	down. Not a fault of the mechanism, so never a last error.
 *
 * When several hold at the end of an action, the first of these wins: both
 * end-stops closed (MECHANISM_ERROR), the fault seen at any time during
 * the action (BOLT_OBSTRUCTED, even with the bolt on its target: the
 * bridge stopped or limited the motor), the target reached (OK).
 *
 * A command that is refused never starts an action: DOORLOCK_IOC_ACTION
 * fails with an errno instead.
 */
enum doorlock_result {
	DOORLOCK_OK,
	DOORLOCK_E_LOCK_JAMMED,
	DOORLOCK_E_BOLT_OBSTRUCTED,
	DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED,
	DOORLOCK_E_MECHANISM_ERROR,
	DOORLOCK_E_ABORTED,
};

static __inline__ const char *doorlock_result_name(__u32 value)
{
	switch (value) {
	case DOORLOCK_OK:
		return "none";
	case DOORLOCK_E_LOCK_JAMMED:
		return "LOCK_JAMMED";
	case DOORLOCK_E_BOLT_OBSTRUCTED:
		return "BOLT_OBSTRUCTED";
	case DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED:
		return "BOLT_NOT_FULLY_EXTENDED";
	case DOORLOCK_E_MECHANISM_ERROR:
		return "MECHANISM_ERROR";
	case DOORLOCK_E_ABORTED:
		return "ABORTED";
	default:
		return (const char *)0;
	}
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
};

static __inline__ const char *doorlock_event_type_name(__u32 value)
{
	switch (value) {
	case DOORLOCK_EVENT_NONE:
		return "none";
	case DOORLOCK_EVENT_ACTION_STARTED:
		return "action_started";
	case DOORLOCK_EVENT_ACTION_COMPLETED:
		return "action_completed";
	case DOORLOCK_EVENT_MANUAL_MOVE:
		return "manual_move";
	case DOORLOCK_EVENT_SENSOR_FAULT:
		return "sensor_fault";
	case DOORLOCK_EVENT_STATE_CHANGED:
		return "state_changed";
	case DOORLOCK_EVENT_DEVICE_ADDED:
		return "device_added";
	case DOORLOCK_EVENT_DEVICE_REMOVED:
		return "device_removed";
	default:
		return (const char *)0;
	}
}

/* Events were dropped from this reader's queue just before this one. */
#define DOORLOCK_EVENT_F_OVERFLOW	(1U << 0)

/**
 * struct doorlock_event - one record read() from /dev/doorlockN
 * @timestamp_ns: CLOCK_MONOTONIC time of the edge or command behind it
 * @action_id: the action's id, 0 when no action is involved
 * @cookie: the tag its submitter gave the action, 0 when none is involved
 * @seq: per device, one more for each event the device emits
 * @type: enum doorlock_event_type
 * @action: enum doorlock_action: the action, or a manual move's direction
 * @result: enum doorlock_result, for ACTION_COMPLETED
 * @bolt_state: enum doorlock_bolt_state after the event
 * @travel_ms: for ACTION_COMPLETED and MANUAL_MOVE, how long it moved
 * @flags: DOORLOCK_EVENT_F_*
 * @device: N of doorlockN
 * @reserved: zero; room for fields a later driver adds
 */
struct doorlock_event {
	__u64 timestamp_ns;
	__u64 action_id;
	__u64 cookie;
	__u32 seq;
	__u32 type;
	__u32 action;
	__u32 result;
	__u32 bolt_state;
	__u32 travel_ms;
	__u32 flags;
	__u32 device;
	__u32 reserved[6];
};

/**
 * struct doorlock_action_req - DOORLOCK_IOC_ACTION
 * @cookie: in: the submitter's tag for the action, not zero; echoed in
 *	every event about it, and a way to find its result again
 * @action_id: in: zero; out: the id the driver gave the action, unique on
 *	this device until it is unbound, never zero
 * @action: in: DOORLOCK_ACTION_LOCK or DOORLOCK_ACTION_UNLOCK
 * @flags: in: zero
 * @reserved: in: zero
 *
 * A refusal starts nothing: EBUSY while another action is in flight, EPERM
 * while the device takes no commands (disabled in sysfs, or suspended),
 * EIO while the motor driver's fault input is asserted or a motor output
 * has not read back off since the last stop, EPROTO while the
 * end-stops contradict each other (both closed, or one ignored as
 * storming) or cannot be read, EAGAIN in the instant before the device is announced; and
 * EINVAL, EBADF (not opened for writing), ENODEV (unbound). EFAULT on the
 * way out comes after the action started: its cookie still finds it.
 */
struct doorlock_action_req {
	__u64 cookie;
	__u64 action_id;
	__u32 action;
	__u32 flags;
	__u32 reserved[4];
};

/* The input lines, as struct doorlock_status reports them. */
#define DOORLOCK_INPUT_LOCKED		(1U << 0)	/* locked end-stop */
#define DOORLOCK_INPUT_UNLOCKED		(1U << 1)	/* unlocked end-stop */
#define DOORLOCK_INPUT_FAULT		(1U << 2)	/* motor driver fault */

/**
 * struct doorlock_status - DOORLOCK_IOC_STATUS
 * @bolt_state: enum doorlock_bolt_state
 * @last_error: enum doorlock_result of the last commanded action (aborts
 *	aside): DOORLOCK_OK after a success
 * @action: the action in flight, or DOORLOCK_ACTION_NONE
 * @enabled: 0 while disabled in sysfs or unbound, else 1 (suspended, it
 *	is 1 but commands get EPERM)
 * @action_id: id of the action in flight, or 0
 * @cookie: cookie of the action in flight, or 0
 * @lock_count: successful locks since the lock was bound
 * @unlock_count: successful unlocks since then
 * @failure_count: failed or aborted actions since then
 * @manual_count: manual moves since then
 * @last_travel_ms: how long the last motorised movement took
 * @seq: seq of the last event emitted
 * @inputs: DOORLOCK_INPUT_* of the input lines that read active now, raw
 *	(not debounced)
 * @ignored: DOORLOCK_INPUT_* of the input lines ignored as storming
 * @reserved: zero
 */
struct doorlock_status {
	__u32 bolt_state;
	__u32 last_error;
	__u32 action;
	__u32 enabled;
	__u64 action_id;
	__u64 cookie;
	__u32 lock_count;
	__u32 unlock_count;
	__u32 failure_count;
	__u32 manual_count;
	__u32 last_travel_ms;
	__u32 seq;
	__u32 inputs;
	__u32 ignored;
	__u32 reserved[6];
};

/**
 * struct doorlock_abort_req - DOORLOCK_IOC_ABORT
 * @action_id: in: the action to stop, as DOORLOCK_IOC_ACTION gave it
 * @flags: in: zero
 * @reserved: in: zero
 *
 * The motor stops at once and the action ends as DOORLOCK_E_ABORTED, with
 * its ACTION_COMPLETED event. Fails with ESRCH when that action is not in
 * flight (it has ended, or never was), and EBADF without a writable open.
 */
struct doorlock_abort_req {
	__u64 action_id;
	__u32 flags;
	__u32 reserved[3];
};

/* Results of this many recent actions stay readable. */
#define DOORLOCK_RESULTS_KEPT	64

/* Look the action up by @cookie (the newest with it), not @action_id. */
#define DOORLOCK_RESULT_F_BY_COOKIE	(1U << 0)

/**
 * struct doorlock_result_query - DOORLOCK_IOC_RESULT
 * @action_id: in: the action's id, or zero with
 *	DOORLOCK_RESULT_F_BY_COOKIE; out: its id
 * @cookie: in, with DOORLOCK_RESULT_F_BY_COOKIE: its cookie, else zero;
 *	out: its cookie
 * @flags: in: DOORLOCK_RESULT_F_*
 * @action: out: enum doorlock_action
 * @result: out: enum doorlock_result
 * @travel_ms: out: how long the bolt moved
 * @pending: out: 1 while the action is still in flight (@result unset)
 * @seq: out: seq of the event that completed it
 * @reserved: in: zero
 *
 * Fails with ENOENT for an action the device has not run recently.
 */
struct doorlock_result_query {
	__u64 action_id;
	__u64 cookie;
	__u32 flags;
	__u32 action;
	__u32 result;
	__u32 travel_ms;
	__u32 pending;
	__u32 seq;
	__u32 reserved[4];
};

/*
 * 0xD0 is free in Documentation/userspace-api/ioctl/ioctl-number.rst; an
 * upstream submission registers "0xD0 00-0F linux/doorlock.h". The size
 * of each structure is in its number, so a program built against another
 * layout gets ENOTTY, never a misread.
 */
#define DOORLOCK_IOC_MAGIC	0xD0
#define DOORLOCK_IOC_ACTION	_IOWR(DOORLOCK_IOC_MAGIC, 0x01, struct doorlock_action_req)
#define DOORLOCK_IOC_STATUS	_IOR(DOORLOCK_IOC_MAGIC, 0x02, struct doorlock_status)
#define DOORLOCK_IOC_RESULT	_IOWR(DOORLOCK_IOC_MAGIC, 0x03, struct doorlock_result_query)
#define DOORLOCK_IOC_ABORT	_IOW(DOORLOCK_IOC_MAGIC, 0x04, struct doorlock_abort_req)

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
	DOORLOCK_A_ENABLED,		/* u32: 1 or 0 */
	DOORLOCK_A_LAST_ERROR,		/* u32: enum doorlock_result */
	DOORLOCK_A_PENDING,		/* u32: 1 or 0 */
	DOORLOCK_A_ACTION_ID,		/* u64 */
	__DOORLOCK_A_MAX,
};

#define DOORLOCK_A_MAX (__DOORLOCK_A_MAX - 1)

enum doorlock_genl_cmd {
	DOORLOCK_CMD_UNSPEC,
	DOORLOCK_CMD_EVENT,		/* multicast: one event */
	DOORLOCK_CMD_GET_DEVICE,	/* dump, or one by DEVICE: state */
	DOORLOCK_CMD_GET_RESULT,	/* DEVICE + ACTION_ID or COOKIE: a result */
	__DOORLOCK_CMD_MAX,
};

#define DOORLOCK_CMD_MAX (__DOORLOCK_CMD_MAX - 1)

#endif /* _UAPI_LINUX_DOORLOCK_H */
