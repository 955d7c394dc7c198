/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A door contact read with libgpiod 1.6, the version Debian 12 and
 * Raspberry Pi OS bookworm ship. The chip is found by its label, never by
 * its gpiochipN number (that changed on the Pi 5). Only this file knows
 * libgpiod: a port to libgpiod 2 is this file alone. The line's active
 * level (after active_low) means "open".
 */
#ifndef _DOORLOCKD_DOOR_SENSOR_H
#define _DOORLOCKD_DOOR_SENSOR_H

#include <stdbool.h>

#include "config.h"

struct door_sensor;

/* Requests the line for both-edge events; -ENOENT: no such chip. */
int door_sensor_open(const struct config_door_sensor *cfg,
		     struct door_sensor **out);
void door_sensor_close(struct door_sensor *d);
/* Polls readable when the line changed. */
int door_sensor_fd(const struct door_sensor *d);
/* Consumes pending edges and reads the line's level now. */
int door_sensor_read(struct door_sensor *d, bool *open);

#endif /* _DOORLOCKD_DOOR_SENSOR_H */
