// SPDX-License-Identifier: GPL-2.0
/*
 * The door contact's reading, the same on either libgpiod; see
 * door_sensor.h.
 */
#include <poll.h>

#include "door_sensor.h"
#include "door_sensor_gpiod.h"

int door_sensor_read(struct door_sensor *d, bool *open)
{
	struct pollfd p = { .fd = door_sensor_fd(d), .events = POLLIN };
	int ret;

	/* The edges only say something changed; the level says what. */
	while (poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
		ret = door_sensor_drain(d);
		if (ret)
			return ret;
	}
	return door_sensor_level(d, open);
}
