// SPDX-License-Identifier: GPL-2.0
/*
 * The door contact through libgpiod 2, as Debian 13 and Raspberry Pi OS
 * trixie ship it; see door_sensor.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gpiod.h>

#include "door_sensor.h"
#include "door_sensor_gpiod.h"

/* Edges are drained only to learn that the line changed. */
#define DOOR_SENSOR_EVENT_BATCH	16

struct door_sensor {
	struct gpiod_line_request *req;
	struct gpiod_edge_event_buffer *events;
	unsigned int offset;
};

static const enum gpiod_line_bias bias_modes[] = {
	[CONFIG_BIAS_AS_IS] = GPIOD_LINE_BIAS_AS_IS,
	[CONFIG_BIAS_DISABLED] = GPIOD_LINE_BIAS_DISABLED,
	[CONFIG_BIAS_PULL_UP] = GPIOD_LINE_BIAS_PULL_UP,
	[CONFIG_BIAS_PULL_DOWN] = GPIOD_LINE_BIAS_PULL_DOWN,
};

static bool chip_has_label(struct gpiod_chip *chip, const char *label)
{
	struct gpiod_chip_info *info;
	bool same;

	info = gpiod_chip_get_info(chip);
	if (!info)
		return false;
	same = !strcmp(gpiod_chip_info_get_label(info), label);
	gpiod_chip_info_free(info);
	return same;
}

/* libgpiod 2 dropped gpiod_chip_open_by_label(): every chip is asked. */
static int chip_open_by_label(const char *label, struct gpiod_chip **out)
{
	struct gpiod_chip *chip;
	struct dirent *de;
	char path[280];
	DIR *dir;
	int ret = -ENOENT;

	dir = opendir("/dev");
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "gpiochip", 8))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		if (!gpiod_is_gpiochip_device(path))
			continue;
		chip = gpiod_chip_open(path);
		if (!chip) {
			/* It may be the one: say why it could not be asked. */
			ret = -errno;
			continue;
		}
		if (chip_has_label(chip, label)) {
			*out = chip;
			ret = 0;
			break;
		}
		gpiod_chip_close(chip);
	}
	closedir(dir);
	return ret;
}

static int request_line(struct gpiod_chip *chip,
			const struct config_door_sensor *cfg,
			struct gpiod_line_request **out)
{
	struct gpiod_line_settings *settings;
	struct gpiod_request_config *req_cfg = NULL;
	struct gpiod_line_config *line_cfg = NULL;
	unsigned int offset = cfg->line;
	int ret = -ENOMEM;

	settings = gpiod_line_settings_new();
	if (!settings)
		goto out;
	line_cfg = gpiod_line_config_new();
	req_cfg = gpiod_request_config_new();
	if (!line_cfg || !req_cfg)
		goto out;
	if (gpiod_line_settings_set_direction(settings,
					      GPIOD_LINE_DIRECTION_INPUT) ||
	    gpiod_line_settings_set_edge_detection(settings,
						   GPIOD_LINE_EDGE_BOTH) ||
	    gpiod_line_settings_set_bias(settings, bias_modes[cfg->bias])) {
		ret = -errno;
		goto out;
	}
	gpiod_line_settings_set_active_low(settings, cfg->active_low);
	if (gpiod_line_config_add_line_settings(line_cfg, &offset, 1,
						settings)) {
		ret = -errno;
		goto out;
	}
	gpiod_request_config_set_consumer(req_cfg, "doorlockd-door");
	*out = gpiod_chip_request_lines(chip, req_cfg, line_cfg);
	ret = *out ? 0 : -errno;
out:
	gpiod_request_config_free(req_cfg);
	gpiod_line_config_free(line_cfg);
	gpiod_line_settings_free(settings);
	return ret;
}

int door_sensor_open(const struct config_door_sensor *cfg,
		     struct door_sensor **out)
{
	struct gpiod_chip *chip;
	struct door_sensor *d;
	int ret;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->offset = cfg->line;
	d->events = gpiod_edge_event_buffer_new(DOOR_SENSOR_EVENT_BATCH);
	if (!d->events) {
		ret = -ENOMEM;
		goto err;
	}
	ret = chip_open_by_label(cfg->chip, &chip);
	if (ret)
		goto err_events;
	/* The request outlives the chip's handle, which only made it. */
	ret = request_line(chip, cfg, &d->req);
	gpiod_chip_close(chip);
	if (ret)
		goto err_events;
	*out = d;
	return 0;

err_events:
	gpiod_edge_event_buffer_free(d->events);
err:
	free(d);
	return ret;
}

void door_sensor_close(struct door_sensor *d)
{
	if (!d)
		return;
	gpiod_line_request_release(d->req);
	gpiod_edge_event_buffer_free(d->events);
	free(d);
}

int door_sensor_fd(const struct door_sensor *d)
{
	return gpiod_line_request_get_fd(d->req);
}

int door_sensor_drain(struct door_sensor *d)
{
	return gpiod_line_request_read_edge_events(d->req, d->events,
						   DOOR_SENSOR_EVENT_BATCH) < 0 ?
	       -errno : 0;
}

int door_sensor_level(struct door_sensor *d, bool *active)
{
	enum gpiod_line_value v;

	v = gpiod_line_request_get_value(d->req, d->offset);
	if (v == GPIOD_LINE_VALUE_ERROR)
		return -errno;
	*active = v == GPIOD_LINE_VALUE_ACTIVE;
	return 0;
}
