// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: a motorised deadbolt driven through GPIOs.
 *
 * Binds as the "gpio-doorlock" platform driver, from Device Tree on a
 * Raspberry Pi or from a platform device with software-node properties,
 * and publishes each lock as doorlockN: a class device with its sysfs
 * attributes, the character device /dev/doorlockN, and generic-netlink
 * events.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gpio/consumer.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/property.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "doorlock.h"
#include "doorlock_trace.h"

static DEFINE_IDA(doorlock_ida);
static dev_t doorlock_devt;

/* Changed under the mutex, taken before any lock's own; RCU for a panic. */
DEFINE_MUTEX(doorlock_list_lock);
LIST_HEAD(doorlock_list);
/* One more at each change of the list: a netlink dump sees it change. */
unsigned int doorlock_list_gen = 1;

static struct class doorlock_class = {
	.name = DOORLOCK_CLASS_NAME,
};

static struct gpio_desc *doorlock_get_gpio(struct device *dev,
					   const char *con_id,
					   enum gpiod_flags flags)
{
	struct gpio_desc *desc;

	desc = devm_gpiod_get(dev, con_id, flags);
	if (IS_ERR(desc))
		dev_err_probe(dev, PTR_ERR(desc), "cannot get %s-gpios\n",
			      con_id);
	return desc;
}

static int doorlock_get_gpios(struct doorlock *dl, struct device *dev)
{
	/* Motor outputs are requested inactive: probing never moves it. */
	dl->lock_gpio = doorlock_get_gpio(dev, "lock", GPIOD_OUT_LOW);
	if (IS_ERR(dl->lock_gpio))
		return PTR_ERR(dl->lock_gpio);
	dl->unlock_gpio = doorlock_get_gpio(dev, "unlock", GPIOD_OUT_LOW);
	if (IS_ERR(dl->unlock_gpio))
		return PTR_ERR(dl->unlock_gpio);
	dl->locked_gpio = doorlock_get_gpio(dev, "locked", GPIOD_IN);
	if (IS_ERR(dl->locked_gpio))
		return PTR_ERR(dl->locked_gpio);
	dl->unlocked_gpio = doorlock_get_gpio(dev, "unlocked", GPIOD_IN);
	if (IS_ERR(dl->unlocked_gpio))
		return PTR_ERR(dl->unlocked_gpio);

	dl->fault_gpio = devm_gpiod_get_optional(dev, "fault", GPIOD_IN);
	if (IS_ERR(dl->fault_gpio))
		return dev_err_probe(dev, PTR_ERR(dl->fault_gpio),
				     "cannot get fault-gpios\n");
	return 0;
}

/* gpioinfo shows "doorlock0:lock", not several lines called "lock". */
static void doorlock_name_gpio(struct doorlock *dl, struct gpio_desc *desc,
			       const char *what)
{
	char *name;

	if (!desc)
		return;
	name = devm_kasprintf(&dl->pdev->dev, GFP_KERNEL, "%s:%s",
			      dev_name(&dl->dev), what);
	if (name)
		gpiod_set_consumer_name(desc, name);
}

static void doorlock_name_gpios(struct doorlock *dl)
{
	doorlock_name_gpio(dl, dl->lock_gpio, "lock");
	doorlock_name_gpio(dl, dl->unlock_gpio, "unlock");
	doorlock_name_gpio(dl, dl->locked_gpio, "locked");
	doorlock_name_gpio(dl, dl->unlocked_gpio, "unlocked");
	doorlock_name_gpio(dl, dl->fault_gpio, "fault");
	doorlock_name_gpio(dl, dl->enable_gpio, "enable");
}

/*
 * Registered right after the GPIOs are requested, so it runs right before
 * devm releases them, on unbind and on a failed probe alike: the tests
 * check in the trace that the motor went off before this point.
 */
static void doorlock_lines_released(void *data)
{
	struct doorlock *dl = data;

	trace_doorlock_lines_released(dl->id);
}

static void doorlock_dev_release(struct device *dev)
{
	struct doorlock *dl = to_doorlock(dev);

	ida_free(&doorlock_ida, dl->id);
	kfree(dl->label);
	kfree(dl);
}

static void doorlock_wakeup_off(void *data)
{
	device_init_wakeup(data, false);
}

static void doorlock_put(void *data)
{
	struct doorlock *dl = data;

	put_device(&dl->dev);
}

/* First thing on unbind: the motor stops and userspace is told. */
static void doorlock_unpublish(void *data)
{
	struct doorlock *dl = data;

	doorlock_fsm_stop(dl, DOORLOCK_STOP_UNBIND);
	mutex_lock(&doorlock_list_lock);
	list_del_rcu(&dl->node);
	doorlock_list_gen++;
	mutex_unlock(&doorlock_list_lock);
	/* No panic notifier touches the lines once devm releases them. */
	synchronize_rcu();
	cdev_device_del(&dl->cdev, &dl->dev);
	dl->pdev = NULL;
}

static struct doorlock *doorlock_alloc(struct device *dev)
{
	struct doorlock *dl;
	int ret;

	dl = kzalloc(sizeof(*dl), GFP_KERNEL);
	if (!dl)
		return ERR_PTR(-ENOMEM);
	dl->id = ida_alloc_max(&doorlock_ida, DOORLOCK_MAX_DEVICES - 1,
			       GFP_KERNEL);
	if (dl->id < 0) {
		ret = dl->id;
		kfree(dl);
		return ERR_PTR(ret);
	}

