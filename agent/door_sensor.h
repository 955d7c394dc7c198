/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A door contact on a GPIO line. The chip is found by its label, never by
 * its gpiochipN number (that changed on the Pi 5). The line's active level
 * (after active_low) means "open". door_sensor.c is the same on every
 * libgpiod; behind it, one file for each, the only ones that know libgpiod:
 * door_sensor_gpiod1.c for libgpiod 1.6 (Debian 12, Raspberry Pi OS
 * bookworm) and door_sensor_gpiod2.c for libgpiod 2 (Debian 13, Raspberry
 * Pi OS trixie); the Makefile builds the one that pkg-config finds.
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
