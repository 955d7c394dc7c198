// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only board file: what a machine without Device Tree would do to
 * describe its locks. For each lock it registers a GPIO lookup table on the
 * gpio-sim chip labelled DOORLOCK_SIM_LABEL_PREFIX "<n>" and a
 * "gpio-doorlock" platform device with software-node properties, so the
 * driver binds through exactly the calls it uses on a Pi. On a Device Tree
 * machine it attaches copies of the Pi overlay's node instead
 * (doorlock_board_of.c), and the driver binds them as it does on a Pi.
 * Without Device Tree the motor outputs can go through a chip of the
 * board's that never sleeps or that fails writes (doorlock_board_outputs.c).
 *
 * Writing a lock's number to the write-only parameters suspend, resume or
 * shutdown runs that callback of the driver bound to it, which a test VM
 * cannot otherwise reach: its 9p root does not survive a system suspend.
 * Writing to panic panics.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/gpio/machine.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/panic.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "doorlock_board_of.h"
#include "doorlock_board_outputs.h"

static unsigned int locks = 1;
module_param(locks, uint, 0444);
MODULE_PARM_DESC(locks, "number of locks (1..8)");

static bool fault_line = true;
module_param(fault_line, bool, 0444);
MODULE_PARM_DESC(fault_line, "wire the optional fault input");

/* As the Pi overlay wires them: switches and nFAULT pull to ground. */
static bool active_low;
module_param(active_low, bool, 0444);
MODULE_PARM_DESC(active_low, "end-stop and fault inputs are active low");

/*
 * "sim": the motor outputs are gpio-sim's own lines. "sleeping" and
 * "atomic": they go through the board's outputs chip of that kind.
 */
static char *outputs = "sim";
module_param(outputs, charp, 0444);
MODULE_PARM_DESC(outputs, "motor outputs: sim, sleeping or atomic");

/* -1 leaves the property out, so the driver's default applies. */
static int start_timeout_ms = -1;
module_param(start_timeout_ms, int, 0444);
static int travel_timeout_ms = -1;
module_param(travel_timeout_ms, int, 0444);
static int debounce_ms = -1;
module_param(debounce_ms, int, 0444);

struct doorlock_board_lock {
	char chip_label[32];
	char dev_id[32];
	char label[16];
	struct gpiod_lookup_table *lookup;
	struct platform_device *pdev;
	struct doorlock_board_of *of;
	struct doorlock_board_outputs *outputs;
};

static struct doorlock_board_lock board[DOORLOCK_BOARD_MAX_LOCKS];

static struct gpiod_lookup_table *
doorlock_board_lookup(struct doorlock_board_lock *bl)
{
	enum gpio_lookup_flags in = active_low ? GPIO_ACTIVE_LOW :
						 GPIO_ACTIVE_HIGH;
	const char *out_chip = bl->chip_label;
	unsigned int out_lock = DOORLOCK_SIM_LINE_LOCK;
	unsigned int out_unlock = DOORLOCK_SIM_LINE_UNLOCK;
	unsigned int out_enable = DOORLOCK_SIM_LINE_ENABLE;
	struct gpiod_lookup_table *t;
	int n = 0;

	if (bl->outputs) {
		out_chip = doorlock_board_outputs_label(bl->outputs);
		out_lock = DOORLOCK_OUTPUTS_LINE_LOCK;
		out_unlock = DOORLOCK_OUTPUTS_LINE_UNLOCK;
		out_enable = DOORLOCK_OUTPUTS_LINE_ENABLE;
	}

	t = kzalloc(struct_size(t, table, 7), GFP_KERNEL);
	if (!t)
		return NULL;
	t->dev_id = bl->dev_id;
	t->table[n++] = GPIO_LOOKUP(out_chip, out_lock, "lock",
				    GPIO_ACTIVE_HIGH);
	t->table[n++] = GPIO_LOOKUP(out_chip, out_unlock, "unlock",
				    GPIO_ACTIVE_HIGH);
	t->table[n++] = GPIO_LOOKUP(bl->chip_label, DOORLOCK_SIM_LINE_LOCKED,
				    "locked", in);
	t->table[n++] = GPIO_LOOKUP(bl->chip_label, DOORLOCK_SIM_LINE_UNLOCKED,
				    "unlocked", in);
	if (fault_line)
		t->table[n++] = GPIO_LOOKUP(bl->chip_label,
					    DOORLOCK_SIM_LINE_FAULT, "fault", in);
	t->table[n++] = GPIO_LOOKUP(out_chip, out_enable, "enable",
				    GPIO_ACTIVE_HIGH);
	return t;
}

