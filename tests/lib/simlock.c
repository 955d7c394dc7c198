// SPDX-License-Identifier: GPL-2.0
/*
 * Test helpers: gpio-sim chips through configfs, or those a Device Tree
 * declares; module loading through finit_module(2), sysfs access. See
 * simlock.h.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/doorlock.h>
#include <linux/gpio.h>
#include "doorlock_board.h"
#include "simlock.h"

#define CONFIGFS_SIM	"/sys/kernel/config/gpio-sim"
#define OF_TEMPLATE	"/sys/firmware/devicetree/base" DOORLOCK_BOARD_OF_TEMPLATE
#define DOORLOCK_CLASS	"/sys/class/" DOORLOCK_CLASS_NAME

static int fail(int err, const char *what, const char *path)
{
	fprintf(stderr, "# %s %s: %s\n", what, path, strerror(-err));
	return err;
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail(-errno, "open", path);
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return fail(n, "read", path);
	}
	close(fd);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/* Returns the write's own error, quietly: tests assert on it. */
int sysfs_write(const char *path, const char *val)
{
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(val))
		ret = -EIO;
	close(fd);
	return ret;
}

bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int write_attr(const char *path, const char *val)
{
	int ret = sysfs_write(path, val);

	return ret ? fail(ret, "write", path) : 0;
}

static void chip_dir(char *path, size_t len, unsigned int lock,
		     const char *sub)
{
	snprintf(path, len, CONFIGFS_SIM "/" DOORLOCK_SIM_LABEL_PREFIX "%u%s",
		 lock, sub);
}

bool sim_chips_fixed(void)
{
	static int of = -1;

	if (of < 0)
		of = path_exists(OF_TEMPLATE "/compatible");
	return of;
}

/* The Pi overlay's property for each of the board's lines. */
static const char *const of_line_props[] = {
	[DOORLOCK_SIM_LINE_LOCK] = "lock-gpios",
	[DOORLOCK_SIM_LINE_UNLOCK] = "unlock-gpios",
	[DOORLOCK_SIM_LINE_LOCKED] = "locked-gpios",
	[DOORLOCK_SIM_LINE_UNLOCKED] = "unlocked-gpios",
	[DOORLOCK_SIM_LINE_FAULT] = "fault-gpios",
	[DOORLOCK_SIM_LINE_ENABLE] = "enable-gpios",
};

/* The board module's active_low parameter: its inputs' polarity. */
static bool board_active_low(void)
{
	static const char path[] =
		"/sys/module/doorlock_board/parameters/active_low";
	char val[8];

	return path_exists(path) && !sysfs_read(path, val, sizeof(val)) &&
	       val[0] == 'Y';
}

struct sim_line {
	unsigned int offset;
	bool active_low;
};

/*
 * Where the board's @line is on its chip, and its polarity: the board's
 * own numbering, active high, or what the overlay's node says.
 */
static int sim_line(unsigned int line, struct sim_line *out)
{
	uint32_t cells[3];
	char path[256];
	ssize_t n;
	int fd;

	if (!sim_chips_fixed()) {
		out->offset = line;
		out->active_low = board_active_low() &&
				  (line == DOORLOCK_SIM_LINE_LOCKED ||
				   line == DOORLOCK_SIM_LINE_UNLOCKED ||
				   line == DOORLOCK_SIM_LINE_FAULT);
		return 0;
	}
	if (line >= sizeof(of_line_props) / sizeof(of_line_props[0]) ||
	    !of_line_props[line])
		return fail(-ENOENT, "no overlay property for line", "");
	snprintf(path, sizeof(path), OF_TEMPLATE "/%s", of_line_props[line]);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail(-errno, "open", path);
	n = read(fd, cells, sizeof(cells));
	close(fd);
	if (n != sizeof(cells))
		return fail(-EINVAL, "not one <&chip line flags>:", path);
	out->offset = be32toh(cells[1]);
	out->active_low = be32toh(cells[2]) & 1;
	return 0;
}

bool sim_line_exists(unsigned int lock, unsigned int line)
{
	char path[256];

	(void)lock;
	if (!sim_chips_fixed())
		return line < DOORLOCK_SIM_NUM_LINES;
	if (line >= sizeof(of_line_props) / sizeof(of_line_props[0]) ||
	    !of_line_props[line])
		return false;
	snprintf(path, sizeof(path), OF_TEMPLATE "/%s", of_line_props[line]);
	return path_exists(path);
}

const char *sim_input_pull(unsigned int line, bool asserted)
{
	struct sim_line l = { 0 };

	sim_line(line, &l);
	return asserted != l.active_low ? "pull-up" : "pull-down";
}

