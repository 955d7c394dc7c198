// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: the attributes of /sys/class/doorlock/doorlockN.
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>

#include "doorlock.h"

static ssize_t bolt_state_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct doorlock *dl = dev_get_drvdata(dev);
	enum doorlock_bolt_state state;
	int ret;

	ret = doorlock_read_endstops(dl, &state);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%s\n", doorlock_bolt_state_name(state));
}
static DEVICE_ATTR_RO(bolt_state);

static ssize_t label_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct doorlock *dl = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", dl->label);
}
static DEVICE_ATTR_RO(label);

struct doorlock_tunable_attr {
	struct device_attribute attr;
	enum doorlock_tunable_id id;
};

#define to_tunable_attr(a) container_of(a, struct doorlock_tunable_attr, attr)

static ssize_t tunable_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct doorlock *dl = dev_get_drvdata(dev);
	u32 val;
	int ret;

	ret = doorlock_get_tunable(dl, to_tunable_attr(attr)->id, &val);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%u\n", val);
}

/* Any unparsable or out-of-range value is -EINVAL and changes nothing. */
static ssize_t tunable_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct doorlock *dl = dev_get_drvdata(dev);
	u32 val;
	int ret;

	if (kstrtou32(buf, 10, &val))
		return -EINVAL;
	ret = doorlock_set_tunable(dl, to_tunable_attr(attr)->id, val);
	return ret ? ret : count;
}

#define DOORLOCK_TUNABLE_ATTR(_name, _id)				\
	static struct doorlock_tunable_attr dev_attr_##_name = {	\
		.attr = __ATTR(_name, 0644, tunable_show, tunable_store), \
		.id = _id,						\
	}

DOORLOCK_TUNABLE_ATTR(start_timeout_ms, DOORLOCK_TUNABLE_START_TIMEOUT);
DOORLOCK_TUNABLE_ATTR(travel_timeout_ms, DOORLOCK_TUNABLE_TRAVEL_TIMEOUT);
DOORLOCK_TUNABLE_ATTR(debounce_ms, DOORLOCK_TUNABLE_DEBOUNCE);

static struct attribute *doorlock_attrs[] = {
	&dev_attr_bolt_state.attr,
	&dev_attr_label.attr,
	&dev_attr_start_timeout_ms.attr.attr,
	&dev_attr_travel_timeout_ms.attr.attr,
	&dev_attr_debounce_ms.attr.attr,
	NULL
};

static const struct attribute_group doorlock_group = {
	.attrs = doorlock_attrs,
};

const struct attribute_group *doorlock_groups[] = {
	&doorlock_group,
	NULL
};