enum doorlock_board_pm_call {
	DOORLOCK_BOARD_SUSPEND,
	DOORLOCK_BOARD_RESUME,
	DOORLOCK_BOARD_SHUTDOWN,
};

static int doorlock_board_call(struct device *dev,
			       enum doorlock_board_pm_call call)
{
	struct platform_driver *pdrv;

	if (!dev->driver)
		return -ENODEV;
	switch (call) {
	case DOORLOCK_BOARD_SUSPEND:
		return pm_generic_suspend(dev);
	case DOORLOCK_BOARD_RESUME:
		return pm_generic_resume(dev);
	default:
		pdrv = to_platform_driver(dev->driver);
		if (!pdrv->shutdown)
			return -EOPNOTSUPP;
		pdrv->shutdown(to_platform_device(dev));
		return 0;
	}
}

static int doorlock_board_set_pm(const char *val,
				 const struct kernel_param *kp)
{
	enum doorlock_board_pm_call call = (uintptr_t)kp->arg;
	struct device *dev;
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 10, &n);
	if (ret)
		return ret;
	if (n >= DOORLOCK_BOARD_MAX_LOCKS || !board[n].pdev)
		return -EINVAL;
	dev = &board[n].pdev->dev;
	device_lock(dev);
	ret = doorlock_board_call(dev, call);
	device_unlock(dev);
	return ret;
}

static const struct kernel_param_ops doorlock_board_pm_ops = {
	.set = doorlock_board_set_pm,
};

module_param_cb(suspend, &doorlock_board_pm_ops,
		(void *)DOORLOCK_BOARD_SUSPEND, 0200);
module_param_cb(resume, &doorlock_board_pm_ops,
		(void *)DOORLOCK_BOARD_RESUME, 0200);
module_param_cb(shutdown, &doorlock_board_pm_ops,
		(void *)DOORLOCK_BOARD_SHUTDOWN, 0200);

/*
 * Writing anything to panic panics the kernel: a test sees on the console
 * what the driver's panic notifier does to outputs that do not sleep.
 */
static int doorlock_board_set_panic(const char *val,
				    const struct kernel_param *kp)
{
	panic("doorlock_board: a test asked for a panic\n");
}

static const struct kernel_param_ops doorlock_board_panic_ops = {
	.set = doorlock_board_set_panic,
};

module_param_cb(panic, &doorlock_board_panic_ops, NULL, 0200);

static void doorlock_board_remove_lock(struct doorlock_board_lock *bl)
{
	if (bl->of) {
		platform_device_put(bl->pdev);
		doorlock_board_of_remove(bl->of);
	} else if (bl->pdev) {
		platform_device_unregister(bl->pdev);
	}
	if (bl->lookup) {
		gpiod_remove_lookup_table(bl->lookup);
		kfree(bl->lookup);
	}
	doorlock_board_outputs_remove(bl->outputs);
	memset(bl, 0, sizeof(*bl));
}

static int doorlock_board_add_of_lock(struct doorlock_board_lock *bl,
				      unsigned int n)
{
	const struct doorlock_board_props props = {
		.label = bl->label,
		.start_timeout_ms = start_timeout_ms,
		.travel_timeout_ms = travel_timeout_ms,
		.debounce_ms = debounce_ms,
		.fault_line = fault_line,
	};
	struct doorlock_board_of *of;

	of = doorlock_board_of_add(n, &props);
	if (IS_ERR(of))
		return PTR_ERR(of);
	bl->of = of;
	/* The OF core made the device; without it there is nothing to call. */
	bl->pdev = doorlock_board_of_pdev(of);
	return bl->pdev ? 0 : -ENODEV;
}