/* A Device Tree's bank: the gpiochipN whose label is the board's. */
static int of_chip_name(unsigned int lock, char *name, size_t len)
{
	struct gpiochip_info info;
	char want[64], path[280];
	struct dirent *de;
	int ret = -ENOENT, fd;
	DIR *dir;

	snprintf(want, sizeof(want), DOORLOCK_SIM_LABEL_PREFIX "%u", lock);
	dir = opendir("/dev");
	if (!dir)
		return fail(-errno, "opendir", "/dev");
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "gpiochip", 8))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &info) &&
		    !strcmp(info.label, want)) {
			snprintf(name, len, "%s", info.name);
			ret = 0;
		}
		close(fd);
		if (!ret)
			break;
	}
	closedir(dir);
	return ret ? fail(ret, "no gpio chip labelled", want) : 0;
}

/* A bank the Device Tree declares stays; its inputs start released. */
static int of_chip_reset(unsigned int lock)
{
	static const unsigned int inputs[] = {
		DOORLOCK_SIM_LINE_LOCKED, DOORLOCK_SIM_LINE_UNLOCKED,
		DOORLOCK_SIM_LINE_FAULT,
	};
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		ret = sim_set_input(lock, inputs[i], false);
		if (ret)
			return ret;
	}
	return 0;
}

int sim_chip_create(unsigned int lock)
{
	char path[256], label[64], num[16];
	int ret;

	if (sim_chips_fixed())
		return of_chip_reset(lock);
	chip_dir(path, sizeof(path), lock, "");
	if (mkdir(path, 0755))
		return fail(-errno, "mkdir", path);
	chip_dir(path, sizeof(path), lock, "/bank0");
	if (mkdir(path, 0755)) {
		ret = fail(-errno, "mkdir", path);
		goto err_chip;
	}
	snprintf(label, sizeof(label), DOORLOCK_SIM_LABEL_PREFIX "%u", lock);
	chip_dir(path, sizeof(path), lock, "/bank0/label");
	ret = write_attr(path, label);
	if (ret)
		goto err_bank;
	snprintf(num, sizeof(num), "%u", DOORLOCK_SIM_NUM_LINES);
	chip_dir(path, sizeof(path), lock, "/bank0/num_lines");
	ret = write_attr(path, num);
	if (ret)
		goto err_bank;
	chip_dir(path, sizeof(path), lock, "/live");
	ret = write_attr(path, "1");
	if (ret)
		goto err_bank;
	return 0;

err_bank:
	chip_dir(path, sizeof(path), lock, "/bank0");
	rmdir(path);
err_chip:
	chip_dir(path, sizeof(path), lock, "");
	rmdir(path);
	return ret;
}

int sim_chip_destroy(unsigned int lock)
{
	char path[256];

	if (sim_chips_fixed())
		return 0;
	chip_dir(path, sizeof(path), lock, "");
	if (!path_exists(path))
		return 0;
	chip_dir(path, sizeof(path), lock, "/live");
	sysfs_write(path, "0");
	chip_dir(path, sizeof(path), lock, "/bank0");
	if (rmdir(path) && errno != ENOENT)
		return fail(-errno, "rmdir", path);
	chip_dir(path, sizeof(path), lock, "");
	if (rmdir(path))
		return fail(-errno, "rmdir", path);
	return 0;
}

/*
 * /sys/devices/platform/<dev_name>/<chip_name>/sim_gpio<line>/<attr>, or
 * for a Device Tree's bank /sys/bus/gpio/devices/<chip_name>/...
 */
int sim_line_path(char *path, size_t len, unsigned int lock,
		  unsigned int line, const char *attr)
{
	char cfg[256], dev[64], chip[64];
	struct sim_line l;
	int ret;

	ret = sim_line(line, &l);
	if (ret)
		return ret;
	if (sim_chips_fixed()) {
		ret = of_chip_name(lock, chip, sizeof(chip));
		if (ret)
			return ret;
		snprintf(path, len, "/sys/bus/gpio/devices/%s/sim_gpio%u/%s",
			 chip, l.offset, attr);
		return 0;
	}
	chip_dir(cfg, sizeof(cfg), lock, "/dev_name");
	ret = sysfs_read(cfg, dev, sizeof(dev));
	if (ret)
		return ret;
	chip_dir(cfg, sizeof(cfg), lock, "/bank0/chip_name");
	ret = sysfs_read(cfg, chip, sizeof(chip));
	if (ret)
		return ret;
	snprintf(path, len, "/sys/devices/platform/%s/%s/sim_gpio%u/%s", dev,
		 chip, l.offset, attr);
	return 0;
}

int sim_set_input(unsigned int lock, unsigned int line, bool high)
{
	char path[256];
	int ret;

	ret = sim_line_path(path, sizeof(path), lock, line, "pull");
	if (ret)
		return ret;
	return write_attr(path, sim_input_pull(line, high));
}

int sim_get_output(unsigned int lock, unsigned int line)
{
	char path[256], val[8];
	struct sim_line l;
	int ret;

	ret = sim_line(line, &l);
	if (ret)
		return ret;
	ret = sim_line_path(path, sizeof(path), lock, line, "value");
	if (ret)
		return ret;
	ret = sysfs_read(path, val, sizeof(val));
	if (ret)
		return ret;
	return (val[0] == '1') != l.active_low;
}

