// SPDX-License-Identifier: GPL-2.0
/*
 * The module loads and unloads cleanly, over and over, and the lock comes
 * and goes with its platform device.
 */
#include <errno.h>

#include "kselftest_harness.h"

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "simlock.h"

#define CYCLES 50

TEST(module_load_unload_cycles)
{
	char buf[32];
	int i;

	ASSERT_EQ(0, simlock_up(1, NULL));
	for (i = 0; i < CYCLES; i++) {
		ASSERT_LE(0, doorlock_find("lock-0")) TH_LOG("cycle %d", i);
		ASSERT_EQ(0, doorlock_attr_read(doorlock_find("lock-0"),
						"bolt_state", buf,
						sizeof(buf)));
		EXPECT_STREQ("unlocked", buf);
		ASSERT_EQ(0, module_unload("doorlock"));
		ASSERT_EQ(-ENOENT, doorlock_find("lock-0"));
		ASSERT_EQ(0, module_load(doorlock_ko(), ""));
	}
	simlock_down(1);
}

TEST(board_device_comes_and_goes)
{
	int i;

	ASSERT_EQ(0, simlock_up(2, NULL));
	for (i = 0; i < CYCLES; i++) {
		ASSERT_LE(0, doorlock_find("lock-0")) TH_LOG("cycle %d", i);
		ASSERT_LE(0, doorlock_find("lock-1"));
		ASSERT_EQ(0, module_unload("doorlock_board"));
		ASSERT_EQ(-ENOENT, doorlock_find("lock-0"));
		ASSERT_EQ(-ENOENT, doorlock_find("lock-1"));
		ASSERT_EQ(0, module_load(board_ko(), "locks=2"));
	}
	simlock_down(2);
}

TEST(probe_waits_for_its_gpio_chip)
{
	if (sim_chips_fixed())
		SKIP(return, "the Device Tree's gpio-sim banks cannot be removed");
	ASSERT_EQ(0, simlock_up(1, NULL));
	ASSERT_EQ(0, module_unload("doorlock"));
	ASSERT_EQ(0, module_unload("doorlock_board"));
	ASSERT_EQ(0, sim_chip_destroy(0));

	/* Without its chip the lock defers; the chip's arrival binds it. */
	ASSERT_EQ(0, module_load(board_ko(), "locks=1"));
	ASSERT_EQ(0, module_load(doorlock_ko(), ""));
	EXPECT_EQ(-ENOENT, doorlock_find("lock-0"));
	ASSERT_EQ(0, sim_chip_create(0));
	ASSERT_EQ(0, sim_set_input(0, DOORLOCK_SIM_LINE_UNLOCKED, true));
	EXPECT_LE(0, doorlock_wait("lock-0", 5000));
	simlock_down(1);
}

TEST_HARNESS_MAIN
