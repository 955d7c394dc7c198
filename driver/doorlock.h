/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorlock: state shared by the files of the driver.
 */
#ifndef _DOORLOCK_H
#define _DOORLOCK_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/doorlock.h>

/* doorlockN: N is below this. */
#define DOORLOCK_MAX_DEVICES	64

struct gpio_desc;
struct regulator;

/* The inputs, in the order of struct doorlock's @inputs. */
enum doorlock_line {
	DOORLOCK_LINE_LOCKED,
	DOORLOCK_LINE_UNLOCKED,
	DOORLOCK_LINE_FAULT,
	DOORLOCK_LINES,
};

/* Why the motor stopped: the tracepoints' reason. */
enum doorlock_stop_reason {
	DOORLOCK_STOP_ARRIVED,		/* the target end-stop closed */
	DOORLOCK_STOP_FAULT,		/* the motor driver's fault input */
	DOORLOCK_STOP_BOTH_ENDSTOPS,	/* both end-stops closed at once */
	DOORLOCK_STOP_READ_ERROR,	/* an input could not be read */
	DOORLOCK_STOP_STORM,		/* an input was disabled as a storm */
	DOORLOCK_STOP_CUTOFF,		/* the hard timer: travel timeout */
	DOORLOCK_STOP_AT_START,		/* still or again at its start, too late */
	DOORLOCK_STOP_ACTION_END,	/* the state machine ended the action */
	DOORLOCK_STOP_UNBIND,		/* unbind or shutdown */
	DOORLOCK_STOP_SUSPEND,		/* system suspend */
	DOORLOCK_STOP_REBOOT,		/* the reboot notifier */
	DOORLOCK_STOP_ABORT,		/* DOORLOCK_IOC_ABORT */
};

struct doorlock;

/**
 * struct doorlock_input - one input line and its IRQ
 * @dl: the lock
 * @gpio: the line
 * @line: which one
 * @irq: its interrupt
 * @hard_ns: the edge's time, stored by the hard handler and taken by the
 *	thread; 0 when the hard handler did not run (a nested-thread IRQ of
 *	an I2C or SPI expander), so the thread stamps the edge itself
 * @hard_edges: edges the hard handler saw since the thread last ran: the
 *	thread coalesces a burst into one run, and a storm counts edges
 * @hard_seen: the hard handler has run: this is not a nested-thread IRQ
 * @window_ns: start of the current storm-counting window (thread only)
 * @window_edges: edges seen in that window (thread only)
 * @wake: armed as a wakeup interrupt for this suspend (suspend, resume)
 */
struct doorlock_input {
	struct doorlock *dl;
	struct gpio_desc *gpio;
	enum doorlock_line line;
	int irq;
	atomic64_t hard_ns;
	atomic_t hard_edges;
	bool hard_seen;
	u64 window_ns;
	u32 window_edges;
	bool wake;
};

/* What the end-stops say, debounced. */
enum doorlock_endstops {
	DOORLOCK_AT_NEITHER,
	DOORLOCK_AT_LOCKED,
	DOORLOCK_AT_UNLOCKED,
	DOORLOCK_AT_BOTH,
};