int module_load(const char *path, const char *params)
{
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(-errno, "open", path);
	if (syscall(SYS_finit_module, fd, params, 0))
		ret = fail(-errno, "finit_module", path);
	close(fd);
	return ret;
}

int module_unload(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		return fail(-errno, "delete_module", name);
	return 0;
}

static const char *env_or(const char *name, const char *def)
{
	const char *val = getenv(name);

	return val && *val ? val : def;
}

/* tests/vm/run names the kernel the VM runs; the modules are built for it. */
static const char *kernel_name(void)
{
	return env_or(SIMLOCK_ENV_KERNEL, "6.12");
}

const char *doorlock_ko(void)
{
	static char path[128];

	snprintf(path, sizeof(path), "build/mod/test-%s/doorlock.ko",
		 kernel_name());
	return env_or(SIMLOCK_ENV_DOORLOCK_KO, path);
}

const char *board_ko(void)
{
	static char path[128];

	snprintf(path, sizeof(path),
		 "build/mod/board-%s/tests/board/doorlock_board.ko",
		 kernel_name());
	return env_or(SIMLOCK_ENV_BOARD_KO, path);
}

static bool module_loaded(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return path_exists(path);
}

void simlock_down(unsigned int locks)
{
	unsigned int n;

	if (module_loaded("doorlock"))
		module_unload("doorlock");
	if (module_loaded("doorlock_board"))
		module_unload("doorlock_board");
	for (n = 0; n < locks; n++)
		sim_chip_destroy(n);
}

int simlock_up(unsigned int locks, const char *board_params)
{
	char params[256];
	unsigned int n;
	int ret;

	/* A test that crashed may have left its locks behind. */
	simlock_down(DOORLOCK_BOARD_MAX_LOCKS);

	for (n = 0; n < locks; n++) {
		ret = sim_chip_create(n);
		if (ret)
			goto err;
	}
	snprintf(params, sizeof(params), "locks=%u %s", locks,
		 board_params ? board_params : "");
	ret = module_load(board_ko(), params);
	if (ret)
		goto err;
	/* Once the board is in, as its polarity is the board's parameter. */
	for (n = 0; n < locks; n++) {
		ret = sim_set_input(n, DOORLOCK_SIM_LINE_UNLOCKED, true);
		if (!ret)
			ret = sim_set_input(n, DOORLOCK_SIM_LINE_LOCKED, false);
		if (!ret)
			ret = sim_set_input(n, DOORLOCK_SIM_LINE_FAULT, false);
		if (ret)
			goto err;
	}
	ret = module_load(doorlock_ko(), "");
	if (ret)
		goto err;
	return 0;

err:
	simlock_down(locks);
	return ret;
}

int doorlock_attr_path(char *path, size_t len, unsigned int id,
		       const char *attr)
{
	int n;

	n = snprintf(path, len, DOORLOCK_CLASS "/" DOORLOCK_DEV_PREFIX "%u%s%s",
		     id, attr ? "/" : "", attr ? attr : "");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int doorlock_attr_read(unsigned int id, const char *attr, char *buf,
		       size_t len)
{
	char path[256];
	int ret;

	ret = doorlock_attr_path(path, sizeof(path), id, attr);
	return ret ? ret : sysfs_read(path, buf, len);
}

int doorlock_attr_write(unsigned int id, const char *attr, const char *val)
{
	char path[256];
	int ret;

	ret = doorlock_attr_path(path, sizeof(path), id, attr);
	return ret ? ret : sysfs_write(path, val);
}

int doorlock_find(const char *label)
{
	char path[512], val[64];
	struct dirent *de;
	unsigned int id;
	int ret = -ENOENT;
	DIR *dir;

	dir = opendir(DOORLOCK_CLASS);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (sscanf(de->d_name, DOORLOCK_DEV_PREFIX "%u", &id) != 1)
			continue;
		snprintf(path, sizeof(path), DOORLOCK_CLASS "/%s/label",
			 de->d_name);
		if (!sysfs_read(path, val, sizeof(val)) && !strcmp(val, label)) {
			ret = id;
			break;
		}
	}
	closedir(dir);
	return ret;
}

int doorlock_wait(const char *label, int timeout_ms)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	int ret;

	for (;;) {
		ret = doorlock_find(label);
		if (ret != -ENOENT || timeout_ms <= 0)
			return ret;
		nanosleep(&tick, NULL);
		timeout_ms -= 10;
	}
}

int doorlock_attr_wait(unsigned int id, const char *attr, const char *want,
		       char *buf, size_t len, int timeout_ms)
{
	const struct timespec tick = { .tv_nsec = 5 * 1000 * 1000 };
	int ret;

	for (;;) {
		ret = doorlock_attr_read(id, attr, buf, len);
		if (ret)
			return ret;
		if (!strcmp(buf, want))
			return 0;
		if (timeout_ms <= 0)
			return -ETIMEDOUT;
		nanosleep(&tick, NULL);
		timeout_ms -= 5;
	}
}
