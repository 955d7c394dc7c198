// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: the input edges.
 *
 * The hard handler only stamps and counts the edges. The thread, one per
 * line, does what cannot wait: the motor guard (the motor stops on the
 * first edge at which the target end-stop, the fault or both end-stops
 * read active), the storm check, and arming the debounced evaluation that
 * decides what is reported. The debounce waits for quiet, but never longer than
 * DOORLOCK_DEBOUNCE_MAX_WAIT debounce periods after the first edge, so a
 * chattering line delays a report by a bounded time and a stop not at all.
 *
 * A line with more than storm_edges edges (sysfs, 200 by default) in
 * DOORLOCK_STORM_WINDOW_MS (a DRV8833's nFAULT on its over-current retry, a
 * loose wire) is disabled, which stops a moving motor, and re-enabled
 * DOORLOCK_STORM_PAUSE_MS later.
 */

#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/gpio/consumer.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/platform_device.h>
#include <linux/pm_wakeup.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "doorlock.h"
#include "doorlock_trace.h"

#define DOORLOCK_DEBOUNCE_MAX_WAIT	4
#define DOORLOCK_STORM_WINDOW_MS	1000
#define DOORLOCK_STORM_PAUSE_MS		1000

static const char * const doorlock_line_names[DOORLOCK_LINES] = {
	[DOORLOCK_LINE_LOCKED] = "locked",
	[DOORLOCK_LINE_UNLOCKED] = "unlocked",
	[DOORLOCK_LINE_FAULT] = "fault",
};

/*
 * Not oneshot: the line stays unmasked while its thread runs, so every
 * edge of a burst is counted here, and the thread, woken once for the
 * burst, sees the time of its first edge.
 */
static irqreturn_t doorlock_edge_isr(int irq, void *data)
{
	struct doorlock_input *in = data;

	atomic64_cmpxchg(&in->hard_ns, 0, ktime_get_ns());
	atomic_inc(&in->hard_edges);
	WRITE_ONCE(in->hard_seen, true);
	return IRQ_WAKE_THREAD;
}

/* Quiet for debounce_ms, but no later than the bound after the first edge. */
static void doorlock_debounce_arm(struct doorlock *dl, u64 now)
{
	u64 period = (u64)READ_ONCE(dl->debounce_ms) * NSEC_PER_MSEC;
	u64 latest, delay = period;

	spin_lock(&dl->edge_lock);
	if (!dl->debounce_first_ns)
		dl->debounce_first_ns = now;
	latest = dl->debounce_first_ns + DOORLOCK_DEBOUNCE_MAX_WAIT * period;
	if (now + delay > latest)
		delay = latest > now ? latest - now : 0;
	/* Rounded up: at HZ=100 a 5 ms debounce is one tick, not none. */
	mod_delayed_work(system_wq, &dl->debounce_work,
			 delay ? nsecs_to_jiffies(delay + TICK_NSEC - 1) : 0);
	spin_unlock(&dl->edge_lock);
}

/* The debounce work runs: edges from now on start a new window. */
void doorlock_debounce_fired(struct doorlock *dl)
{
	spin_lock(&dl->edge_lock);
	dl->debounce_first_ns = 0;
	spin_unlock(&dl->edge_lock);
}

/* Suspend and unbind, with the IRQs quiet: no debounce is left pending. */
void doorlock_debounce_cancel(struct doorlock *dl)
{
	cancel_delayed_work_sync(&dl->debounce_work);
	doorlock_debounce_fired(dl);
}

/* A debounce is armed: a raw read of the inputs now may catch a bounce. */
bool doorlock_debounce_pending(struct doorlock *dl)
{
	bool pending;

	spin_lock(&dl->edge_lock);
	pending = dl->debounce_first_ns;
	spin_unlock(&dl->edge_lock);
	return pending;
}

/* The longest a debounce waits after its first edge, and a period more. */
u64 doorlock_debounce_bound_ns(struct doorlock *dl)
{
	return (u64)(DOORLOCK_DEBOUNCE_MAX_WAIT + 1) *
	       READ_ONCE(dl->debounce_ms) * NSEC_PER_MSEC;
}

