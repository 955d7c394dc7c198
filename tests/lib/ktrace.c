// SPDX-License-Identifier: GPL-2.0
/* The driver's tracepoints, read back from tracefs; see ktrace.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ktrace.h"
#include "simlock.h"

#define TRACEFS		"/sys/kernel/tracing"
#define PREFIX		": doorlock_"
#define GPIO_PREFIX	": gpio_value: "
#define GPIO_DEBUGFS	"/sys/kernel/debug/gpio"

static int mounted(void)
{
	if (path_exists(TRACEFS "/trace"))
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL)) {
		fprintf(stderr, "ktrace: mount %s: %s\n", TRACEFS,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static int start(const char *events)
{
	int ret, fd;

	ret = mounted();
	if (ret)
		return ret;
	ret = sysfs_write(TRACEFS "/tracing_on", "0");
	if (!ret)
		ret = sysfs_write(TRACEFS "/buffer_size_kb", "2048");
	if (ret)
		return ret;
	fd = open(TRACEFS "/trace", O_WRONLY | O_TRUNC);
	if (fd < 0) {
		fprintf(stderr, "ktrace: clear: %s\n", strerror(errno));
		return -errno;
	}
	close(fd);
	ret = sysfs_write(TRACEFS "/events/enable", "0");
	if (!ret)
		ret = sysfs_write(events, "1");
	if (!ret)
		ret = sysfs_write(TRACEFS "/tracing_on", "1");
	return ret;
}

int ktrace_start(void)
{
	return start(TRACEFS "/events/doorlock/enable");
}

int ktrace_start_event(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), TRACEFS "/events/doorlock/%s/enable", name);
	return start(path);
}

int ktrace_start_gpio(void)
{
	return start(TRACEFS "/events/gpio/gpio_value/enable");
}

int ktrace_stop(void)
{
	int ret = sysfs_write(TRACEFS "/tracing_on", "0");

	if (!ret)
		ret = sysfs_write(TRACEFS "/events/enable", "0");
	return ret;
}

static void field(const char *s, const char *key, char *out, size_t len)
{
	const char *p = strstr(s, key);
	size_t n;

	if (!p)
		return;
	p += strlen(key);
	n = strcspn(p, " \n");
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static uint64_t number(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/* "doorlock_motor_off: doorlock0 dir=lock why=arrived on_ns=... at_ns=..." */
static void parse(const char *s, struct ktrace_ev *ev)
{
	char level[8] = "";
	size_t n;

	memset(ev, 0, sizeof(*ev));
	n = strcspn(s, ":");
	if (n >= sizeof(ev->name))
		n = sizeof(ev->name) - 1;
	memcpy(ev->name, s, n);
	s += n;
	s = strstr(s, " doorlock");
	if (!s)
		return;
	ev->id = atoi(s + strlen(" doorlock"));
	field(s, " dir=", ev->dir, sizeof(ev->dir));
	field(s, " why=", ev->why, sizeof(ev->why));
	field(s, " line=", ev->line, sizeof(ev->line));
	field(s, " level=", level, sizeof(level));
	ev->level = atoi(level);
	ev->on_ns = number(s, " on_ns=");
	ev->at_ns = number(s, " at_ns=");
	ev->edge_ns = number(s, " edge_ns=");
	ev->disabled = strstr(s, " disabled") != NULL;
}

int ktrace_read(struct ktrace_ev *ev, int max)
{
	char line[512], *p;
	FILE *f;
	int n = 0;

	f = fopen(TRACEFS "/trace", "r");
	if (!f) {
		fprintf(stderr, "ktrace: %s/trace: %s\n", TRACEFS,
			strerror(errno));
		return -errno;
	}
	while (n < max && fgets(line, sizeof(line), f)) {
		p = strstr(line, PREFIX);
		if (p) {
			parse(p + strlen(PREFIX), &ev[n++]);
			continue;
		}
		/* "gpio_value: 512 set 0" */
		p = strstr(line, GPIO_PREFIX);
		if (!p)
			continue;
		memset(&ev[n], 0, sizeof(ev[n]));
		snprintf(ev[n].name, sizeof(ev[n].name), "gpio_value");
		p += strlen(GPIO_PREFIX);
		ev[n].gpio = strtoul(p, &p, 10);
		ev[n].set = !strncmp(p, " set ", 5);
		ev[n].level = atoi(p + 5);
		n++;
	}
	fclose(f);
	return n;
}

int ktrace_check_release(const struct ktrace_ev *ev, int n, int id,
			 bool runs, const char *why)
{
	const char *last_why = NULL;
	int i, on = 0, off = 0;
	bool running = false;

	for (i = 0; i < n; i++) {
		if (ev[i].id != id)
			continue;
		if (!strcmp(ev[i].name, "motor_on")) {
			running = true;
			on++;
		} else if (!strcmp(ev[i].name, "motor_off")) {
			running = false;
			last_why = ev[i].why;
			off++;
		} else if (!strcmp(ev[i].name, "lines_released")) {
			break;
		}
	}
	if (i == n) {
		fprintf(stderr, "ktrace: doorlock%d: no lines_released\n", id);
		return -EPROTO;
	}
	if (running) {
		fprintf(stderr, "ktrace: doorlock%d: lines released with the motor on (%d on, %d off)\n",
			id, on, off);
		return -EPROTO;
	}
	if (runs && !on) {
		fprintf(stderr, "ktrace: doorlock%d: no motor run recorded\n", id);
		return -EPROTO;
	}
	if (runs && why && strcmp(last_why, why)) {
		fprintf(stderr, "ktrace: doorlock%d: last stop was '%s', not '%s'\n",
			id, last_why, why);
		return -EPROTO;
	}
	for (i++; i < n; i++) {
		if (ev[i].id == id && !strcmp(ev[i].name, "motor_on")) {
			fprintf(stderr, "ktrace: doorlock%d: motor on after its lines were released\n",
				id);
			return -EPROTO;
		}
	}
	return 0;
}

int ktrace_gpio_number(const char *consumer)
{
	char line[256], *p;
	size_t len = strlen(consumer);
	int gpio = -ENOENT;
	FILE *f;

	f = fopen(GPIO_DEBUGFS, "r");
	if (!f) {
		fprintf(stderr, "ktrace: %s: %s\n", GPIO_DEBUGFS,
			strerror(errno));
		return -errno;
	}
	/*
	 * " gpio-512 (name                |doorlock0:lock      ) out lo", or
	 * from a chip's own show (gpio-sim): " gpio-512 (doorlock0:lock) ..."
	 */
	while (fgets(line, sizeof(line), f)) {
		p = strchr(line, '|');
		if (!p)
			p = strchr(line, '(');
		if (!p || strncmp(p + 1, consumer, len) ||
		    (p[1 + len] != ' ' && p[1 + len] != ')'))
			continue;
		p = strstr(line, "gpio-");
		if (p)
			gpio = atoi(p + 5);
		break;
	}
	fclose(f);
	if (gpio < 0)
		fprintf(stderr, "ktrace: no line of consumer %s\n", consumer);
	return gpio;
}

int ktrace_last_set(const struct ktrace_ev *ev, int n, unsigned int gpio)
{
	int i, last = -1;

	for (i = 0; i < n; i++)
		if (!strcmp(ev[i].name, "gpio_value") && ev[i].set &&
		    ev[i].gpio == gpio)
			last = ev[i].level;
	return last;
}