struct doorlock_result_entry {
	u64 action_id;
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
 * @pdev: the platform device that bound the lock (probe only), NULL once
 *	unbound
 * @node: in the list of bound locks
 * @id: N in doorlockN
 * @label: human name from the "label" property (a copy)
 * @lock_gpio: motor output toward locked
 * @unlock_gpio: motor output toward unlocked
 * @locked_gpio: end-stop input, bolt fully extended
 * @unlocked_gpio: end-stop input, bolt fully retracted
 * @fault_gpio: optional motor-driver fault input, or NULL
 * @enable_gpio: optional motor-driver enable (a DRV8833's nSLEEP), or NULL
 * @supply: optional motor supply, or NULL
 * @inputs: the end-stops and the fault line, with their IRQs
 * @motor_lock: serialises the motor outputs and the fields below it; taken
 *	by the IRQ threads, the cut-off worker and, inside @lock, the state
 *	machine
 * @motor_dir: the direction driven, DOORLOCK_ACTION_NONE when off; stays
 *	set while a stop's outputs do not read back off
 * @supply_on: @supply is enabled
 * @motor_stopping: a stop did not read back off and is being retried
 * @motor_on_ns: when the motor was switched on
 * @motor_deadline_ns: when the cut-off timer switches it off
 * @motor_start_deadline_ns: from when the start end-stop reading active
 *	stops the motor: the bolt should have left it
 * @motor_stop: why it last stopped
 * @fault_latched: the fault input was seen asserted during the action in
 *	flight; read locklessly by the state machine
 * @cutoff_timer: hard-IRQ timer bounding the motor's on-time (hard on
 *	PREEMPT_RT too), and retrying a stop that did not take
 * @cutoff_work: the stop, on the cut-off worker, for sleeping chips
 * @storm_lines: inputs disabled as IRQ storms (bit per enum doorlock_line)
 * @storm_work: re-enables them
 * @edge_lock: guards @debounce_first_ns between the IRQ threads
 * @debounce_first_ns: first edge of the pending debounce, 0 if none
 * @lock: serialises everything below but the readers
 * @gone: the lock is being or has been unbound; no GPIO may be touched.
 *	Set under both @lock and @readers_lock
 * @started: DEVICE_ADDED is out: events before it are not sent, commands
 *	not taken, so nobody hears of the lock before it is added
 * @suspended: between suspend and resume: commands are refused, and the
 *	works leave the inputs alone
 * @enabled: the lock accepts commands (sysfs "enabled")
 * @state: the bolt state reported
 * @endstops: the last debounced end-stop reading
 * @rest: the end-stop the bolt last rested on (for manual moves)
 * @left_rest_ns: when the bolt left @rest, for a manual move's travel time
 * @action: the action in flight, or DOORLOCK_ACTION_NONE
 * @action_id: its id
 * @cookie: its cookie
 * @last_action_id: the id given to the last action accepted
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
 * @results: recent action results, by id
 * @next_result: where the next result goes in @results
 * @edge_ns: time of the last edge, written by the IRQ threads
 * @debounce_work: re-reads the inputs once they have been quiet
 * @start_work: start timeout
 * @travel_work: travel timeout
 * @start_timeout_ms: the bolt must leave its start end-stop within this
 * @travel_timeout_ms: the bolt must reach its target end-stop within this
 * @debounce_ms: end-stop debounce
 * @storm_edges: more edges than this on one input within a second are a
 *	storm (read by the IRQ threads without the lock)
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
	struct gpio_desc *enable_gpio;
	struct regulator *supply;
	struct doorlock_input inputs[DOORLOCK_LINES];

	struct mutex motor_lock; /* the outputs, @motor_* and the cut-off */
	enum doorlock_action motor_dir;
	bool supply_on;
	bool motor_stopping;
	u64 motor_on_ns;
	u64 motor_deadline_ns;
	u64 motor_start_deadline_ns;
	enum doorlock_stop_reason motor_stop;
	bool fault_latched;
	struct hrtimer cutoff_timer;
	struct kthread_work cutoff_work;
	unsigned long storm_lines;
	struct delayed_work storm_work;
	spinlock_t edge_lock; /* debounce_first_ns */
	u64 debounce_first_ns;

	struct mutex lock; /* the state machine: @gone to the results */
	bool gone;
	bool started;
	bool suspended;
	bool enabled;
	enum doorlock_bolt_state state;
	enum doorlock_endstops endstops;
	enum doorlock_endstops rest;
	u64 left_rest_ns;
	enum doorlock_action action;
	u64 action_id;
	u64 cookie;
	u64 last_action_id;
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