	/* From here on the release callback frees everything. */
	device_initialize(&dl->dev);
	dl->dev.class = &doorlock_class;
	dl->dev.parent = dev;
	dl->dev.devt = MKDEV(MAJOR(doorlock_devt), dl->id);
	dl->dev.groups = doorlock_groups;
	dl->dev.release = doorlock_dev_release;
	dev_set_drvdata(&dl->dev, dl);
	mutex_init(&dl->lock);
	spin_lock_init(&dl->readers_lock);
	INIT_LIST_HEAD(&dl->readers);
	INIT_LIST_HEAD(&dl->node);

	ret = dev_set_name(&dl->dev, DOORLOCK_DEV_PREFIX "%d", dl->id);
	if (ret) {
		put_device(&dl->dev);
		return ERR_PTR(ret);
	}
	return dl;
}

static int doorlock_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct doorlock *dl;
	const char *label;
	int ret;

	dl = doorlock_alloc(dev);
	if (IS_ERR(dl))
		return PTR_ERR(dl);
	ret = devm_add_action_or_reset(dev, doorlock_put, dl);
	if (ret)
		return ret;
	dl->pdev = pdev;

	ret = doorlock_get_gpios(dl, dev);
	if (ret)
		return ret;
	ret = doorlock_motor_init(dl, dev);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, doorlock_lines_released, dl);
	if (ret)
		return ret;
	doorlock_name_gpios(dl);

	if (device_property_read_string(dev, "label", &label))
		label = dev_name(dev);
	dl->label = kstrdup(label, GFP_KERNEL);
	if (!dl->label)
		return -ENOMEM;

	ret = doorlock_read_tunables(dl, dev);
	if (ret)
		return ret;

	/* A thumb-turn may wake the system where the board says it can. */
	ret = devm_add_action_or_reset(dev, doorlock_wakeup_off, dev);
	if (ret)
		return ret;
	device_init_wakeup(dev, device_property_read_bool(dev, "wakeup-source"));

	ret = doorlock_fsm_init(dl);
	if (ret)
		return dev_err_probe(dev, ret, "cannot read the end-stops\n");

	/* Registered before the IRQs, so it runs after they are freed. */
	ret = devm_add_action_or_reset(dev, doorlock_fsm_cancel_work, dl);
	if (ret)
		return ret;
	ret = doorlock_irq_request(dl);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, doorlock_fsm_retire, dl);
	if (ret)
		return ret;

	cdev_init(&dl->cdev, &doorlock_fops);
	dl->cdev.owner = THIS_MODULE;
	ret = cdev_device_add(&dl->cdev, &dl->dev);
	if (ret)
		return dev_err_probe(dev, ret, "cannot add %s\n",
				     dev_name(&dl->dev));

	mutex_lock(&doorlock_list_lock);
	list_add_tail_rcu(&dl->node, &doorlock_list);
	doorlock_list_gen++;
	mutex_unlock(&doorlock_list_lock);
	ret = devm_add_action_or_reset(dev, doorlock_unpublish, dl);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, dl);
	doorlock_fsm_start(dl);
	return 0;
}

static void doorlock_shutdown(struct platform_device *pdev)
{
	struct doorlock *dl = platform_get_drvdata(pdev);

	if (dl)
		doorlock_fsm_stop(dl, DOORLOCK_STOP_UNBIND);
}

static int doorlock_suspend(struct device *dev)
{
	doorlock_fsm_suspend(dev_get_drvdata(dev));
	return 0;
}

static int doorlock_resume(struct device *dev)
{
	doorlock_fsm_resume(dev_get_drvdata(dev));
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(doorlock_pm_ops, doorlock_suspend,
				doorlock_resume);

static const struct of_device_id doorlock_of_match[] = {
	{ .compatible = DOORLOCK_DRIVER_NAME },
	{ }
};
MODULE_DEVICE_TABLE(of, doorlock_of_match);

static const struct platform_device_id doorlock_platform_ids[] = {
	{ .name = DOORLOCK_DRIVER_NAME },
	{ }
};
MODULE_DEVICE_TABLE(platform, doorlock_platform_ids);

static struct platform_driver doorlock_driver = {
	.probe = doorlock_probe,
	.shutdown = doorlock_shutdown,
	.id_table = doorlock_platform_ids,
	.driver = {
		.name = DOORLOCK_DRIVER_NAME,
		.of_match_table = doorlock_of_match,
		.pm = pm_sleep_ptr(&doorlock_pm_ops),
	},
};

static int __init doorlock_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&doorlock_devt, 0, DOORLOCK_MAX_DEVICES,
				  DOORLOCK_CLASS_NAME);
	if (ret)
		return ret;
	ret = class_register(&doorlock_class);
	if (ret)
		goto err_region;
	ret = doorlock_netlink_init();
	if (ret)
		goto err_class;
	ret = doorlock_motor_register();
	if (ret)
		goto err_netlink;
	ret = platform_driver_register(&doorlock_driver);
	if (ret)
		goto err_motor;
	return 0;

err_motor:
	doorlock_motor_unregister();
err_netlink:
	doorlock_netlink_exit();
err_class:
	class_unregister(&doorlock_class);
err_region:
	unregister_chrdev_region(doorlock_devt, DOORLOCK_MAX_DEVICES);
	return ret;
}
module_init(doorlock_init);

static void __exit doorlock_exit(void)
{
	platform_driver_unregister(&doorlock_driver);
	doorlock_motor_unregister();
	doorlock_netlink_exit();
	class_unregister(&doorlock_class);
	unregister_chrdev_region(doorlock_devt, DOORLOCK_MAX_DEVICES);
}
module_exit(doorlock_exit);

MODULE_DESCRIPTION("Motorised deadbolt on GPIOs: state machine, events, sysfs");
MODULE_LICENSE("GPL");
