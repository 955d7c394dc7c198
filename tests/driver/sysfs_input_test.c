// SPDX-License-Identifier: GPL-2.0
/*
 * Everything sysfs and the firmware properties accept is validated: a bad
 * value is refused with EINVAL and changes nothing; a good one sticks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "kmsg.h"
#include "ktrace.h"
#include "simlock.h"

static struct ktrace_ev trace[KTRACE_MAX_EVENTS];

static const char * const tunables[] = {
	"start_timeout_ms", "travel_timeout_ms", "debounce_ms", "storm_edges",
};

/* Values no tunable accepts. */
static const char * const garbage[] = {
	"\n", "abc", "-1", "12abc", "1 2", " 5", "0x20", "4294967296",
	"99999999999999999999", "1000000", "\x01\xff",
};

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

TEST_F(one_lock, defaults_come_from_the_spec)
{
	char buf[32];

	ASSERT_EQ(0, doorlock_attr_read(self->id, "start_timeout_ms", buf,
					sizeof(buf)));
	EXPECT_STREQ("500", buf);
	ASSERT_EQ(0, doorlock_attr_read(self->id, "travel_timeout_ms", buf,
					sizeof(buf)));
	EXPECT_STREQ("3000", buf);
	ASSERT_EQ(0, doorlock_attr_read(self->id, "debounce_ms", buf,
					sizeof(buf)));
	EXPECT_STREQ("20", buf);
	ASSERT_EQ(0, doorlock_attr_read(self->id, "storm_edges", buf,
					sizeof(buf)));
	EXPECT_STREQ("200", buf);
}

TEST_F(one_lock, garbage_is_refused_and_changes_nothing)
{
	char before[32], after[32];
	size_t t, g;

	for (t = 0; t < ARRAY_SIZE(tunables); t++) {
		ASSERT_EQ(0, doorlock_attr_read(self->id, tunables[t], before,
						sizeof(before)));
		for (g = 0; g < ARRAY_SIZE(garbage); g++) {
			EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id,
							       tunables[t],
							       garbage[g]))
				TH_LOG("%s accepted \"%s\"", tunables[t],
				       garbage[g]);
			ASSERT_EQ(0, doorlock_attr_read(self->id, tunables[t],
							after, sizeof(after)));
			EXPECT_STREQ(before, after);
		}
	}
}

TEST_F(one_lock, out_of_range_is_refused)
{
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "start_timeout_ms",
					       "9"));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "start_timeout_ms",
					       "10001"));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "travel_timeout_ms",
					       "49"));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "travel_timeout_ms",
					       "60001"));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "debounce_ms",
					       "1001"));
	/* Below this, a contact's bounce reads as the bolt moving. */
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "debounce_ms", "4"));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "debounce_ms", "0"));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "storm_edges", "19"));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "storm_edges",
					       "10001"));
}

/* The start timeout is part of the travel: it must end first. */
TEST_F(one_lock, the_start_timeout_stays_below_the_travel_timeout)
{
	char buf[32];

	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms", "2000"));
	ASSERT_EQ(0, doorlock_attr_write(self->id, "start_timeout_ms", "500"));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "start_timeout_ms",
					       "2000"));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "travel_timeout_ms",
					       "500"));
	ASSERT_EQ(0, doorlock_attr_read(self->id, "start_timeout_ms", buf,
					sizeof(buf)));
	EXPECT_STREQ("500", buf);
	ASSERT_EQ(0, doorlock_attr_read(self->id, "travel_timeout_ms", buf,
					sizeof(buf)));
	EXPECT_STREQ("2000", buf);
}

TEST_F(one_lock, good_values_stick)
{
	static const struct { const char *attr, *val; } good[] = {
		/* In an order that keeps the start below the travel. */
		{ "travel_timeout_ms", "60000" }, { "start_timeout_ms", "10000\n" },
		{ "start_timeout_ms", "10" }, { "travel_timeout_ms", "50" },
		{ "debounce_ms", "5" }, { "debounce_ms", "1000" },
		{ "storm_edges", "20" }, { "storm_edges", "10000" },
	};
	char buf[32], want[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		ASSERT_EQ(0, doorlock_attr_write(self->id, good[i].attr,
						 good[i].val));
		ASSERT_EQ(0, doorlock_attr_read(self->id, good[i].attr, buf,
						sizeof(buf)));
		snprintf(want, sizeof(want), "%.*s",
			 (int)strcspn(good[i].val, "\n"), good[i].val);
		EXPECT_STREQ(want, buf);
	}
}

