// SPDX-License-Identifier: GPL-2.0
/*
 * The motor's outputs on a chip that never sleeps, as a Pi's own GPIOs:
 * at the travel timeout the hard timer switches them off itself, in hard
 * IRQ context, and does not wait for the cut-off worker. The board's
 * outputs chip logs which context made each change.
 */
#define LOCK_BOARD_EXTRA	"outputs=atomic"
#include "board_outputs.h"
#include "ktrace.h"
#include "lock_fixture.h"

#define NS_PER_MS		1000000ULL
/* What "at once" means in an emulated VM, as in motor_test. */
#define STOP_BOUND_MS		100

static struct board_output_write writes[BOARD_OUTPUTS_MAX_WRITES];

TEST_F(lock, a_movement_ends_on_its_end_stop)
{
	int n, on, off;

	ASSERT_EQ(0, board_outputs_clear());
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	n = board_outputs_read(writes, BOARD_OUTPUTS_MAX_WRITES);
	ASSERT_EQ(0, board_outputs_run(writes, n, 0, "lock", &on, &off));
	/* The guard stopped it, from the end-stop's IRQ thread. */
	EXPECT_EQ(0, strncmp("irq/", writes[off].ctx, 4))
		TH_LOG("stopped by %s", writes[off].ctx);
	EXPECT_EQ(-1, board_outputs_find(writes, n, 0, 0, "unlock", 1));
}

TEST_F(lock, the_hard_timer_switches_the_outputs_off_itself)
{
	static struct ktrace_ev trace[KTRACE_MAX_EVENTS];
	int i, n, on, off, enable_off;
	const char *why = NULL;
	uint64_t ms;

	plant(_metadata, "slow");
	ASSERT_EQ(0, ktrace_start());
	ASSERT_EQ(0, board_outputs_clear());
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED,
	     DOORLOCK_BOLT_NOT_FULLY_LOCKED);

	n = board_outputs_read(writes, BOARD_OUTPUTS_MAX_WRITES);
	ASSERT_LT(0, n);
	ASSERT_EQ(0, board_outputs_run(writes, n, 0, "lock", &on, &off));
	enable_off = board_outputs_find(writes, n, on, 0, "enable", 0);
	ASSERT_LE(0, enable_off);
	EXPECT_STREQ("hardirq", writes[off].ctx);
	EXPECT_STREQ("hardirq", writes[enable_off].ctx);
	ms = (writes[off].ns - writes[on].ns) / NS_PER_MS;
	/* BOARD_PARAMS' travel_timeout_ms=1000. */
	EXPECT_LE(1000, ms);
	EXPECT_GT(1000 + STOP_BOUND_MS, ms)
		TH_LOG("the lock output was on for %llu ms",
		       (unsigned long long)ms);

	/* The worker then records the stop the timer made. */
	n = ktrace_read(trace, KTRACE_MAX_EVENTS);
	for (i = 0; i < n; i++)
		if (trace[i].id == self->id && !strcmp(trace[i].name,
						       "motor_off"))
			why = trace[i].why;
	ASSERT_NE(NULL, why);
	EXPECT_STREQ("cutoff", why);
}

TEST_HARNESS_MAIN
