// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: the timing tunables. Firmware properties set them at probe and
 * sysfs changes them later; both go through the same range checks, so a
 * value the driver would refuse from sysfs is refused from Device Tree too.
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/property.h>
#include <linux/stddef.h>

#include "doorlock.h"

struct doorlock_tunable {
	const char *property;
	size_t offset;
	u32 def;
	u32 min;
	u32 max;
};

static const struct doorlock_tunable doorlock_tunables[] = {
	[DOORLOCK_TUNABLE_START_TIMEOUT] = {
		.property = "start-timeout-ms",
		.offset = offsetof(struct doorlock, start_timeout_ms),
		.def = 500, .min = 10, .max = 10000,
	},
	[DOORLOCK_TUNABLE_TRAVEL_TIMEOUT] = {
		.property = "travel-timeout-ms",
		.offset = offsetof(struct doorlock, travel_timeout_ms),
		.def = 3000, .min = 50, .max = 60000,
	},
	[DOORLOCK_TUNABLE_DEBOUNCE] = {
		.property = "debounce-ms",
		.offset = offsetof(struct doorlock, debounce_ms),
		/* Below 5 ms a contact's bounce reads as movement. */
		.def = 20, .min = 5, .max = 1000,
	},
	/*
	 * Not a property of the hardware, so sysfs only: a line noisier
	 * than this is switched off for a while (doorlock_irq.c).
	 */
	[DOORLOCK_TUNABLE_STORM_EDGES] = {
		.offset = offsetof(struct doorlock, storm_edges),
		.def = 200, .min = 20, .max = 10000,
	},
};

static_assert(ARRAY_SIZE(doorlock_tunables) == DOORLOCK_TUNABLE_COUNT);

static u32 *doorlock_tunable_ptr(struct doorlock *dl,
				 enum doorlock_tunable_id id)
{
	return (u32 *)((char *)dl + doorlock_tunables[id].offset);
}

static bool doorlock_tunable_valid(enum doorlock_tunable_id id, u32 val)
{
	return val >= doorlock_tunables[id].min &&
	       val <= doorlock_tunables[id].max;
}

/*
 * The bolt leaves its start end-stop on the way to the other one: a start
 * timeout past the travel timeout would report a plain timeout as a jam.
 */
static bool doorlock_timeouts_ordered(u32 start_ms, u32 travel_ms)
{
	return start_ms < travel_ms;
}

int doorlock_read_tunables(struct doorlock *dl, struct device *fwdev)
{
	const struct doorlock_tunable *t;
	u32 val;
	int ret;
	int id;

	for (id = 0; id < DOORLOCK_TUNABLE_COUNT; id++) {
		t = &doorlock_tunables[id];
		val = t->def;
		if (!t->property) {
			*doorlock_tunable_ptr(dl, id) = val;
			continue;
		}
		ret = device_property_read_u32(fwdev, t->property, &val);
		if (ret && ret != -EINVAL)
			return dev_err_probe(fwdev, ret,
					     "%s: not a u32\n", t->property);
		if (!doorlock_tunable_valid(id, val))
			return dev_err_probe(fwdev, -EINVAL,
					     "%s: %u is outside %u..%u\n",
					     t->property, val, t->min, t->max);
		*doorlock_tunable_ptr(dl, id) = val;
	}
	if (!doorlock_timeouts_ordered(dl->start_timeout_ms,
				       dl->travel_timeout_ms))
		return dev_err_probe(fwdev, -EINVAL,
				     "start-timeout-ms: %u is not below travel-timeout-ms (%u)\n",
				     dl->start_timeout_ms,
				     dl->travel_timeout_ms);
	return 0;
}

int doorlock_get_tunable(struct doorlock *dl, enum doorlock_tunable_id id,
			 u32 *val)
{
	if (id >= DOORLOCK_TUNABLE_COUNT)
		return -EINVAL;
	mutex_lock(&dl->lock);
	*val = *doorlock_tunable_ptr(dl, id);
	mutex_unlock(&dl->lock);
	return 0;
}

int doorlock_set_tunable(struct doorlock *dl, enum doorlock_tunable_id id,
			 u32 val)
{
	int ret = 0;

	if (id >= DOORLOCK_TUNABLE_COUNT || !doorlock_tunable_valid(id, val))
		return -EINVAL;
	/* The IRQ threads read debounce_ms and storm_edges without it. */
	mutex_lock(&dl->lock);
	if ((id == DOORLOCK_TUNABLE_START_TIMEOUT &&
	     !doorlock_timeouts_ordered(val, dl->travel_timeout_ms)) ||
	    (id == DOORLOCK_TUNABLE_TRAVEL_TIMEOUT &&
	     !doorlock_timeouts_ordered(dl->start_timeout_ms, val)))
		ret = -EINVAL;
	else
		WRITE_ONCE(*doorlock_tunable_ptr(dl, id), val);
	mutex_unlock(&dl->lock);
	return ret;
}
