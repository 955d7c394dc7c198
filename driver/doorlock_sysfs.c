// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: the attributes of /sys/class/doorlock/doorlockN.
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>

#include "doorlock.h"

/* The uapi header's spelling, also the agent's; "unknown" past it. */
static const char *doorlock_or_unknown(const char *name)
{
	return name ? name : "unknown";
}

static ssize_t bolt_state_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct doorlock_status st;
	const char *name;

	doorlock_get_status(dev_get_drvdata(dev), &st);
	name = doorlock_bolt_state_name(st.bolt_state);
	return sysfs_emit(buf, "%s\n", doorlock_or_unknown(name));
}

/* What the bolt does tells when someone is home: root's, as the counters. */
static DEVICE_ATTR_ADMIN_RO(bolt_state);

static ssize_t last_error_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct doorlock_status st;
	const char *name;

	doorlock_get_status(dev_get_drvdata(dev), &st);
	name = doorlock_result_name(st.last_error);
	return sysfs_emit(buf, "%s\n", doorlock_or_unknown(name));
}
static DEVICE_ATTR_ADMIN_RO(last_error);

static ssize_t label_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct doorlock *dl = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", dl->label);
}
static DEVICE_ATTR_RO(label);

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct doorlock_status st;

	doorlock_get_status(dev_get_drvdata(dev), &st);
	return sysfs_emit(buf, "%u\n", st.enabled);
}

/* Maintenance switch: a disabled lock refuses commands. */
static ssize_t enabled_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	bool enabled;
	int ret;

	if (kstrtobool(buf, &enabled))
		return -EINVAL;
	ret = doorlock_set_enabled(dev_get_drvdata(dev), enabled);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(enabled);

/* The counters: each a u32 of struct doorlock_status, read in one go. */
struct doorlock_counter_attr {
	struct device_attribute attr;
	size_t offset;
};

static ssize_t counter_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct doorlock_counter_attr *ca =
		container_of(attr, struct doorlock_counter_attr, attr);
	struct doorlock_status st;

	doorlock_get_status(dev_get_drvdata(dev), &st);
	return sysfs_emit(buf, "%u\n", *(u32 *)((char *)&st + ca->offset));
}

#define DOORLOCK_COUNTER_ATTR(_name, _offset)				\
	static struct doorlock_counter_attr dev_attr_##_name = {	\
		.attr = __ATTR(_name, 0400, counter_show, NULL),	\
		.offset = _offset,					\
	}

#define STATUS_FIELD(f) offsetof(struct doorlock_status, f)

DOORLOCK_COUNTER_ATTR(lock_count, STATUS_FIELD(lock_count));
DOORLOCK_COUNTER_ATTR(unlock_count, STATUS_FIELD(unlock_count));
DOORLOCK_COUNTER_ATTR(failure_count, STATUS_FIELD(failure_count));
DOORLOCK_COUNTER_ATTR(manual_count, STATUS_FIELD(manual_count));
DOORLOCK_COUNTER_ATTR(last_travel_ms, STATUS_FIELD(last_travel_ms));

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
DOORLOCK_TUNABLE_ATTR(storm_edges, DOORLOCK_TUNABLE_STORM_EDGES);

static struct attribute *doorlock_attrs[] = {
	&dev_attr_bolt_state.attr,
	&dev_attr_last_error.attr,
	&dev_attr_label.attr,
	&dev_attr_enabled.attr,
	&dev_attr_lock_count.attr.attr,
	&dev_attr_unlock_count.attr.attr,
	&dev_attr_failure_count.attr.attr,
	&dev_attr_manual_count.attr.attr,
	&dev_attr_last_travel_ms.attr.attr,
	&dev_attr_start_timeout_ms.attr.attr,
	&dev_attr_travel_timeout_ms.attr.attr,
	&dev_attr_debounce_ms.attr.attr,
	&dev_attr_storm_edges.attr.attr,
	NULL
};

static const struct attribute_group doorlock_group = {
	.attrs = doorlock_attrs,
};

const struct attribute_group *doorlock_groups[] = {
	&doorlock_group,
	NULL
};
