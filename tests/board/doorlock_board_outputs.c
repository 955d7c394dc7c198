// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: a GPIO chip the board can put between the driver and a lock's
 * motor outputs on gpio-sim, to reach what gpio-sim alone cannot. Its lines
 * sleep and every write to them takes. A Pi's own outputs do not sleep, so
 * the driver's hard timer and panic path write them themselves; an I2C
 * expander's sleep and a write to one can fail. This chip is one or the
 * other: the "atomic" kind never sleeps, the "sleeping" kind drops writes
 * to the lines in stuck_outputs, so such a line keeps its level and reads
 * it back. Each level goes on to the gpio-sim line, where the plant and the
 * tests see it, and every change is logged with the context that made it:
 * a test reads output_writes to see who switched the motor off. A change
 * made in a panic is also printed, as nothing can be read back after one.
 */

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/gpio/consumer.h>
#include <linux/gpio/driver.h>
#include <linux/gpio/machine.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/platform_device.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "doorlock_board.h"
#include "doorlock_board_outputs.h"

#define DOORLOCK_OUTPUTS_LOG_LEN	64

static const unsigned int doorlock_outputs_sim_line[DOORLOCK_OUTPUTS_LINES] = {
	[DOORLOCK_OUTPUTS_LINE_LOCK] = DOORLOCK_SIM_LINE_LOCK,
	[DOORLOCK_OUTPUTS_LINE_UNLOCK] = DOORLOCK_SIM_LINE_UNLOCK,
	[DOORLOCK_OUTPUTS_LINE_ENABLE] = DOORLOCK_SIM_LINE_ENABLE,
};

static const char *const doorlock_outputs_names[DOORLOCK_OUTPUTS_LINES] = {
	[DOORLOCK_OUTPUTS_LINE_LOCK] = "lock",
	[DOORLOCK_OUTPUTS_LINE_UNLOCK] = "unlock",
	[DOORLOCK_OUTPUTS_LINE_ENABLE] = "enable",
};

struct doorlock_board_outputs {
	struct gpio_chip chip;
	unsigned int lock;
	char label[32];
	char dev_id[40];
	/* Nothing binds it: it names the requester of the gpio-sim lines. */
	struct platform_device *pdev;
	struct gpiod_lookup_table *lookup;
	struct gpio_desc *sim[DOORLOCK_OUTPUTS_LINES];
	unsigned long level;		/* bit per line, under log_lock */
	/* The atomic kind hands its levels to gpio-sim from here. */
	struct work_struct mirror;
	/* One push at a time, so that the last level read is the last set. */
	struct mutex push_lock;
	bool added;
};

struct doorlock_outputs_write {
	u64 ns;
	unsigned int lock;
	unsigned int line;
	int value;
	bool dropped;
	unsigned int repeats;
	char ctx[TASK_COMM_LEN];
};

/* Raw: the hard timer writes from hard IRQ context, on PREEMPT_RT too. */
static DEFINE_RAW_SPINLOCK(log_lock);
static struct doorlock_outputs_write log_ring[DOORLOCK_OUTPUTS_LOG_LEN];
static unsigned int log_next;
static unsigned int log_count;

static unsigned int stuck_outputs;
module_param(stuck_outputs, uint, 0644);
MODULE_PARM_DESC(stuck_outputs,
		 "bit per line of the sleeping outputs chip whose writes are dropped");

static void doorlock_outputs_ctx(char *ctx)
{
	size_t i;

	if (in_nmi()) {
		strscpy(ctx, "nmi", TASK_COMM_LEN);
	} else if (in_hardirq()) {
		strscpy(ctx, "hardirq", TASK_COMM_LEN);
	} else if (in_serving_softirq()) {
		strscpy(ctx, "softirq", TASK_COMM_LEN);
	} else {
		/* Its own name: current's comm needs no task_lock. */
		strscpy(ctx, current->comm, TASK_COMM_LEN);
		for (i = 0; ctx[i]; i++)
			if (ctx[i] == ' ')
				ctx[i] = '_';
	}
}

/*
 * With log_lock held. A retried stop writes the same stuck line again and
 * again: that is one entry with a repeat count, so the log keeps the rest.
 */
