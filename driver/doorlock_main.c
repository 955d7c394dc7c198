// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: a motorised deadbolt driven through GPIOs.
 *
 * Binds as the "gpio-doorlock" platform driver, from Device Tree on a
 * Raspberry Pi or from a platform device with software-node properties,
 * and publishes each lock as /sys/class/doorlock/doorlockN.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/gpio/consumer.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/property.h>

#include "doorlock.h"

static DEFINE_IDA(doorlock_ida);

static struct class doorlock_class = {
	.name = DOORLOCK_CLASS_NAME,
};

static const char * const doorlock_bolt_state_names[] =
	DOORLOCK_BOLT_STATE_NAMES;

static_assert(ARRAY_SIZE(doorlock_bolt_state_names) ==
	      DOORLOCK_BOLT_STATE_COUNT);

const char *doorlock_bolt_state_name(enum doorlock_bolt_state state)
{
	if (state >= DOORLOCK_BOLT_STATE_COUNT)
		return "unknown";
	return doorlock_bolt_state_names[state];
}

int doorlock_read_endstops(struct doorlock *dl,
			   enum doorlock_bolt_state *state)
{
	int locked, unlocked;

	locked = gpiod_get_value_cansleep(dl->locked_gpio);
	if (locked < 0)
		return locked;
	unlocked = gpiod_get_value_cansleep(dl->unlocked_gpio);
	if (unlocked < 0)
		return unlocked;

	if (locked && unlocked)
		*state = DOORLOCK_BOLT_SENSOR_FAULT;
	else if (locked)
		*state = DOORLOCK_BOLT_LOCKED;
	else if (unlocked)
		*state = DOORLOCK_BOLT_UNLOCKED;
	else
		*state = DOORLOCK_BOLT_NOT_FULLY_LOCKED;
	return 0;
}

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

static int doorlock_get_gpios(struct doorlock *dl)
{
	struct device *dev = dl->dev;

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

static void doorlock_release_id(void *data)
{
	struct doorlock *dl = data;

	ida_free(&doorlock_ida, dl->id);
}

static void doorlock_unregister_classdev(void *data)
{
	struct doorlock *dl = data;

	device_unregister(dl->classdev);
}

static int doorlock_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct doorlock *dl;
	int ret;

	dl = devm_kzalloc(dev, sizeof(*dl), GFP_KERNEL);
	if (!dl)
		return -ENOMEM;
	dl->dev = dev;
	mutex_init(&dl->lock);

	ret = doorlock_get_gpios(dl);
	if (ret)
		return ret;

	if (device_property_read_string(dev, "label", &dl->label))
		dl->label = dev_name(dev);

	ret = doorlock_read_tunables(dl);
	if (ret)
		return ret;

	dl->id = ida_alloc(&doorlock_ida, GFP_KERNEL);
	if (dl->id < 0)
		return dl->id;
	ret = devm_add_action_or_reset(dev, doorlock_release_id, dl);
	if (ret)
		return ret;

	dl->classdev = device_create_with_groups(&doorlock_class, dev, 0, dl,
						 doorlock_groups,
						 DOORLOCK_DEV_PREFIX "%d",
						 dl->id);
	if (IS_ERR(dl->classdev))
		return dev_err_probe(dev, PTR_ERR(dl->classdev),
				     "cannot create class device\n");
	ret = devm_add_action_or_reset(dev, doorlock_unregister_classdev, dl);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, dl);
	return 0;
}

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
	.id_table = doorlock_platform_ids,
	.driver = {
		.name = DOORLOCK_DRIVER_NAME,
		.of_match_table = doorlock_of_match,
	},
};

static int __init doorlock_init(void)
{
	int ret;

	ret = class_register(&doorlock_class);
	if (ret)
		return ret;
	ret = platform_driver_register(&doorlock_driver);
	if (ret)
		class_unregister(&doorlock_class);
	return ret;
}
module_init(doorlock_init);

static void __exit doorlock_exit(void)
{
	platform_driver_unregister(&doorlock_driver);
	class_unregister(&doorlock_class);
}
module_exit(doorlock_exit);

MODULE_DESCRIPTION("Motorised deadbolt on GPIOs: end-stops, sysfs bolt state");
MODULE_LICENSE("GPL");
