// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: the motor, and what bounds how long it runs.
 *
 * Whichever comes first stops it: the IRQ thread of an input that reads
 * the target end-stop, the fault or both end-stops (doorlock_motor_guard,
 * on the first such edge, before any debounce); the state machine ending
 * the action; or a hard-IRQ hrtimer armed for the travel timeout when the
 * motor starts. The timer switches outputs on a non-sleeping chip itself
 * and hands those on a sleeping one (an I2C expander, gpio-sim) to a
 * SCHED_FIFO kthread worker, so neither path waits on the system
 * workqueue. A panic switches off every motor it can without sleeping, a
 * reboot every motor.
 *
 * Order on the way up: supply, enable, direction; on the way down the
 * reverse. The two direction outputs are never both driven: the other
 * direction is released before one is driven, and off releases both.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/gpio/consumer.h>
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/rculist.h>
#include <linux/reboot.h>
#include <linux/regulator/consumer.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include "doorlock.h"
#include "doorlock_trace.h"

/* How soon a stop whose outputs did not read back off is tried again. */
#define DOORLOCK_OFF_RETRY_MS	10

static struct kthread_worker *doorlock_cutoff_worker;

/* From any context: every output that can be written without sleeping. */
static void doorlock_motor_off_atomic(struct doorlock *dl)
{
	if (!gpiod_cansleep(dl->lock_gpio))
		gpiod_set_value(dl->lock_gpio, 0);
	if (!gpiod_cansleep(dl->unlock_gpio))
		gpiod_set_value(dl->unlock_gpio, 0);
	if (dl->enable_gpio && !gpiod_cansleep(dl->enable_gpio))
		gpiod_set_value(dl->enable_gpio, 0);
}

/*
 * A write to a GPIO returns nothing on the kernels this builds for, and
 * on a sleeping chip (an I2C or SPI expander) it can fail: there the line
 * is read back. 0 when it holds @value, -EIO or the read's -errno if not.
 */
static int doorlock_motor_set(struct gpio_desc *desc, int value)
{
	int got;

	gpiod_set_value_cansleep(desc, value);
	if (!gpiod_cansleep(desc))
		return 0;
	got = gpiod_get_value_cansleep(desc);
	if (got < 0)
		return got;
	return got == value ? 0 : -EIO;
}

/*
 * Each output is switched off even when another one fails to. 0 when all
 * read back off.
 */
static int doorlock_motor_outputs_off(struct doorlock *dl)
{
	int lock, unlock, enable = 0;

	lock = doorlock_motor_set(dl->lock_gpio, 0);
	unlock = doorlock_motor_set(dl->unlock_gpio, 0);
	if (dl->enable_gpio)
		enable = doorlock_motor_set(dl->enable_gpio, 0);
	if (!lock && !unlock && !enable)
		return 0;
	dev_crit_ratelimited(&dl->dev,
			     "motor outputs may still be on: lock %d, unlock %d, enable %d\n",
			     lock, unlock, enable);
	return -EIO;
}

/*
 * Every stop comes here. An output that does not read back off leaves the
 * motor counted as running: each later stop tries again, the cut-off
 * worker retries every DOORLOCK_OFF_RETRY_MS, and no movement starts
 * until one takes. The supply, if any, is cut at the first try.
 */
static void doorlock_motor_off_locked(struct doorlock *dl,
				      enum doorlock_stop_reason why)
{
	enum doorlock_action dir = dl->motor_dir;
	int ret;
	u64 now;

	lockdep_assert_held(&dl->motor_lock);
	if (dir == DOORLOCK_ACTION_NONE)
		return;
	hrtimer_cancel(&dl->cutoff_timer);
	ret = doorlock_motor_outputs_off(dl);
	now = ktime_get_ns();
	if (dl->supply_on) {
		regulator_disable(dl->supply);
		dl->supply_on = false;
	}
	if (ret) {
		/* The first stop asked for is the reason, whoever retries. */
		if (!dl->motor_stopping)
			dl->motor_stop = why;
		dl->motor_stopping = true;
		dl->motor_deadline_ns = now;
		hrtimer_start(&dl->cutoff_timer,
			      ms_to_ktime(DOORLOCK_OFF_RETRY_MS),
			      HRTIMER_MODE_REL_HARD);
		return;
	}
	if (!dl->motor_stopping)
		dl->motor_stop = why;
	dl->motor_stopping = false;
	dl->motor_dir = DOORLOCK_ACTION_NONE;
	trace_doorlock_motor_off(dl->id, dir, dl->motor_stop,
				 now - dl->motor_on_ns, now);
}

void doorlock_motor_stop(struct doorlock *dl, enum doorlock_stop_reason why)
{
	mutex_lock(&dl->motor_lock);
	doorlock_motor_off_locked(dl, why);
	mutex_unlock(&dl->motor_lock);
}

/*
 * The guard's test, with motor_lock held: a moving motor stops at once on
 * the target end-stop, the fault or both end-stops, and, once the start
 * timeout has passed, on its start end-stop: the bolt is jammed there or
 * came back. The fault stays latched for the action.
 */