static void doorlock_outputs_log(struct doorlock_board_outputs *o,
				 unsigned int line, int value, bool dropped)
{
	struct doorlock_outputs_write w = {
		.ns = ktime_get_ns(),
		.lock = o->lock,
		.line = line,
		.value = value,
		.dropped = dropped,
	};
	struct doorlock_outputs_write *last;

	doorlock_outputs_ctx(w.ctx);
	if (log_count) {
		last = &log_ring[(log_next + DOORLOCK_OUTPUTS_LOG_LEN - 1) %
				 DOORLOCK_OUTPUTS_LOG_LEN];
		if (last->lock == w.lock && last->line == w.line &&
		    last->value == w.value && last->dropped == w.dropped &&
		    !strcmp(last->ctx, w.ctx)) {
			last->repeats++;
			last->ns = w.ns;
			return;
		}
	}
	log_ring[log_next] = w;
	log_next = (log_next + 1) % DOORLOCK_OUTPUTS_LOG_LEN;
	if (log_count < DOORLOCK_OUTPUTS_LOG_LEN)
		log_count++;
}

static int doorlock_outputs_get_log(char *buf, const struct kernel_param *kp)
{
	const struct doorlock_outputs_write *w;
	unsigned long flags;
	unsigned int i;
	int len = 0;

	raw_spin_lock_irqsave(&log_lock, flags);
	for (i = 0; i < log_count; i++) {
		w = &log_ring[(log_next + DOORLOCK_OUTPUTS_LOG_LEN - log_count +
			       i) % DOORLOCK_OUTPUTS_LOG_LEN];
		len += scnprintf(buf + len, PAGE_SIZE - len,
				 "%u %s %d %s %llu %s %u\n", w->lock,
				 doorlock_outputs_names[w->line], w->value,
				 w->ctx, w->ns,
				 w->dropped ? "dropped" : "taken", w->repeats);
	}
	raw_spin_unlock_irqrestore(&log_lock, flags);
	return len;
}

/* Any write empties the log. */
static int doorlock_outputs_clear_log(const char *val,
				      const struct kernel_param *kp)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&log_lock, flags);
	log_count = 0;
	log_next = 0;
	raw_spin_unlock_irqrestore(&log_lock, flags);
	return 0;
}

static const struct kernel_param_ops doorlock_outputs_log_ops = {
	.set = doorlock_outputs_clear_log,
	.get = doorlock_outputs_get_log,
};

module_param_cb(output_writes, &doorlock_outputs_log_ops, NULL, 0644);
MODULE_PARM_DESC(output_writes,
		 "changes the outputs chips were asked for, oldest first; a write clears it");

static void doorlock_outputs_push(struct doorlock_board_outputs *o)
{
	unsigned long flags, level;
	unsigned int i;

	mutex_lock(&o->push_lock);
	raw_spin_lock_irqsave(&log_lock, flags);
	level = o->level;
	raw_spin_unlock_irqrestore(&log_lock, flags);
	for (i = 0; i < DOORLOCK_OUTPUTS_LINES; i++)
		gpiod_set_value_cansleep(o->sim[i], !!(level & BIT(i)));
	mutex_unlock(&o->push_lock);
}

static void doorlock_outputs_mirror(struct work_struct *work)
{
	doorlock_outputs_push(container_of(work, struct doorlock_board_outputs,
					   mirror));
}

static void doorlock_outputs_panic_set(struct doorlock_board_outputs *o,
				       unsigned int line, int value)
{
	bool locked = raw_spin_trylock(&log_lock);
	int was = !!(o->level & BIT(line));

	if (was != value) {
		__assign_bit(line, &o->level, value);
		pr_emerg("doorlock_board: in a panic: lock %u %s %d -> %d\n",
			 o->lock, doorlock_outputs_names[line], was, value);
	}
	if (locked)
		raw_spin_unlock(&log_lock);
}

static void doorlock_outputs_set(struct gpio_chip *gc, unsigned int line,
				 int value)
{
	struct doorlock_board_outputs *o = gpiochip_get_data(gc);
	unsigned long flags;
	bool dropped, changed;

	value = !!value;
	/*
	 * In a panic the other CPUs are stopped wherever they were, perhaps
	 * holding the lock, and no work will run: the level is set, printed
	 * and left at that.
	 */
	if (oops_in_progress) {
		doorlock_outputs_panic_set(o, line, value);
		return;
	}
	raw_spin_lock_irqsave(&log_lock, flags);
	changed = !!(o->level & BIT(line)) != value;
	dropped = gc->can_sleep && (READ_ONCE(stuck_outputs) & BIT(line));
	if (changed) {
		doorlock_outputs_log(o, line, value, dropped);
		if (!dropped)
			__assign_bit(line, &o->level, value);
	}
	raw_spin_unlock_irqrestore(&log_lock, flags);
	if (!changed || dropped)
		return;
	/* In a task that may sleep gpio-sim is written at once, else later. */
	if (gc->can_sleep || preemptible())
		doorlock_outputs_push(o);
	else
		schedule_work(&o->mirror);
}

