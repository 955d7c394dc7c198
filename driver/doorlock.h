/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorlock: state shared by the files of the driver.
 */
#ifndef _DOORLOCK_H
#define _DOORLOCK_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/doorlock.h>

struct gpio_desc;

/* What the end-stops say, debounced. */
enum doorlock_endstops {
	DOORLOCK_AT_NEITHER,
	DOORLOCK_AT_LOCKED,
	DOORLOCK_AT_UNLOCKED,
	DOORLOCK_AT_BOTH,
};

struct doorlock_result_entry {
	u64 cookie;
	u32 action;
	u32 result;
	u32 travel_ms;
	u32 seq;
	bool pending;
	bool used;
};

/**
 * struct doorlock - one lock: a motor with two directions and its end-stops
 * @dev: doorlockN, the class device; its release frees the struct, so an
 *	open file keeps it alive after the platform device is gone
 * @cdev: /dev/doorlockN
 * @pdev: the platform device that bound the lock, NULL once unbound
 * @node: in the list of bound locks
 * @id: N in doorlockN
 * @label: human name from the "label" property (a copy)
 * @lock_gpio: motor output toward locked
 * @unlock_gpio: motor output toward unlocked
 * @locked_gpio: end-stop input, bolt fully extended
 * @unlocked_gpio: end-stop input, bolt fully retracted
 * @fault_gpio: optional motor-driver fault input, or NULL
 * @lock: serialises everything below but the readers
 * @gone: the lock is being or has been unbound; no GPIO may be touched
 * @enabled: the lock accepts commands (sysfs "enabled")
 * @state: the bolt state reported
 * @endstops: the last debounced end-stop reading
 * @rest: the end-stop the bolt last rested on (for manual moves)
 * @left_rest_ns: when the bolt left @rest, for a manual move's travel time
 * @action: the action in flight, or DOORLOCK_ACTION_NONE
 * @cookie: its cookie
 * @started_ns: when it started
 * @left_start: the bolt has left its start end-stop
 * @start_deadline_ns: when the start timeout expires
 * @travel_deadline_ns: when the travel timeout expires
 * @last_error: the result of the last action, DOORLOCK_OK after a success
 * @lock_count: successful locks
 * @unlock_count: successful unlocks
 * @failure_count: failed actions
 * @manual_count: manual moves
 * @last_travel_ms: duration of the last motorised movement
 * @seq: seq of the last event
 * @results: recent action results, by cookie
 * @next_result: where the next result goes in @results
 * @edge_ns: time of the last edge, written by the hard IRQ handler
 * @debounce_work: re-reads the inputs once they have been quiet
 * @start_work: start timeout
 * @travel_work: travel timeout
 * @start_timeout_ms: the bolt must leave its start end-stop within this
 * @travel_timeout_ms: the bolt must reach its target end-stop within this
 * @debounce_ms: end-stop debounce
 * @readers_lock: protects @readers and each reader's queue
 * @readers: open files, each with its own event queue
 */
struct doorlock {
	struct device dev;
	struct cdev cdev;
	struct platform_device *pdev;
	struct list_head node;
	int id;
	const char *label;
	struct gpio_desc *lock_gpio;
	struct gpio_desc *unlock_gpio;
	struct gpio_desc *locked_gpio;
	struct gpio_desc *unlocked_gpio;
	struct gpio_desc *fault_gpio;

	struct mutex lock; /* the state machine; see above */
	bool gone;
	bool enabled;
	enum doorlock_bolt_state state;
	enum doorlock_endstops endstops;
	enum doorlock_endstops rest;
	u64 left_rest_ns;
	enum doorlock_action action;
	u64 cookie;
	u64 started_ns;
	bool left_start;
	u64 start_deadline_ns;
	u64 travel_deadline_ns;
	enum doorlock_result last_error;
	u32 lock_count;
	u32 unlock_count;
	u32 failure_count;
	u32 manual_count;
	u32 last_travel_ms;
	u32 seq;
	struct doorlock_result_entry results[DOORLOCK_RESULTS_KEPT];
	unsigned int next_result;

	u64 edge_ns;
	struct delayed_work debounce_work;
	struct delayed_work start_work;
	struct delayed_work travel_work;
	u32 start_timeout_ms;
	u32 travel_timeout_ms;
	u32 debounce_ms;

	spinlock_t readers_lock; /* the readers list and their queues */
	struct list_head readers;
};

#define to_doorlock(d) container_of(d, struct doorlock, dev)

/* doorlock_main.c */
const char *doorlock_bolt_state_name(enum doorlock_bolt_state state);
const char *doorlock_result_name(enum doorlock_result result);
const char *doorlock_action_name(enum doorlock_action action);
extern struct mutex doorlock_list_lock;	/* guards doorlock_list */
extern struct list_head doorlock_list;		/* bound locks, for netlink */

/* doorlock_fsm.c: the state machine; all but init take dl->lock */
int doorlock_fsm_init(struct doorlock *dl);
void doorlock_fsm_start(struct doorlock *dl);
void doorlock_fsm_stop(struct doorlock *dl);
void doorlock_fsm_cancel_work(void *data);
int doorlock_fsm_request_irqs(struct doorlock *dl);
enum doorlock_result doorlock_submit(struct doorlock *dl,
				     enum doorlock_action action, u64 cookie);
void doorlock_get_status(struct doorlock *dl, struct doorlock_status *st);
int doorlock_get_result(struct doorlock *dl, struct doorlock_result_query *q);
int doorlock_set_enabled(struct doorlock *dl, bool enabled);
void doorlock_fsm_suspend(struct doorlock *dl);
void doorlock_fsm_resume(struct doorlock *dl);

/* doorlock_events.c: called with dl->lock held */
u32 doorlock_emit(struct doorlock *dl, enum doorlock_event_type type,
		  enum doorlock_action action, enum doorlock_result result,
		  u32 travel_ms, u64 cookie, u64 timestamp_ns);
void doorlock_result_pending(struct doorlock *dl, u64 cookie,
			     enum doorlock_action action);
void doorlock_result_done(struct doorlock *dl, u64 cookie,
			  enum doorlock_result result, u32 travel_ms, u32 seq);
struct doorlock_result_entry *doorlock_result_find(struct doorlock *dl,
						   u64 cookie);

/* doorlock_cdev.c */
extern const struct file_operations doorlock_fops;
void doorlock_readers_push(struct doorlock *dl,
			   const struct doorlock_event *ev);
void doorlock_readers_hangup(struct doorlock *dl);

/* doorlock_netlink.c */
int doorlock_netlink_init(void);
void doorlock_netlink_exit(void);
void doorlock_netlink_event(struct doorlock *dl,
			    const struct doorlock_event *ev);

/* doorlock_tunables.c */
enum doorlock_tunable_id {
	DOORLOCK_TUNABLE_START_TIMEOUT,
	DOORLOCK_TUNABLE_TRAVEL_TIMEOUT,
	DOORLOCK_TUNABLE_DEBOUNCE,
	DOORLOCK_TUNABLE_COUNT,
};

int doorlock_read_tunables(struct doorlock *dl, struct device *fwdev);
int doorlock_get_tunable(struct doorlock *dl, enum doorlock_tunable_id id,
			 u32 *val);
int doorlock_set_tunable(struct doorlock *dl, enum doorlock_tunable_id id,
			 u32 val);

/* doorlock_sysfs.c */
extern const struct attribute_group *doorlock_groups[];

#endif /* _DOORLOCK_H */
