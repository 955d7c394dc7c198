/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each libgpiod version's door sensor (door_sensor_gpiod1.c,
 * door_sensor_gpiod2.c) gives door_sensor.c, besides door_sensor.h's
 * open, close and fd.
 */
#ifndef _DOORLOCKD_DOOR_SENSOR_GPIOD_H
#define _DOORLOCKD_DOOR_SENSOR_GPIOD_H

#include <stdbool.h>

struct door_sensor;

/* Reads the edges pending on the line's fd, and drops them. */
int door_sensor_drain(struct door_sensor *d);
/* The line's level now; @active: at its active level (after active_low). */
int door_sensor_level(struct door_sensor *d, bool *active);

#endif /* _DOORLOCKD_DOOR_SENSOR_GPIOD_H */