static int doorlock_outputs_get(struct gpio_chip *gc, unsigned int line)
{
	struct doorlock_board_outputs *o = gpiochip_get_data(gc);
	unsigned long flags;
	int value;

	raw_spin_lock_irqsave(&log_lock, flags);
	value = !!(o->level & BIT(line));
	raw_spin_unlock_irqrestore(&log_lock, flags);
	return value;
}

static int doorlock_outputs_get_direction(struct gpio_chip *gc,
					  unsigned int line)
{
	return GPIO_LINE_DIRECTION_OUT;
}

static int doorlock_outputs_direction_output(struct gpio_chip *gc,
					     unsigned int line, int value)
{
	doorlock_outputs_set(gc, line, value);
	return 0;
}

static int doorlock_outputs_request_sim(struct doorlock_board_outputs *o,
					const char *sim_label)
{
	struct gpiod_lookup_table *t;
	unsigned int i;

	t = kzalloc(struct_size(t, table, DOORLOCK_OUTPUTS_LINES + 1),
		    GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->dev_id = o->dev_id;
	for (i = 0; i < DOORLOCK_OUTPUTS_LINES; i++)
		t->table[i] = GPIO_LOOKUP(sim_label,
					  doorlock_outputs_sim_line[i],
					  doorlock_outputs_names[i],
					  GPIO_ACTIVE_HIGH);
	o->lookup = t;
	gpiod_add_lookup_table(t);

	for (i = 0; i < DOORLOCK_OUTPUTS_LINES; i++) {
		o->sim[i] = gpiod_get(&o->pdev->dev, doorlock_outputs_names[i],
				      GPIOD_OUT_LOW);
		if (IS_ERR(o->sim[i])) {
			int ret = PTR_ERR(o->sim[i]);

			o->sim[i] = NULL;
			return ret;
		}
	}
	return 0;
}

void doorlock_board_outputs_remove(struct doorlock_board_outputs *o)
{
	unsigned int i;

	if (!o)
		return;
	if (o->added)
		gpiochip_remove(&o->chip);
	cancel_work_sync(&o->mirror);
	for (i = 0; i < DOORLOCK_OUTPUTS_LINES; i++)
		if (o->sim[i])
			gpiod_put(o->sim[i]);
	if (o->lookup) {
		gpiod_remove_lookup_table(o->lookup);
		kfree(o->lookup);
	}
	if (!IS_ERR_OR_NULL(o->pdev))
		platform_device_unregister(o->pdev);
	kfree(o);
}

struct doorlock_board_outputs *
doorlock_board_outputs_add(unsigned int lock, const char *sim_label,
			   bool can_sleep)
{
	struct doorlock_board_outputs *o;
	int ret;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return ERR_PTR(-ENOMEM);
	o->lock = lock;
	INIT_WORK(&o->mirror, doorlock_outputs_mirror);
	mutex_init(&o->push_lock);
	snprintf(o->label, sizeof(o->label), "%s%u",
		 DOORLOCK_OUTPUTS_LABEL_PREFIX, lock);
	snprintf(o->dev_id, sizeof(o->dev_id), "%s.%u",
		 DOORLOCK_OUTPUTS_LABEL_PREFIX, lock);

	o->pdev = platform_device_register_simple(DOORLOCK_OUTPUTS_LABEL_PREFIX,
						  lock, NULL, 0);
	if (IS_ERR(o->pdev)) {
		ret = PTR_ERR(o->pdev);
		goto err;
	}
	ret = doorlock_outputs_request_sim(o, sim_label);
	if (ret)
		goto err;

	o->chip.label = o->label;
	o->chip.parent = &o->pdev->dev;
	o->chip.owner = THIS_MODULE;
	o->chip.base = -1;
	o->chip.ngpio = DOORLOCK_OUTPUTS_LINES;
	o->chip.can_sleep = can_sleep;
	o->chip.get = doorlock_outputs_get;
	o->chip.set = doorlock_outputs_set;
	o->chip.get_direction = doorlock_outputs_get_direction;
	o->chip.direction_output = doorlock_outputs_direction_output;
	ret = gpiochip_add_data(&o->chip, o);
	if (ret)
		goto err;
	o->added = true;
	return o;

err:
	doorlock_board_outputs_remove(o);
	return ERR_PTR(ret);
}

const char *doorlock_board_outputs_label(struct doorlock_board_outputs *o)
{
	return o->label;
}
