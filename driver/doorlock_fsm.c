// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: the lock/unlock state machine.
 *
 * A command starts the motor (doorlock_motor.c, which also stops it on the
 * first qualifying edge and at the hard cut-off); the debounced reading of
 * the inputs (doorlock_irq.c) decides what is reported and how the action
 * ends; delayed work enforces the start and travel timeouts (the travel
 * timeout is also the hard cut-off's). Everything here runs in process
 * context, so the GPIOs may sleep; the state is read and changed under
 * dl->lock, and every path that ends an action stops the motor first.
 */

#include <linux/device.h>
#include <linux/gpio/consumer.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/timekeeping.h>

#include "doorlock.h"
#include "doorlock_trace.h"

static int doorlock_read_inputs(struct doorlock *dl,
				enum doorlock_endstops *at, bool *fault)
{
	int locked, unlocked, f = 0;

	locked = gpiod_get_value_cansleep(dl->locked_gpio);
	if (locked < 0)
		return locked;
	unlocked = gpiod_get_value_cansleep(dl->unlocked_gpio);
	if (unlocked < 0)
		return unlocked;
	if (dl->fault_gpio) {
		f = gpiod_get_value_cansleep(dl->fault_gpio);
		if (f < 0)
			return f;
	}

	if (locked && unlocked)
		*at = DOORLOCK_AT_BOTH;
	else if (locked)
		*at = DOORLOCK_AT_LOCKED;
	else if (unlocked)
		*at = DOORLOCK_AT_UNLOCKED;
	else
		*at = DOORLOCK_AT_NEITHER;
	*fault = f;
	return 0;
}

static enum doorlock_bolt_state doorlock_idle_state(enum doorlock_endstops at)
{
	switch (at) {
	case DOORLOCK_AT_LOCKED:
		return DOORLOCK_BOLT_LOCKED;
	case DOORLOCK_AT_UNLOCKED:
		return DOORLOCK_BOLT_UNLOCKED;
	case DOORLOCK_AT_BOTH:
		return DOORLOCK_BOLT_SENSOR_FAULT;
	default:
		return DOORLOCK_BOLT_NOT_FULLY_LOCKED;
	}
}

static enum doorlock_endstops doorlock_target(enum doorlock_action action)
{
	return action == DOORLOCK_ACTION_LOCK ? DOORLOCK_AT_LOCKED :
						DOORLOCK_AT_UNLOCKED;
}

static enum doorlock_endstops doorlock_origin(enum doorlock_action action)
{
	return action == DOORLOCK_ACTION_LOCK ? DOORLOCK_AT_UNLOCKED :
						DOORLOCK_AT_LOCKED;
}

static u32 doorlock_ms_between(u64 from_ns, u64 to_ns)
{
	if (to_ns <= from_ns)
		return 0;
	return min_t(u64, div_u64(to_ns - from_ns, NSEC_PER_MSEC), U32_MAX);
}

static void doorlock_set_state(struct doorlock *dl,
			       enum doorlock_bolt_state state)
{
	if (dl->state != state)
		trace_doorlock_state(dl->id, dl->state, state);
	dl->state = state;
}

/* Ends the action in flight: the motor stops before anything else. */
static void doorlock_finish(struct doorlock *dl, enum doorlock_result result,
			    u64 now_ns)
{
	enum doorlock_action action = dl->action;
	u64 action_id = dl->action_id;
	u64 cookie = dl->cookie;
	enum doorlock_stop_reason why;
	enum doorlock_endstops at;
	u32 travel_ms, seq;
	bool fault;

	lockdep_assert_held(&dl->lock);
	doorlock_motor_stop(dl, DOORLOCK_STOP_ACTION_END);
	/*
	 * An output that does not read back off may still drive the motor,
	 * wherever the bolt is: the mechanism needs service.
	 */
	if (!doorlock_motor_stopped(dl, &why) && result == DOORLOCK_OK)
		result = DOORLOCK_E_MECHANISM_ERROR;
	cancel_delayed_work(&dl->start_work);
	cancel_delayed_work(&dl->travel_work);

	travel_ms = doorlock_ms_between(dl->started_ns, now_ns);
	dl->action = DOORLOCK_ACTION_NONE;
	dl->action_id = 0;
	dl->cookie = 0;
	dl->last_travel_ms = travel_ms;
	/* An abort says nothing about the mechanism. */
	if (result != DOORLOCK_E_ABORTED)
		dl->last_error = result;
	if (result == DOORLOCK_OK) {
		if (action == DOORLOCK_ACTION_LOCK)
			dl->lock_count++;
		else
			dl->unlock_count++;
		dl->rest = doorlock_target(action);
		doorlock_set_state(dl, doorlock_idle_state(dl->rest));
	} else {
		/* Where the bolt is now, not where the debounce last saw it. */
		if (!doorlock_read_inputs(dl, &at, &fault))
			dl->endstops = at;
		dl->failure_count++;
		doorlock_set_state(dl, result == DOORLOCK_E_LOCK_JAMMED ?
				   DOORLOCK_BOLT_JAMMED :
				   doorlock_idle_state(dl->endstops));
	}
	seq = doorlock_emit(dl, DOORLOCK_EVENT_ACTION_COMPLETED, action, result,
			    travel_ms, action_id, cookie, now_ns);
	doorlock_result_done(dl, action_id, result, travel_ms, seq);
}

/* A movement that stopped short of its target, by its timeouts. */
static enum doorlock_result doorlock_short_result(struct doorlock *dl)
{
	if (!dl->left_start)
		return DOORLOCK_E_LOCK_JAMMED;
	if (dl->action == DOORLOCK_ACTION_LOCK)
		return DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED;
	return DOORLOCK_E_BOLT_OBSTRUCTED;
}

/*
 * The motor may already be off: the guard stopped it on the first edge,
 * or the cut-off or the start timeout did. A fault or both end-stops seen
 * then count for the whole action, even if the lines read otherwise
 * since. A target seen then but open now (a contact still chattering when
 * the debounce's bound ran out) waits for the next reading, or the travel
 * timeout; an input lost to a storm or a failed read ends the action here.
 */
static void doorlock_evaluate_travel(struct doorlock *dl,
				     enum doorlock_endstops at, bool fault,
				     u64 ts)
{
	enum doorlock_stop_reason why;
	bool stopped = doorlock_motor_stopped(dl, &why);

	if (READ_ONCE(dl->fault_latched))
		fault = true;
	if (stopped && why == DOORLOCK_STOP_BOTH_ENDSTOPS)
		at = DOORLOCK_AT_BOTH;
	if (stopped && at != DOORLOCK_AT_BOTH && !fault &&
	    (why == DOORLOCK_STOP_STORM || why == DOORLOCK_STOP_READ_ERROR)) {
		doorlock_finish(dl, DOORLOCK_E_MECHANISM_ERROR, ts);
		return;
	}
	if (at == DOORLOCK_AT_BOTH) {
		doorlock_finish(dl, DOORLOCK_E_MECHANISM_ERROR, ts);
		doorlock_emit(dl, DOORLOCK_EVENT_SENSOR_FAULT,
			      DOORLOCK_ACTION_NONE, DOORLOCK_E_MECHANISM_ERROR,
			      0, 0, 0, ts);
	} else if (fault) {
		doorlock_finish(dl, DOORLOCK_E_BOLT_OBSTRUCTED, ts);
	} else if (at == doorlock_target(dl->action)) {
		doorlock_finish(dl, DOORLOCK_OK, ts);
	} else if (at == doorlock_origin(dl->action)) {
		/* Back on its start end-stop with the motor pushing away. */
		if (dl->left_start)
			doorlock_finish(dl, DOORLOCK_E_MECHANISM_ERROR, ts);
	} else {
		if (!dl->left_start) {
			dl->left_start = true;
			cancel_delayed_work(&dl->start_work);
		}
		/*
		 * Off its start, but the guard stopped the motor on it past
		 * the start timeout (a bounce, or a touch): it goes no further.
		 */
		if (stopped && why == DOORLOCK_STOP_AT_START)
			doorlock_finish(dl, doorlock_short_result(dl), ts);
	}
}

/*
 * With no action in flight, a bolt that arrives at the other end-stop was
 * moved by hand: that is a manual move, with its direction. Any change of
 * the end-stops also clears a jam.
 */
static void doorlock_evaluate_idle(struct doorlock *dl,
				   enum doorlock_endstops was,
				   enum doorlock_endstops at, u64 ts)
{
	enum doorlock_action dir;
	u32 travel_ms;

	if (at == was)
		return;
	doorlock_set_state(dl, doorlock_idle_state(at));

	if (at == DOORLOCK_AT_BOTH) {
		doorlock_emit(dl, DOORLOCK_EVENT_SENSOR_FAULT,
			      DOORLOCK_ACTION_NONE, DOORLOCK_E_MECHANISM_ERROR,
			      0, 0, 0, ts);
		return;
	}
	if (at == DOORLOCK_AT_NEITHER || at == dl->rest) {
		dl->left_rest_ns = at == DOORLOCK_AT_NEITHER ? ts : 0;
		doorlock_emit(dl, DOORLOCK_EVENT_STATE_CHANGED,
			      DOORLOCK_ACTION_NONE, DOORLOCK_OK, 0, 0, 0, ts);
		return;
	}

	dir = at == DOORLOCK_AT_LOCKED ? DOORLOCK_ACTION_LOCK :
					 DOORLOCK_ACTION_UNLOCK;
	travel_ms = dl->left_rest_ns ?
		    doorlock_ms_between(dl->left_rest_ns, ts) : 0;
	dl->rest = at;
	dl->left_rest_ns = 0;
	dl->manual_count++;
	doorlock_emit(dl, DOORLOCK_EVENT_MANUAL_MOVE, dir, DOORLOCK_OK,
		      travel_ms, 0, 0, ts);
}

static void doorlock_evaluate(struct doorlock *dl, u64 ts)
{
	enum doorlock_endstops was = dl->endstops, at;
	bool fault;
	int ret;

	lockdep_assert_held(&dl->lock);
	ret = doorlock_read_inputs(dl, &at, &fault);
	if (ret) {
		dev_err_ratelimited(&dl->dev, "cannot read inputs: %d\n", ret);
		if (dl->action != DOORLOCK_ACTION_NONE)
			doorlock_finish(dl, DOORLOCK_E_MECHANISM_ERROR, ts);
		return;
	}
	dl->endstops = at;
	if (dl->action != DOORLOCK_ACTION_NONE)
		doorlock_evaluate_travel(dl, at, fault, ts);
	else
		doorlock_evaluate_idle(dl, was, at, ts);
}

static void doorlock_debounce_work(struct work_struct *work)
{
	struct doorlock *dl = container_of(to_delayed_work(work),
					   struct doorlock, debounce_work);

	doorlock_debounce_fired(dl);
	mutex_lock(&dl->lock);
	if (!dl->gone && !dl->suspended)
		doorlock_evaluate(dl, atomic64_read(&dl->edge_ns));
	mutex_unlock(&dl->lock);
}

/*
 * A timeout first takes the inputs as they are now, then fails the action
 * if its deadline has passed. While a debounce is pending it waits for
 * the debounce instead, no longer than a debounce can take past the
 * deadline: a raw read then may catch a bounce, and a bolt seen leaving
 * its start and then back on it would turn a jam into MECHANISM_ERROR.
 * The motor does not wait: past the start deadline the guard stops it as
 * soon as its start end-stop reads active, here or at the next edge, and
 * only the verdict waits. A timeout work that lost the race with the end
 * of its own action finds a later deadline, or none, and re-arms or does
 * nothing.
 */
static void doorlock_timeout(struct doorlock *dl, struct delayed_work *dw,
			     bool travel)
{
	u64 now, deadline;

	mutex_lock(&dl->lock);
	now = ktime_get_ns();
	if (dl->gone || dl->suspended || dl->action == DOORLOCK_ACTION_NONE)
		goto out;
	deadline = travel ? dl->travel_deadline_ns : dl->start_deadline_ns;
	if (doorlock_debounce_pending(dl) &&
	    now < deadline + doorlock_debounce_bound_ns(dl)) {
		/* Past the start deadline, on its start end-stop: stop. */
		doorlock_motor_guard(dl);
		mod_delayed_work(system_wq, dw,
				 msecs_to_jiffies(dl->debounce_ms) + 1);
		goto out;
	}
	doorlock_evaluate(dl, now);
	if (dl->action == DOORLOCK_ACTION_NONE || (!travel && dl->left_start))
		goto out;

	if (now < deadline) {
		mod_delayed_work(system_wq, dw,
				 nsecs_to_jiffies(deadline - now) + 1);
		goto out;
	}

	doorlock_finish(dl, doorlock_short_result(dl), now);
out:
	mutex_unlock(&dl->lock);
}

static void doorlock_start_work(struct work_struct *work)
{
	struct doorlock *dl = container_of(to_delayed_work(work),
					   struct doorlock, start_work);

	doorlock_timeout(dl, &dl->start_work, false);
}

static void doorlock_travel_work(struct work_struct *work)
{
	struct doorlock *dl = container_of(to_delayed_work(work),
					   struct doorlock, travel_work);

	doorlock_timeout(dl, &dl->travel_work, true);
}

/*
 * A refused command starts nothing and gets an errno; see the uapi's
 * struct doorlock_action_req. An accepted one gets the next id.
 */
int doorlock_submit(struct doorlock *dl, enum doorlock_action action,
		    u64 cookie, u64 *action_id)
{
	enum doorlock_stop_reason why;
	enum doorlock_endstops at;
	bool fault;
	int ret = 0;
	u64 now;

	mutex_lock(&dl->lock);
	now = ktime_get_ns();
	if (dl->gone) {
		ret = -ENODEV;
		goto out;
	}
	/* Opened in the instant between the node's creation and its add. */
	if (!dl->started) {
		ret = -EAGAIN;
		goto out;
	}
	if (dl->suspended || !dl->enabled) {
		ret = -EPERM;
		goto out;
	}
	if (dl->action != DOORLOCK_ACTION_NONE) {
		ret = -EBUSY;
		goto out;
	}
	/* An input ignored as a storm could not stop the motor. */
	if (READ_ONCE(dl->storm_lines)) {
		ret = -EPROTO;
		goto out;
	}
	if (doorlock_read_inputs(dl, &at, &fault) || at == DOORLOCK_AT_BOTH) {
		ret = -EPROTO;
		goto out;
	}
	if (fault) {
		ret = -EIO;
		goto out;
	}
	/* A stop that has not taken yet: the motor may still be driven. */
	if (!doorlock_motor_stopped(dl, &why)) {
		ret = -EIO;
		goto out;
	}

	dl->action = action;
	dl->action_id = ++dl->last_action_id;
	dl->cookie = cookie;
	*action_id = dl->action_id;
	dl->started_ns = now;
	dl->left_start = at != doorlock_origin(action);
	doorlock_result_pending(dl, dl->action_id, cookie, action);
	/* ACTION_STARTED carries the state it starts: locking, unlocking. */
	doorlock_set_state(dl, action == DOORLOCK_ACTION_LOCK ?
			   DOORLOCK_BOLT_LOCKING : DOORLOCK_BOLT_UNLOCKING);
	doorlock_emit(dl, DOORLOCK_EVENT_ACTION_STARTED, action, DOORLOCK_OK,
		      0, dl->action_id, cookie, now);
	if (at == doorlock_target(action)) {
		doorlock_finish(dl, DOORLOCK_OK, now);
		goto out;
	}

	dl->start_deadline_ns = now + (u64)dl->start_timeout_ms * NSEC_PER_MSEC;
	dl->travel_deadline_ns = now +
				 (u64)dl->travel_timeout_ms * NSEC_PER_MSEC;
	if (doorlock_motor_start(dl, action, dl->start_timeout_ms,
				 dl->travel_timeout_ms)) {
		doorlock_finish(dl, DOORLOCK_E_MECHANISM_ERROR, now);
		goto out;
	}
	if (!dl->left_start)
		mod_delayed_work(system_wq, &dl->start_work,
				 msecs_to_jiffies(dl->start_timeout_ms));
	mod_delayed_work(system_wq, &dl->travel_work,
			 msecs_to_jiffies(dl->travel_timeout_ms));
out:
	mutex_unlock(&dl->lock);
	return ret;
}

/* Someone asked: the motor stops now, and the action ends as aborted. */
int doorlock_abort(struct doorlock *dl, u64 action_id)
{
	int ret = 0;

	mutex_lock(&dl->lock);
	if (dl->gone) {
		ret = -ENODEV;
	} else if (dl->action == DOORLOCK_ACTION_NONE ||
		   dl->action_id != action_id) {
		ret = -ESRCH;
	} else {
		doorlock_motor_stop(dl, DOORLOCK_STOP_ABORT);
		doorlock_finish(dl, DOORLOCK_E_ABORTED, ktime_get_ns());
	}
	mutex_unlock(&dl->lock);
	return ret;
}

static const u32 doorlock_input_bits[DOORLOCK_LINES] = {
	[DOORLOCK_LINE_LOCKED] = DOORLOCK_INPUT_LOCKED,
	[DOORLOCK_LINE_UNLOCKED] = DOORLOCK_INPUT_UNLOCKED,
	[DOORLOCK_LINE_FAULT] = DOORLOCK_INPUT_FAULT,
};

/* What the lines read now, and which are ignored; dl->lock held. */
static void doorlock_status_inputs(struct doorlock *dl,
				   struct doorlock_status *st)
{
	unsigned long storm = READ_ONCE(dl->storm_lines);
	struct doorlock_input *in;
	int line;

	for (line = 0; line < DOORLOCK_LINES; line++) {
		in = &dl->inputs[line];
		if (storm & BIT(line))
			st->ignored |= doorlock_input_bits[line];
		/* Once unbound or asleep, the lines are not ours to read. */
		if (dl->gone || dl->suspended || !in->gpio)
			continue;
		if (gpiod_get_value_cansleep(in->gpio) > 0)
			st->inputs |= doorlock_input_bits[line];
	}
}

void doorlock_get_status(struct doorlock *dl, struct doorlock_status *st)
{
	memset(st, 0, sizeof(*st));
	mutex_lock(&dl->lock);
	doorlock_status_inputs(dl, st);
	st->bolt_state = dl->state;
	st->last_error = dl->last_error;
	st->action = dl->action;
	st->enabled = dl->enabled && !dl->gone;
	st->action_id = dl->action_id;
	st->cookie = dl->cookie;
	st->lock_count = dl->lock_count;
	st->unlock_count = dl->unlock_count;
	st->failure_count = dl->failure_count;
	st->manual_count = dl->manual_count;
	st->last_travel_ms = dl->last_travel_ms;
	st->seq = dl->seq;
	mutex_unlock(&dl->lock);
}

int doorlock_get_result(struct doorlock *dl, struct doorlock_result_query *q)
{
	struct doorlock_result_entry *e;
	int ret = 0;

	mutex_lock(&dl->lock);
	if (q->flags & DOORLOCK_RESULT_F_BY_COOKIE)
		e = doorlock_result_find(dl, q->cookie, true);
	else
		e = doorlock_result_find(dl, q->action_id, false);
	if (e) {
		q->action_id = e->action_id;
		q->cookie = e->cookie;
		q->action = e->action;
		q->result = e->result;
		q->travel_ms = e->travel_ms;
		q->pending = e->pending;
		q->seq = e->seq;
	} else {
		ret = -ENOENT;
	}
	mutex_unlock(&dl->lock);
	return ret;
}

int doorlock_set_enabled(struct doorlock *dl, bool enabled)
{
	int ret = 0;

	mutex_lock(&dl->lock);
	if (dl->gone)
		ret = -ENODEV;
	else
		dl->enabled = enabled;
	mutex_unlock(&dl->lock);
	return ret;
}

int doorlock_fsm_init(struct doorlock *dl)
{
	bool fault;
	int ret;

	doorlock_irq_init(dl);
	INIT_DELAYED_WORK(&dl->debounce_work, doorlock_debounce_work);
	INIT_DELAYED_WORK(&dl->start_work, doorlock_start_work);
	INIT_DELAYED_WORK(&dl->travel_work, doorlock_travel_work);
	dl->enabled = true;
	dl->action = DOORLOCK_ACTION_NONE;
	dl->last_error = DOORLOCK_OK;

	ret = doorlock_read_inputs(dl, &dl->endstops, &fault);
	if (ret)
		return ret;
	dl->state = doorlock_idle_state(dl->endstops);
	dl->rest = dl->endstops == DOORLOCK_AT_BOTH ? DOORLOCK_AT_NEITHER :
						      dl->endstops;
	return 0;
}

/* The lock is published: say so, and catch edges missed during probe. */
void doorlock_fsm_start(struct doorlock *dl)
{
	u64 now;

	mutex_lock(&dl->lock);
	/* A reboot may have retired it since it was listed. */
	if (dl->gone) {
		mutex_unlock(&dl->lock);
		return;
	}
	now = ktime_get_ns();
	dl->started = true;
	doorlock_emit(dl, DOORLOCK_EVENT_DEVICE_ADDED, DOORLOCK_ACTION_NONE,
		      DOORLOCK_OK, 0, 0, 0, now);
	doorlock_evaluate(dl, now);
	mutex_unlock(&dl->lock);
}

/*
 * Unbind, shutdown, reboot: the motor stops, an action in flight ends as
 * ABORTED, readers are woken to find the device gone. Nothing
 * touches a GPIO after this.
 */
void doorlock_fsm_stop(struct doorlock *dl, enum doorlock_stop_reason why)
{
	u64 now;

	mutex_lock(&dl->lock);
	if (dl->gone) {
		mutex_unlock(&dl->lock);
		return;
	}
	now = ktime_get_ns();
	doorlock_motor_stop(dl, why);
	if (dl->action != DOORLOCK_ACTION_NONE)
		doorlock_finish(dl, DOORLOCK_E_ABORTED, now);
	doorlock_mark_gone(dl);
	doorlock_emit(dl, DOORLOCK_EVENT_DEVICE_REMOVED, DOORLOCK_ACTION_NONE,
		      DOORLOCK_OK, 0, 0, 0, now);
	mutex_unlock(&dl->lock);
}

/*
 * Before the IRQs are freed, on unbind and on a failed probe alike: no
 * work touches the lines or re-enables an IRQ after this.
 */
void doorlock_fsm_retire(void *data)
{
	struct doorlock *dl = data;

	mutex_lock(&dl->lock);
	doorlock_mark_gone(dl);
	mutex_unlock(&dl->lock);
}

void doorlock_fsm_cancel_work(void *data)
{
	struct doorlock *dl = data;

	doorlock_irq_cancel(dl);
	doorlock_motor_cancel(dl);
	doorlock_debounce_cancel(dl);
	cancel_delayed_work_sync(&dl->start_work);
	cancel_delayed_work_sync(&dl->travel_work);
}

/*
 * System suspend: the motor stops, an action in flight ends as ABORTED,
 * commands are refused until resume, and the inputs are
 * quiet (doorlock_irq_suspend) with no work left to read them.
 */
void doorlock_fsm_suspend(struct doorlock *dl)
{
	mutex_lock(&dl->lock);
	if (dl->gone || dl->suspended) {
		mutex_unlock(&dl->lock);
		return;
	}
	WRITE_ONCE(dl->suspended, true);
	doorlock_motor_stop(dl, DOORLOCK_STOP_SUSPEND);
	if (dl->action != DOORLOCK_ACTION_NONE)
		doorlock_finish(dl, DOORLOCK_E_ABORTED, ktime_get_ns());
	mutex_unlock(&dl->lock);

	doorlock_irq_suspend(dl);
	doorlock_debounce_cancel(dl);
}

/* What moved while the lock slept is reported now, as a manual move. */
void doorlock_fsm_resume(struct doorlock *dl)
{
	mutex_lock(&dl->lock);
	if (!dl->suspended) {
		mutex_unlock(&dl->lock);
		return;
	}
	mutex_unlock(&dl->lock);
	/* The inputs are live again before a command can start the motor. */
	doorlock_irq_resume(dl);
	mutex_lock(&dl->lock);
	WRITE_ONCE(dl->suspended, false);
	if (!dl->gone)
		doorlock_evaluate(dl, ktime_get_ns());
	mutex_unlock(&dl->lock);
}