TEST_F(one_lock, read_only_attributes_refuse_writes)
{
	static const char * const ro[] = { "bolt_state", "label" };
	char before[64], after[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		ASSERT_EQ(0, doorlock_attr_read(self->id, ro[i], before,
						sizeof(before)));
		EXPECT_NE(0, doorlock_attr_write(self->id, ro[i], "locked"));
		ASSERT_EQ(0, doorlock_attr_read(self->id, ro[i], after,
						sizeof(after)));
		EXPECT_STREQ(before, after);
	}
}

TEST(properties_in_range_are_used)
{
	char buf[32];
	int id;

	ASSERT_EQ(0, simlock_up(1, "start_timeout_ms=200 travel_timeout_ms=900 debounce_ms=5"));
	id = doorlock_find("lock-0");
	EXPECT_LE(0, id);
	if (id >= 0) {
		EXPECT_EQ(0, doorlock_attr_read(id, "start_timeout_ms", buf,
						sizeof(buf)));
		EXPECT_STREQ("200", buf);
		EXPECT_EQ(0, doorlock_attr_read(id, "travel_timeout_ms", buf,
						sizeof(buf)));
		EXPECT_STREQ("900", buf);
		EXPECT_EQ(0, doorlock_attr_read(id, "debounce_ms", buf,
						sizeof(buf)));
		EXPECT_STREQ("5", buf);
	}
	simlock_down(1);
}

/*
 * Each bad property fails the probe for that property: the kernel log says
 * which and why, and the same board with the property in range binds.
 */
TEST(properties_out_of_range_fail_the_probe)
{
	static const struct {
		const char *param, *why, *good;
	} bad[] = {
		{ "start_timeout_ms=5", "start-timeout-ms: 5 is outside",
		  "start_timeout_ms=10" },
		{ "travel_timeout_ms=100000",
		  "travel-timeout-ms: 100000 is outside",
		  "travel_timeout_ms=60000" },
		{ "debounce_ms=5000", "debounce-ms: 5000 is outside",
		  "debounce_ms=1000" },
		{ "debounce_ms=4", "debounce-ms: 4 is outside",
		  "debounce_ms=5" },
		{ "start_timeout_ms=2000 travel_timeout_ms=2000",
		  "start-timeout-ms: 2000 is not below travel-timeout-ms (2000)",
		  "start_timeout_ms=1999 travel_timeout_ms=2000" },
	};
	char params[64];
	size_t i;
	int n, log;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		/*
		 * By hand rather than simlock_up(): the driver first, so its
		 * events are on before the board makes it probe.
		 */
		simlock_down(1);
		ASSERT_EQ(0, sim_chip_create(0));
		ASSERT_EQ(0, sim_set_input(0, DOORLOCK_SIM_LINE_UNLOCKED, true));
		ASSERT_EQ(0, module_load(doorlock_ko(), ""));
		ASSERT_EQ(0, ktrace_start());
		log = kmsg_open();
		ASSERT_LE(0, log);
		snprintf(params, sizeof(params), "locks=1 %s", bad[i].param);
		ASSERT_EQ(0, module_load(board_ko(), params));
		EXPECT_EQ(-ENOENT, doorlock_find("lock-0"))
			TH_LOG("%s was accepted", bad[i].param);
		EXPECT_TRUE(kmsg_seen(log, bad[i].why))
			TH_LOG("no \"%s\" in the kernel log", bad[i].why);
		close(log);
		/* The failed probe released the lines it had, motor off. */
		n = ktrace_read(trace, KTRACE_MAX_EVENTS);
		EXPECT_LT(0, n);
		EXPECT_EQ(0, ktrace_check_release(trace, n, 0, false, NULL));

		ASSERT_EQ(0, module_unload("doorlock_board"));
		snprintf(params, sizeof(params), "locks=1 %s", bad[i].good);
		ASSERT_EQ(0, module_load(board_ko(), params));
		EXPECT_LE(0, doorlock_wait("lock-0", 5000))
			TH_LOG("%s was refused", bad[i].good);
		simlock_down(1);
	}
}

TEST(fault_input_is_optional)
{
	char buf[32];
	int id;

	ASSERT_EQ(0, simlock_up(1, "fault_line=0"));
	id = doorlock_find("lock-0");
	EXPECT_LE(0, id);
	if (id >= 0) {
		EXPECT_EQ(0, doorlock_attr_read(id, "bolt_state", buf,
						sizeof(buf)));
		EXPECT_STREQ("unlocked", buf);
	}
	simlock_down(1);
}

TEST_HARNESS_MAIN