/*
 * The thread runs one at a time per line, so the window needs no lock.
 * Each run counts the edges its hard handler saw, so a burst the thread
 * coalesces still counts whole; a nested-thread IRQ, whose hard handler
 * never runs, counts one edge a run. (With threadirqs or PREEMPT_RT the
 * hard handler is itself a oneshot thread, and a burst may count less.)
 */
static bool doorlock_storm(struct doorlock_input *in, u64 now, int edges)
{
	struct doorlock *dl = in->dl;

	if (now - in->window_ns > DOORLOCK_STORM_WINDOW_MS * NSEC_PER_MSEC) {
		in->window_ns = now;
		in->window_edges = 0;
	}
	in->window_edges += edges;
	if (in->window_edges <= READ_ONCE(dl->storm_edges))
		return false;

	/*
	 * Disabled before the bit is set, so the storm work, which enables
	 * a line only once it has cleared its bit, never runs ahead of the
	 * disable. A storm already on has its own disable: undo ours.
	 */
	disable_irq_nosync(in->irq);
	if (test_and_set_bit(in->line, &dl->storm_lines)) {
		enable_irq(in->irq);
		return true;
	}
	trace_doorlock_storm(dl->id, in->line, true);
	dev_warn_ratelimited(&dl->dev,
			     "%s-gpios: %u edges within %u ms, ignored for %u ms\n",
			     doorlock_line_names[in->line], in->window_edges,
			     DOORLOCK_STORM_WINDOW_MS, DOORLOCK_STORM_PAUSE_MS);
	doorlock_motor_stop(dl, DOORLOCK_STOP_STORM);
	mod_delayed_work(system_wq, &dl->storm_work,
			 msecs_to_jiffies(DOORLOCK_STORM_PAUSE_MS));
	return true;
}

static irqreturn_t doorlock_edge_thread(int irq, void *data)
{
	struct doorlock_input *in = data;
	struct doorlock *dl = in->dl;
	int edges;
	u64 now;

	/*
	 * The count first: an edge after it is counted, and stamped, by the
	 * next run. A nested-thread IRQ never ran the hard handler.
	 */
	edges = atomic_xchg(&in->hard_edges, 0);
	if (!READ_ONCE(in->hard_seen))
		edges = 1;
	now = atomic64_xchg(&in->hard_ns, 0);
	if (!now)
		now = ktime_get_ns();
	atomic64_set(&dl->edge_ns, now);
	if (trace_doorlock_edge_enabled())
		trace_doorlock_edge(dl->id, in->line,
				    gpiod_get_value_cansleep(in->gpio), now);

	/* Between our suspend and the system's: a thumb-turn aborts it. */
	if (READ_ONCE(dl->suspended) && in->wake)
		pm_wakeup_dev_event(dl->dev.parent, 0, true);
	if (!doorlock_storm(in, now, edges))
		doorlock_motor_guard(dl);
	doorlock_debounce_arm(dl, now);
	return IRQ_HANDLED;
}

/* Back from a storm: the inputs may have changed while nobody listened. */
static void doorlock_storm_work(struct work_struct *work)
{
	struct doorlock *dl = container_of(to_delayed_work(work),
					   struct doorlock, storm_work);
	bool idle;
	int line;

	/*
	 * Under dl->lock, gone is set before the IRQs are freed. While
	 * suspended the lines stay off; resume queues this again.
	 */
	mutex_lock(&dl->lock);
	idle = dl->gone || dl->suspended;
	for (line = 0; line < DOORLOCK_LINES && !idle; line++) {
		if (!test_and_clear_bit(line, &dl->storm_lines))
			continue;
		enable_irq(dl->inputs[line].irq);
		trace_doorlock_storm(dl->id, line, false);
	}
	mutex_unlock(&dl->lock);
	if (idle)
		return;
	/* What the line says now counts as an edge missed meanwhile. */
	doorlock_motor_guard(dl);
	doorlock_debounce_arm(dl, ktime_get_ns());
}