static int doorlock_board_add_lock(struct doorlock_board_lock *bl,
				   unsigned int n)
{
	struct property_entry props[5] = { };
	struct platform_device_info info = {
		.name = DOORLOCK_DRIVER_NAME,
		.id = n,
		.properties = props,
	};
	int p = 0;

	snprintf(bl->chip_label, sizeof(bl->chip_label), "%s%u",
		 DOORLOCK_SIM_LABEL_PREFIX, n);
	snprintf(bl->dev_id, sizeof(bl->dev_id), "%s.%u",
		 DOORLOCK_DRIVER_NAME, n);
	snprintf(bl->label, sizeof(bl->label), "lock-%u", n);

	if (doorlock_board_of_machine())
		return doorlock_board_add_of_lock(bl, n);

	if (strcmp(outputs, "sim")) {
		bl->outputs = doorlock_board_outputs_add(n, bl->chip_label,
							 !strcmp(outputs,
								 "sleeping"));
		if (IS_ERR(bl->outputs)) {
			int ret = PTR_ERR(bl->outputs);

			bl->outputs = NULL;
			return ret;
		}
	}

	props[p++] = PROPERTY_ENTRY_STRING("label", bl->label);
	if (start_timeout_ms >= 0)
		props[p++] = PROPERTY_ENTRY_U32("start-timeout-ms",
						start_timeout_ms);
	if (travel_timeout_ms >= 0)
		props[p++] = PROPERTY_ENTRY_U32("travel-timeout-ms",
						travel_timeout_ms);
	if (debounce_ms >= 0)
		props[p++] = PROPERTY_ENTRY_U32("debounce-ms", debounce_ms);

	bl->lookup = doorlock_board_lookup(bl);
	if (!bl->lookup)
		return -ENOMEM;
	gpiod_add_lookup_table(bl->lookup);

	bl->pdev = platform_device_register_full(&info);
	if (IS_ERR(bl->pdev)) {
		int ret = PTR_ERR(bl->pdev);

		bl->pdev = NULL;
		return ret;
	}
	return 0;
}

static void doorlock_board_remove_all(void)
{
	int n;

	for (n = ARRAY_SIZE(board) - 1; n >= 0; n--)
		doorlock_board_remove_lock(&board[n]);
}

static int __init doorlock_board_init(void)
{
	unsigned int n;
	int ret;

	if (strcmp(outputs, "sim") && strcmp(outputs, "sleeping") &&
	    strcmp(outputs, "atomic")) {
		pr_err("doorlock_board: outputs=%s is none of sim, sleeping, atomic\n",
		       outputs);
		return -EINVAL;
	}
	if (strcmp(outputs, "sim") && doorlock_board_of_machine()) {
		pr_err("doorlock_board: outputs=%s needs lookup tables, not a Device Tree\n",
		       outputs);
		return -EINVAL;
	}
	if (!locks || locks > DOORLOCK_BOARD_MAX_LOCKS) {
		pr_err("doorlock_board: locks=%u is outside 1..%u\n", locks,
		       DOORLOCK_BOARD_MAX_LOCKS);
		return -EINVAL;
	}
	for (n = 0; n < locks; n++) {
		ret = doorlock_board_add_lock(&board[n], n);
		if (ret) {
			doorlock_board_remove_all();
			return ret;
		}
	}
	return 0;
}
module_init(doorlock_board_init);

static void __exit doorlock_board_exit(void)
{
	doorlock_board_remove_all();
}
module_exit(doorlock_board_exit);

MODULE_DESCRIPTION("doorlock test board: locks on gpio-sim chips");
MODULE_LICENSE("GPL");