	atomic64_t edge_ns;
	struct delayed_work debounce_work;
	struct delayed_work start_work;
	struct delayed_work travel_work;
	u32 start_timeout_ms;
	u32 travel_timeout_ms;
	u32 debounce_ms;
	u32 storm_edges;

	spinlock_t readers_lock; /* the readers list and their queues */
	struct list_head readers;
};

#define to_doorlock(d) container_of(d, struct doorlock, dev)

/* doorlock_main.c */
extern struct mutex doorlock_list_lock;	/* guards doorlock_list */
extern struct list_head doorlock_list;		/* bound locks, for netlink */
extern unsigned int doorlock_list_gen;		/* changes of it, for dumps */

/* doorlock_fsm.c: the state machine; all but init take dl->lock */
int doorlock_fsm_init(struct doorlock *dl);
void doorlock_fsm_start(struct doorlock *dl);
void doorlock_fsm_stop(struct doorlock *dl, enum doorlock_stop_reason why);
void doorlock_fsm_retire(void *data);
void doorlock_fsm_cancel_work(void *data);
int doorlock_submit(struct doorlock *dl, enum doorlock_action action,
		    u64 cookie, u64 *action_id);
int doorlock_abort(struct doorlock *dl, u64 action_id);
void doorlock_get_status(struct doorlock *dl, struct doorlock_status *st);
int doorlock_get_result(struct doorlock *dl, struct doorlock_result_query *q);
int doorlock_set_enabled(struct doorlock *dl, bool enabled);
void doorlock_fsm_suspend(struct doorlock *dl);
void doorlock_fsm_resume(struct doorlock *dl);

/* doorlock_motor.c: the motor and what bounds its on-time */
int doorlock_motor_init(struct doorlock *dl, struct device *dev);
int doorlock_motor_start(struct doorlock *dl, enum doorlock_action dir,
			 u32 start_ms, u32 max_ms);
void doorlock_motor_stop(struct doorlock *dl, enum doorlock_stop_reason why);
bool doorlock_motor_stopped(struct doorlock *dl,
			    enum doorlock_stop_reason *why);
void doorlock_motor_guard(struct doorlock *dl);
void doorlock_motor_cancel(struct doorlock *dl);
int doorlock_motor_register(void);
void doorlock_motor_unregister(void);

/* doorlock_irq.c: the input edges */
int doorlock_irq_request(struct doorlock *dl);
void doorlock_irq_init(struct doorlock *dl);
void doorlock_irq_cancel(struct doorlock *dl);
void doorlock_irq_suspend(struct doorlock *dl);
void doorlock_irq_resume(struct doorlock *dl);
void doorlock_debounce_fired(struct doorlock *dl);
void doorlock_debounce_cancel(struct doorlock *dl);
bool doorlock_debounce_pending(struct doorlock *dl);
u64 doorlock_debounce_bound_ns(struct doorlock *dl);

/* doorlock_events.c: called with dl->lock held */
u32 doorlock_emit(struct doorlock *dl, enum doorlock_event_type type,
		  enum doorlock_action action, enum doorlock_result result,
		  u32 travel_ms, u64 action_id, u64 cookie, u64 timestamp_ns);
void doorlock_result_pending(struct doorlock *dl, u64 action_id, u64 cookie,
			     enum doorlock_action action);
void doorlock_result_done(struct doorlock *dl, u64 action_id,
			  enum doorlock_result result, u32 travel_ms, u32 seq);
struct doorlock_result_entry *doorlock_result_find(struct doorlock *dl,
						   u64 key, bool by_cookie);

/* doorlock_cdev.c */
extern const struct file_operations doorlock_fops;
void doorlock_readers_push(struct doorlock *dl,
			   const struct doorlock_event *ev);
void doorlock_mark_gone(struct doorlock *dl);

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
	DOORLOCK_TUNABLE_STORM_EDGES,
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