static void doorlock_motor_check_locked(struct doorlock *dl)
{
	struct gpio_desc *target, *origin;
	enum doorlock_stop_reason why;
	int at, back, fault = 0;

	lockdep_assert_held(&dl->motor_lock);
	if (dl->motor_dir == DOORLOCK_ACTION_NONE)
		return;
	target = dl->motor_dir == DOORLOCK_ACTION_LOCK ? dl->locked_gpio :
							 dl->unlocked_gpio;
	origin = dl->motor_dir == DOORLOCK_ACTION_LOCK ? dl->unlocked_gpio :
							 dl->locked_gpio;
	at = gpiod_get_value_cansleep(target);
	back = gpiod_get_value_cansleep(origin);
	if (dl->fault_gpio)
		fault = gpiod_get_value_cansleep(dl->fault_gpio);

	if (at < 0 || back < 0 || fault < 0) {
		why = DOORLOCK_STOP_READ_ERROR;
	} else if (fault) {
		WRITE_ONCE(dl->fault_latched, true);
		why = DOORLOCK_STOP_FAULT;
	} else if (at && back) {
		why = DOORLOCK_STOP_BOTH_ENDSTOPS;
	} else if (at) {
		why = DOORLOCK_STOP_ARRIVED;
	} else if (back && ktime_get_ns() >= dl->motor_start_deadline_ns) {
		why = DOORLOCK_STOP_AT_START;
	} else {
		return;
	}
	doorlock_motor_off_locked(dl, why);
}

int doorlock_motor_start(struct doorlock *dl, enum doorlock_action dir,
			 u32 start_ms, u32 max_ms)
{
	struct gpio_desc *on, *other;
	int ret = 0;

	on = dir == DOORLOCK_ACTION_LOCK ? dl->lock_gpio : dl->unlock_gpio;
	other = dir == DOORLOCK_ACTION_LOCK ? dl->unlock_gpio : dl->lock_gpio;

	mutex_lock(&dl->motor_lock);
	doorlock_motor_off_locked(dl, DOORLOCK_STOP_ACTION_END);
	if (dl->motor_dir != DOORLOCK_ACTION_NONE) {
		ret = -EIO;	/* the last stop has not taken yet */
		goto out;
	}
	if (dl->supply) {
		ret = regulator_enable(dl->supply);
		if (ret) {
			dev_err(&dl->dev, "cannot enable motor-supply: %d\n",
				ret);
			goto out;
		}
		dl->supply_on = true;
	}
	WRITE_ONCE(dl->fault_latched, false);
	dl->motor_dir = dir;
	dl->motor_on_ns = ktime_get_ns();
	dl->motor_deadline_ns = dl->motor_on_ns + (u64)max_ms * NSEC_PER_MSEC;
	dl->motor_start_deadline_ns = dl->motor_on_ns +
				      (u64)start_ms * NSEC_PER_MSEC;
	if (dl->enable_gpio)
		ret = doorlock_motor_set(dl->enable_gpio, 1);
	if (!ret)
		ret = doorlock_motor_set(other, 0);
	if (!ret)
		ret = doorlock_motor_set(on, 1);
	trace_doorlock_motor_on(dl->id, dir, max_ms, dl->motor_on_ns);
	if (ret) {
		dev_err(&dl->dev, "cannot drive the motor outputs: %d\n", ret);
		doorlock_motor_off_locked(dl, DOORLOCK_STOP_ACTION_END);
		goto out;
	}
	hrtimer_start(&dl->cutoff_timer, ms_to_ktime(max_ms),
		      HRTIMER_MODE_REL_HARD);
	/* An edge since the caller read the inputs found the motor off. */
	doorlock_motor_check_locked(dl);
out:
	mutex_unlock(&dl->motor_lock);
	return ret;
}

/*
 * True once the motor is off for the action in flight; @why says who
 * stopped it. The state machine uses it to end an action the guard or the
 * cut-off already stopped.
 */
bool doorlock_motor_stopped(struct doorlock *dl,
			    enum doorlock_stop_reason *why)
{
	bool stopped;

	mutex_lock(&dl->motor_lock);
	stopped = dl->motor_dir == DOORLOCK_ACTION_NONE;
	*why = dl->motor_stop;
	mutex_unlock(&dl->motor_lock);
	return stopped;
}

/*
 * Called on every input edge, by its IRQ thread and when a stormy line is
 * disabled: whatever the debounce later reports.
 */
void doorlock_motor_guard(struct doorlock *dl)
{
	mutex_lock(&dl->motor_lock);
	doorlock_motor_check_locked(dl);
	mutex_unlock(&dl->motor_lock);
}

/*
 * The cut-off on the worker. A run that ended and a new one that started
 * while this was queued have a later deadline: that run is not touched.
 */
