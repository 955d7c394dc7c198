// SPDX-License-Identifier: GPL-2.0
/*
 * bolt_state in sysfs follows the end-stop inputs of the simulated lock.
 */
#include <stdbool.h>

#include "kselftest_harness.h"

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "simlock.h"

static void set_endstops(struct __test_metadata *_metadata, unsigned int lock,
			 bool locked, bool unlocked)
{
	ASSERT_EQ(0, sim_set_input(lock, DOORLOCK_SIM_LINE_LOCKED, locked));
	ASSERT_EQ(0, sim_set_input(lock, DOORLOCK_SIM_LINE_UNLOCKED, unlocked));
}

static void expect_state(struct __test_metadata *_metadata, unsigned int id,
			 const char *want)
{
	char buf[64];

	doorlock_attr_wait(id, "bolt_state", want, buf, sizeof(buf), 2000);
	EXPECT_STREQ(want, buf);
}

FIXTURE(one_lock) {
	int id;
};

FIXTURE_SETUP(one_lock)
{
	ASSERT_EQ(0, simlock_up(1, NULL));
	self->id = doorlock_find("lock-0");
	ASSERT_LE(0, self->id);
}

FIXTURE_TEARDOWN(one_lock)
{
	simlock_down(1);
}

TEST_F(one_lock, unlocked_endstop_reads_unlocked)
{
	set_endstops(_metadata, 0, false, true);
	expect_state(_metadata, self->id, "unlocked");
}

TEST_F(one_lock, locked_endstop_reads_locked)
{
	set_endstops(_metadata, 0, true, false);
	expect_state(_metadata, self->id, "locked");
}

TEST_F(one_lock, no_endstop_reads_not_fully_locked)
{
	set_endstops(_metadata, 0, false, false);
	expect_state(_metadata, self->id, "not_fully_locked");
}

TEST_F(one_lock, both_endstops_read_sensor_fault)
{
	set_endstops(_metadata, 0, true, true);
	expect_state(_metadata, self->id, "sensor_fault");
}

TEST_F(one_lock, follows_a_full_travel)
{
	set_endstops(_metadata, 0, false, true);
	expect_state(_metadata, self->id, "unlocked");
	set_endstops(_metadata, 0, false, false);
	expect_state(_metadata, self->id, "not_fully_locked");
	set_endstops(_metadata, 0, true, false);
	expect_state(_metadata, self->id, "locked");
	set_endstops(_metadata, 0, false, false);
	expect_state(_metadata, self->id, "not_fully_locked");
	set_endstops(_metadata, 0, false, true);
	expect_state(_metadata, self->id, "unlocked");
}

TEST_F(one_lock, label_comes_from_the_property)
{
	char buf[64];

	ASSERT_EQ(0, doorlock_attr_read(self->id, "label", buf, sizeof(buf)));
	EXPECT_STREQ("lock-0", buf);
}

TEST_F(one_lock, probe_leaves_the_motor_off)
{
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_UNLOCK));
}

TEST(two_locks_read_their_own_endstops)
{
	int a, b;

	ASSERT_EQ(0, simlock_up(2, NULL));
	a = doorlock_find("lock-0");
	b = doorlock_find("lock-1");
	EXPECT_LE(0, a);
	EXPECT_LE(0, b);
	EXPECT_NE(a, b);
	if (a >= 0 && b >= 0) {
		set_endstops(_metadata, 0, false, true);
		set_endstops(_metadata, 1, true, false);
		expect_state(_metadata, a, "unlocked");
		expect_state(_metadata, b, "locked");
	}
	simlock_down(2);
}

TEST_HARNESS_MAIN
