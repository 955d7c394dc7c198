// SPDX-License-Identifier: GPL-2.0
/*
 * On a Device Tree machine (the arm64 test VM, tests/vm/run --kernel
 * arm64): the lock is a node with the Pi overlay's properties, the driver
 * binds it through its of_match_table, and the overlay's active-low
 * end-stops and fault are honoured. The other tests run there too, through
 * simlock's view of the overlay's lines; this one looks at the lines as
 * they are, with no such help.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "lockdev.h"
#include "simlock.h"

#define OF_BASE "/sys/firmware/devicetree/base"

/* The physical level of an input line, whatever its polarity. */
static void set_level(struct __test_metadata *_metadata, unsigned int line,
		      bool high)
{
	char path[256];

	ASSERT_EQ(0, sim_line_path(path, sizeof(path), 0, line, "pull"));
	ASSERT_EQ(0, sysfs_write(path, high ? "pull-up" : "pull-down"));
}

FIXTURE(dt_lock) {
	int id;
	char dev[256];
};

FIXTURE_SETUP(dt_lock)
{
	char path[256];

	/* On the arm64 rig a missing tree is a failure, never a skip. */
	if (!sim_chips_fixed()) {
		const char *k = getenv(SIMLOCK_ENV_KERNEL);

		ASSERT_FALSE(k && !strcmp(k, "arm64"))
			TH_LOG("no " DOORLOCK_BOARD_OF_TEMPLATE " in this arm64 Device Tree");
		SKIP(return, "not a Device Tree machine");
	}
	ASSERT_EQ(0, simlock_up(1, NULL));
	self->id = doorlock_find("lock-0");
	ASSERT_LE(0, self->id);
	ASSERT_EQ(0, doorlock_attr_path(path, sizeof(path), self->id,
					"device"));
	ASSERT_NE(NULL, realpath(path, self->dev));
}

FIXTURE_TEARDOWN(dt_lock)
{
	simlock_down(1);
}

TEST_F(dt_lock, binds_through_of_match)
{
	char path[512], buf[256], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/modalias", self->dev);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "of:", 3)) TH_LOG("modalias %s", buf);
	EXPECT_NE(NULL, strstr(buf, "C" DOORLOCK_DRIVER_NAME))
		TH_LOG("modalias %s", buf);

	snprintf(path, sizeof(path), "%s/of_node/compatible", self->dev);
	ASSERT_EQ(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ(DOORLOCK_DRIVER_NAME, buf);

	snprintf(path, sizeof(path), "%s/driver", self->dev);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	EXPECT_STREQ(DOORLOCK_DRIVER_NAME, basename(link));
}

TEST_F(dt_lock, node_keeps_the_overlays_gpio_flags)
{
	static const char *const props[] = {
		"lock-gpios", "unlock-gpios", "locked-gpios", "unlocked-gpios",
		"fault-gpios",
	};
	/* As the Pi overlay wires them: motor outputs high, switches low. */
	static const unsigned char active_low[] = { 0, 0, 1, 1, 1 };
	unsigned char cells[12];
	char path[512];
	unsigned int i;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(props); i++) {
		snprintf(path, sizeof(path), "%s/of_node/%s", self->dev,
			 props[i]);
		f = fopen(path, "rb");
		ASSERT_NE(NULL, f) TH_LOG("%s: %s", path, strerror(errno));
		EXPECT_EQ(1, fread(cells, sizeof(cells), 1, f)) TH_LOG("%s", path);
		fclose(f);
		EXPECT_EQ(active_low[i], cells[11] & 1) TH_LOG("%s", props[i]);
	}
}

TEST_F(dt_lock, end_stops_are_active_low)
{
	char buf[64];

	/* A switch closed to ground is a low line: that end-stop is hit. */
	set_level(_metadata, DOORLOCK_SIM_LINE_LOCKED, false);
	set_level(_metadata, DOORLOCK_SIM_LINE_UNLOCKED, true);
	EXPECT_EQ(0, doorlock_attr_wait(self->id, "bolt_state", "locked", buf,
					sizeof(buf), 2000)) TH_LOG("%s", buf);
	set_level(_metadata, DOORLOCK_SIM_LINE_LOCKED, true);
	set_level(_metadata, DOORLOCK_SIM_LINE_UNLOCKED, false);
	EXPECT_EQ(0, doorlock_attr_wait(self->id, "bolt_state", "unlocked",
					buf, sizeof(buf), 2000)) TH_LOG("%s", buf);
	/* Both high: neither switch closed. */
	set_level(_metadata, DOORLOCK_SIM_LINE_UNLOCKED, true);
	EXPECT_EQ(0, doorlock_attr_wait(self->id, "bolt_state",
					"not_fully_locked", buf, sizeof(buf),
					2000)) TH_LOG("%s", buf);
}

TEST_F(dt_lock, fault_is_active_low)
{
	int ret = 0;
	struct doorlock_event ev;
	int fd, ms;

	fd = lockdev_open(self->id, O_RDWR);
	ASSERT_LE(0, fd);
	/*
	 * nFAULT pulled low by the motor driver: commands are refused. An
	 * unlock of the unlocked bolt asks until the driver has seen it,
	 * and never moves the motor.
	 */
	ASSERT_EQ(0, sim_set_input(0, DOORLOCK_SIM_LINE_UNLOCKED, true));
	set_level(_metadata, DOORLOCK_SIM_LINE_FAULT, false);
	for (ms = 0; ms < 2000 && ret != -EIO; ms += 10) {
		ret = lockdev_action(fd, DOORLOCK_ACTION_UNLOCK, ms + 1, NULL);
		if (!ret) {
			ASSERT_EQ(0, lockdev_wait_done(fd, ms + 1, &ev, 2000));
		} else {
			ASSERT_EQ(-EIO, ret);
		}
		usleep(10 * 1000);
	}
	EXPECT_EQ(-EIO, ret);
	/* Released high, the fault is gone. */
	set_level(_metadata, DOORLOCK_SIM_LINE_FAULT, true);
	for (ms = 0; ms < 2000 && ret; ms += 10) {
		ret = lockdev_action(fd, DOORLOCK_ACTION_UNLOCK, 10000 + ms,
				     NULL);
		if (ret) {
			ASSERT_EQ(-EIO, ret);
		}
		usleep(10 * 1000);
	}
	EXPECT_EQ(0, ret);
	close(fd);
}

TEST_HARNESS_MAIN