static void doorlock_cutoff_work(struct kthread_work *work)
{
	struct doorlock *dl = container_of(work, struct doorlock, cutoff_work);

	mutex_lock(&dl->motor_lock);
	if (dl->motor_dir != DOORLOCK_ACTION_NONE &&
	    ktime_get_ns() >= dl->motor_deadline_ns)
		doorlock_motor_off_locked(dl, DOORLOCK_STOP_CUTOFF);
	mutex_unlock(&dl->motor_lock);
}

static enum hrtimer_restart doorlock_cutoff_timer(struct hrtimer *timer)
{
	struct doorlock *dl = container_of(timer, struct doorlock,
					   cutoff_timer);

	/*
	 * Off at once where that cannot sleep; the worker does the rest and
	 * records it. doorlock_motor_off_locked() cancels this timer before
	 * it touches an output, so the two never write a line at once.
	 */
	doorlock_motor_off_atomic(dl);
	kthread_queue_work(doorlock_cutoff_worker, &dl->cutoff_work);
	return HRTIMER_NORESTART;
}

int doorlock_motor_init(struct doorlock *dl, struct device *dev)
{
	mutex_init(&dl->motor_lock);
	dl->motor_dir = DOORLOCK_ACTION_NONE;
	dl->motor_stop = DOORLOCK_STOP_ACTION_END;
	hrtimer_init(&dl->cutoff_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	dl->cutoff_timer.function = doorlock_cutoff_timer;
	kthread_init_work(&dl->cutoff_work, doorlock_cutoff_work);

	/* Requested inactive: the bridge sleeps until a movement. */
	dl->enable_gpio = devm_gpiod_get_optional(dev, "enable", GPIOD_OUT_LOW);
	if (IS_ERR(dl->enable_gpio))
		return dev_err_probe(dev, PTR_ERR(dl->enable_gpio),
				     "cannot get enable-gpios\n");

	dl->supply = devm_regulator_get_optional(dev, "motor");
	if (IS_ERR(dl->supply)) {
		if (PTR_ERR(dl->supply) != -ENODEV)
			return dev_err_probe(dev, PTR_ERR(dl->supply),
					     "cannot get motor-supply\n");
		dl->supply = NULL;
	}
	return 0;
}

/*
 * Unbind, after the last doorlock_motor_stop(): nothing may fire later.
 * A stop that never took is given up here, so that no retry re-arms the
 * timer once it is cancelled.
 */
void doorlock_motor_cancel(struct doorlock *dl)
{
	mutex_lock(&dl->motor_lock);
	if (dl->motor_dir != DOORLOCK_ACTION_NONE) {
		dev_crit(&dl->dev, "unbound with the motor outputs maybe on\n");
		dl->motor_dir = DOORLOCK_ACTION_NONE;
		dl->motor_stopping = false;
	}
	mutex_unlock(&dl->motor_lock);
	hrtimer_cancel(&dl->cutoff_timer);
	kthread_cancel_work_sync(&dl->cutoff_work);
}

/*
 * A panic cannot sleep or take a mutex: it writes the outputs that can be
 * written from atomic context, line by line, under RCU against unbind.
 */
static int doorlock_panic_notify(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	struct doorlock *dl;

	rcu_read_lock();
	list_for_each_entry_rcu(dl, &doorlock_list, node)
		doorlock_motor_off_atomic(dl);
	rcu_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block doorlock_panic_nb = {
	.notifier_call = doorlock_panic_notify,
	/* Before the notifiers that may halt this CPU. */
	.priority = INT_MAX,
};

/*
 * Runs before the devices' shutdown callbacks, and for a kexec too: every
 * lock is retired as at shutdown, motor off and commands refused, so a
 * daemon still running cannot start a motor again meanwhile.
 */
static int doorlock_reboot_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	struct doorlock *dl;

	mutex_lock(&doorlock_list_lock);
	list_for_each_entry(dl, &doorlock_list, node)
		doorlock_fsm_stop(dl, DOORLOCK_STOP_REBOOT);
	mutex_unlock(&doorlock_list_lock);
	return NOTIFY_DONE;
}

static struct notifier_block doorlock_reboot_nb = {
	.notifier_call = doorlock_reboot_notify,
};

int doorlock_motor_register(void)
{
	int ret;

	doorlock_cutoff_worker = kthread_create_worker(0, "doorlock-cutoff");
	if (IS_ERR(doorlock_cutoff_worker))
		return PTR_ERR(doorlock_cutoff_worker);
	sched_set_fifo(doorlock_cutoff_worker->task);

	ret = register_reboot_notifier(&doorlock_reboot_nb);
	if (ret) {
		kthread_destroy_worker(doorlock_cutoff_worker);
		return ret;
	}
	atomic_notifier_chain_register(&panic_notifier_list,
				       &doorlock_panic_nb);
	return 0;
}

void doorlock_motor_unregister(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list,
					 &doorlock_panic_nb);
	unregister_reboot_notifier(&doorlock_reboot_nb);
	kthread_destroy_worker(doorlock_cutoff_worker);
}
