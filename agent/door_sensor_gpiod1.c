// SPDX-License-Identifier: GPL-2.0
/*
 * The door contact through libgpiod 1.6, as Debian 12 and Raspberry Pi OS
 * bookworm ship it; see door_sensor.h.
 */
#include <errno.h>
#include <stdlib.h>

#include <gpiod.h>

#include "door_sensor.h"
#include "door_sensor_gpiod.h"

struct door_sensor {
	struct gpiod_chip *chip;
	struct gpiod_line *line;
};

static const int bias_flags[] = {
	[CONFIG_BIAS_AS_IS] = 0,
	[CONFIG_BIAS_DISABLED] = GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE,
	[CONFIG_BIAS_PULL_UP] = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP,
	[CONFIG_BIAS_PULL_DOWN] = GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN,
};

int door_sensor_open(const struct config_door_sensor *cfg,
		     struct door_sensor **out)
{
	struct gpiod_line_request_config req = {
		.consumer = "doorlockd-door",
		.request_type = GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES,
	};
	struct door_sensor *d;
	int ret;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->chip = gpiod_chip_open_by_label(cfg->chip);
	if (!d->chip) {
		ret = errno ? -errno : -ENOENT;
		goto err;
	}
	d->line = gpiod_chip_get_line(d->chip, cfg->line);
	if (!d->line) {
		ret = -errno;
		goto err_chip;
	}
	if (cfg->active_low)
		req.flags |= GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW;
	req.flags |= bias_flags[cfg->bias];
	if (gpiod_line_request(d->line, &req, 0)) {
		ret = -errno;
		goto err_chip;
	}
	*out = d;
	return 0;

err_chip:
	gpiod_chip_close(d->chip);
err:
	free(d);
	return ret;
}

void door_sensor_close(struct door_sensor *d)
{
	if (!d)
		return;
	gpiod_line_release(d->line);
	gpiod_chip_close(d->chip);
	free(d);
}

int door_sensor_fd(const struct door_sensor *d)
{
	return gpiod_line_event_get_fd(d->line);
}

int door_sensor_drain(struct door_sensor *d)
{
	struct gpiod_line_event ev;

	return gpiod_line_event_read(d->line, &ev) ? -errno : 0;
}

int door_sensor_level(struct door_sensor *d, bool *active)
{
	int v;

	v = gpiod_line_get_value(d->line);
	if (v < 0)
		return -errno;
	*active = v;
	return 0;
}
