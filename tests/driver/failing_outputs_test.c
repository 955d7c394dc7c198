// SPDX-License-Identifier: GPL-2.0
/*
 * The motor's outputs on a chip that sleeps and whose writes can fail, as
 * an I2C expander's: the board's outputs chip drops the writes to its
 * stuck lines, which keep their level and read it back. A stop that does
 * not take is retried, fails the action it ended and refuses every
 * command until it takes, and is then recorded with its first reason; a movement whose output does not
 * take is refused at once. Neither ever drives both directions, and
 * neither is reported as a success.
 */
#define LOCK_BOARD_EXTRA	"outputs=sleeping"
#include "board_outputs.h"
#include "ktrace.h"
#include "lock_fixture.h"

static struct board_output_write writes[BOARD_OUTPUTS_MAX_WRITES];
static struct ktrace_ev trace[KTRACE_MAX_EVENTS];

/* The reason of lock @id's first motor_off in the trace, or NULL. */
static const char *first_stop(int id)
{
	int i, n = ktrace_read(trace, KTRACE_MAX_EVENTS);

	for (i = 0; i < n; i++)
		if (trace[i].id == id && !strcmp(trace[i].name, "motor_off"))
			return trace[i].why;
	return NULL;
}

/* At the travel timeout the cut-off worker writes what sleeps. */
TEST_F(lock, the_cutoff_worker_switches_sleeping_outputs_off)
{
	int n, on, off;

	plant(_metadata, "slow");
	ASSERT_EQ(0, board_outputs_clear());
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED,
	     DOORLOCK_BOLT_NOT_FULLY_LOCKED);
	n = board_outputs_read(writes, BOARD_OUTPUTS_MAX_WRITES);
	ASSERT_EQ(0, board_outputs_run(writes, n, 0, "lock", &on, &off));
	EXPECT_STREQ("doorlock-cutoff", writes[off].ctx);
}

TEST_F(lock, a_stop_that_does_not_take_is_retried_and_blocks_movement)
{
	unsigned int retries = 0;
	struct doorlock_event ev;
	const char *why;
	int n, i, ms;

	ASSERT_EQ(0, ktrace_start());
	ASSERT_EQ(0, board_outputs_clear());
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	plant_wait(_metadata, "unlocked=0");
	/*
	 * The lock output sticks on, as the bolt nears its end-stop: the
	 * bolt locks, but the motor is still driven, which is no success.
	 */
	ASSERT_EQ(0, board_outputs_stick(1 << DOORLOCK_OUTPUTS_LINE_LOCK));
	done(_metadata, self->fd, 1, DOORLOCK_E_MECHANISM_ERROR,
	     DOORLOCK_BOLT_LOCKED);

	/* Still on, and not recorded as off, through many retries. */
	usleep(300 * 1000);
	EXPECT_EQ(1, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	EXPECT_EQ(NULL, first_stop(self->id));
	n = board_outputs_read(writes, BOARD_OUTPUTS_MAX_WRITES);
	for (i = 0; i < n; i++)
		if (!strcmp(writes[i].line, "lock") && writes[i].dropped)
			retries += 1 + writes[i].repeats;
	/* Every 10 ms: far more than 5 in 300 ms, however slow the VM. */
	EXPECT_LT(5, retries);

	/* Meanwhile a command is refused and starts nothing. */
	EXPECT_EQ(-EIO, lockdev_action(self->fd, DOORLOCK_ACTION_UNLOCK, 2,
				       NULL));
	EXPECT_EQ(-ETIMEDOUT, lockdev_next(self->fd, &ev, 200));
	n = board_outputs_read(writes, BOARD_OUTPUTS_MAX_WRITES);
	EXPECT_EQ(-1, board_outputs_find(writes, n, 0, 0, "unlock", 1));

	/* Once the write takes, the stop is recorded for its first reason. */
	ASSERT_EQ(0, board_outputs_stick(0));
	for (ms = 0; ms < WAIT_MS && !first_stop(self->id); ms += 10)
		usleep(10 * 1000);
	why = first_stop(self->id);
	ASSERT_NE(NULL, why);
	EXPECT_STREQ("arrived", why);
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	start(_metadata, self->fd, DOORLOCK_ACTION_UNLOCK, 3);
	done(_metadata, self->fd, 3, DOORLOCK_OK, DOORLOCK_BOLT_UNLOCKED);
}

TEST_F(lock, an_output_that_does_not_take_refuses_the_movement)
{
	int n;

	ASSERT_EQ(0, board_outputs_stick(1 << DOORLOCK_OUTPUTS_LINE_LOCK));
	ASSERT_EQ(0, board_outputs_clear());
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_E_MECHANISM_ERROR,
	     DOORLOCK_BOLT_UNLOCKED);
	n = board_outputs_read(writes, BOARD_OUTPUTS_MAX_WRITES);
	EXPECT_EQ(-1, board_outputs_find(writes, n, 0, 0, "unlock", 1));
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_ENABLE));
	expect_attr(_metadata, self->id, "bolt_state", "unlocked");

	ASSERT_EQ(0, board_outputs_stick(0));
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 2);
	done(_metadata, self->fd, 2, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
}

TEST_HARNESS_MAIN