static int doorlock_irq_request_one(struct doorlock *dl,
				    enum doorlock_line line,
				    struct gpio_desc *gpio)
{
	struct doorlock_input *in = &dl->inputs[line];
	struct device *dev = &dl->pdev->dev;
	const char *what = doorlock_line_names[line];
	char *name;
	int ret;

	in->dl = dl;
	in->gpio = gpio;
	in->line = line;
	in->irq = gpiod_to_irq(gpio);
	if (in->irq < 0)
		return dev_err_probe(dev, in->irq, "%s-gpios: no interrupt\n",
				     what);

	/* /proc/irq/N/<name>: one per line, and never a '/' from a label. */
	name = devm_kasprintf(dev, GFP_KERNEL, "%s:%s", dev_name(&dl->dev),
			      what);
	if (!name)
		return -ENOMEM;
	strreplace(name, '/', ':');

	ret = devm_request_threaded_irq(dev, in->irq, doorlock_edge_isr,
					doorlock_edge_thread,
					IRQF_TRIGGER_RISING |
					IRQF_TRIGGER_FALLING,
					name, in);
	if (ret)
		return dev_err_probe(dev, ret, "%s-gpios: cannot request IRQ %d\n",
				     what, in->irq);
	return 0;
}

void doorlock_irq_init(struct doorlock *dl)
{
	int line;

	spin_lock_init(&dl->edge_lock);
	atomic64_set(&dl->edge_ns, 0);
	for (line = 0; line < DOORLOCK_LINES; line++)
		atomic64_set(&dl->inputs[line].hard_ns, 0);
	INIT_DELAYED_WORK(&dl->storm_work, doorlock_storm_work);
}

int doorlock_irq_request(struct doorlock *dl)
{
	int ret;

	ret = doorlock_irq_request_one(dl, DOORLOCK_LINE_LOCKED,
				       dl->locked_gpio);
	if (ret)
		return ret;
	ret = doorlock_irq_request_one(dl, DOORLOCK_LINE_UNLOCKED,
				       dl->unlocked_gpio);
	if (ret)
		return ret;
	if (dl->fault_gpio)
		return doorlock_irq_request_one(dl, DOORLOCK_LINE_FAULT,
						dl->fault_gpio);
	return 0;
}

/*
 * System suspend. Where the lock may wake the system (wakeup-source), the
 * end-stops stay armed as wakeup interrupts, so a thumb-turn wakes it;
 * every other input is disabled until resume, and so is an end-stop whose
 * chip cannot wake: the lock then learns at resume what moved meanwhile.
 */
void doorlock_irq_suspend(struct doorlock *dl)
{
	bool wake = device_may_wakeup(dl->dev.parent);
	struct doorlock_input *in;
	int line;

	cancel_delayed_work_sync(&dl->storm_work);

	for (line = 0; line < DOORLOCK_LINES; line++) {
		in = &dl->inputs[line];
		in->wake = false;
		if (!in->gpio)
			continue;
		if (wake && line != DOORLOCK_LINE_FAULT &&
		    !enable_irq_wake(in->irq)) {
			in->wake = true;
			continue;
		}
		disable_irq(in->irq);
	}
}

void doorlock_irq_resume(struct doorlock *dl)
{
	struct doorlock_input *in;
	int line;

	if (dl->storm_lines)
		mod_delayed_work(system_wq, &dl->storm_work,
				 msecs_to_jiffies(DOORLOCK_STORM_PAUSE_MS));

	for (line = 0; line < DOORLOCK_LINES; line++) {
		in = &dl->inputs[line];
		if (!in->gpio)
			continue;
		if (in->wake)
			disable_irq_wake(in->irq);
		else
			enable_irq(in->irq);
	}
}

/* After the IRQs are freed: the storm work may not re-enable one. */
void doorlock_irq_cancel(struct doorlock *dl)
{
	cancel_delayed_work_sync(&dl->storm_work);
}
