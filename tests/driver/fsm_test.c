// SPDX-License-Identifier: GPL-2.0
/*
 * The lock/unlock state machine, end to end through /dev/doorlockN, with
 * doorlock-plant moving the simulated bolt: every transition and every
 * failure code, the timeouts, manual turns and contact bounce.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ktrace.h"
#include "lock_fixture.h"

static int board_call(const char *call, unsigned int lock)
{
	char path[128], val[16];

	snprintf(path, sizeof(path), "/sys/module/doorlock_board/parameters/%s",
		 call);
	snprintf(val, sizeof(val), "%u", lock);
	return sysfs_write(path, val);
}

TEST_F(lock, lock_then_unlock_succeed)
{
	struct doorlock_event ev;
	struct doorlock_status st;

	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	expect_attr(_metadata, self->id, "bolt_state", "locking");
	ev = done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	EXPECT_LE(250, ev.travel_ms);
	EXPECT_GE(1000, ev.travel_ms);
	expect_attr(_metadata, self->id, "bolt_state", "locked");

	start(_metadata, self->fd, DOORLOCK_ACTION_UNLOCK, 2);
	done(_metadata, self->fd, 2, DOORLOCK_OK, DOORLOCK_BOLT_UNLOCKED);
	expect_attr(_metadata, self->id, "bolt_state", "unlocked");

	ASSERT_EQ(0, lockdev_status(self->fd, &st));
	EXPECT_EQ(1, st.lock_count);
	EXPECT_EQ(1, st.unlock_count);
	EXPECT_EQ(0, st.failure_count);
	EXPECT_EQ(DOORLOCK_OK, st.last_error);
	expect_attr(_metadata, self->id, "lock_count", "1");
	expect_attr(_metadata, self->id, "unlock_count", "1");
	expect_attr(_metadata, self->id, "last_error", "none");
	/* Nothing else happened: no manual move, no state noise. */
	EXPECT_EQ(0, lockdev_drain(self->fd, 200));
}

TEST_F(lock, action_whose_target_holds_completes_at_once)
{
	struct doorlock_event ev;

	start(_metadata, self->fd, DOORLOCK_ACTION_UNLOCK, 7);
	ev = done(_metadata, self->fd, 7, DOORLOCK_OK, DOORLOCK_BOLT_UNLOCKED);
	EXPECT_EQ(0, ev.travel_ms);
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_UNLOCK));
}

TEST_F(lock, second_command_is_refused_while_one_runs)
{
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	EXPECT_EQ(-EBUSY, lockdev_action(self->fd, DOORLOCK_ACTION_UNLOCK, 2, NULL));
	EXPECT_EQ(-EBUSY, lockdev_action(self->fd, DOORLOCK_ACTION_LOCK, 3, NULL));
	done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
}

TEST_F(lock, motor_drives_only_the_commanded_direction)
{
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	EXPECT_EQ(1, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_UNLOCK));
	done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));

	start(_metadata, self->fd, DOORLOCK_ACTION_UNLOCK, 2);
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	EXPECT_EQ(1, sim_get_output(0, DOORLOCK_SIM_LINE_UNLOCK));
	done(_metadata, self->fd, 2, DOORLOCK_OK, DOORLOCK_BOLT_UNLOCKED);
}

TEST_F(lock, jam_fails_lock_jammed_and_clears)
{
	struct doorlock_event ev;

	plant(_metadata, "jam");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	ev = done(_metadata, self->fd, 1, DOORLOCK_E_LOCK_JAMMED,
		  DOORLOCK_BOLT_JAMMED);
	EXPECT_LE(190, ev.travel_ms);
	expect_attr(_metadata, self->id, "bolt_state", "jammed");
	expect_attr(_metadata, self->id, "last_error", "LOCK_JAMMED");
	expect_attr(_metadata, self->id, "failure_count", "1");

	/* The next successful action clears it. */
	plant(_metadata, "normal");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 2);
	done(_metadata, self->fd, 2, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	expect_attr(_metadata, self->id, "last_error", "none");
}

TEST_F(lock, unlock_jam_fails_lock_jammed)
{
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	plant(_metadata, "jam");
	start(_metadata, self->fd, DOORLOCK_ACTION_UNLOCK, 2);
	done(_metadata, self->fd, 2, DOORLOCK_E_LOCK_JAMMED,
	     DOORLOCK_BOLT_JAMMED);
}

TEST_F(lock, jam_clears_when_the_bolt_reaches_an_end_stop)
{
	struct doorlock_event ev;

	plant(_metadata, "jam");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_E_LOCK_JAMMED,
	     DOORLOCK_BOLT_JAMMED);
	plant(_metadata, "manual-lock");
	ASSERT_EQ(0, lockdev_wait_type(self->fd, DOORLOCK_EVENT_MANUAL_MOVE,
				       &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_BOLT_LOCKED, ev.bolt_state);
	expect_attr(_metadata, self->id, "bolt_state", "locked");
}

#define NS_PER_MS		1000000ULL
#define BOUNCE_START_MS		500
#define BOUNCE_DEBOUNCE_MS	1000
#define BOUNCE_NEAR_MS		20
/* The start timeout's stop rides on the system workqueue. */
#define BOUNCE_STOP_SLACK_MS	250

static struct ktrace_ev trace[KTRACE_MAX_EVENTS];

/*
 * In the trace of one jammed lock action: how long the motor ran, and
 * whether the origin end-stop was chattering at the start deadline (an
 * edge within BOUNCE_NEAR_MS of it), so that a raw read there could have
 * caught it open.
 */
static int bounce_round(int n, int id, uint64_t *ran_ms, bool *pending)
{
	const struct ktrace_ev *on = NULL, *off = NULL;
	uint64_t deadline;
	int i;

	for (i = 0; i < n && !off; i++) {
		if (trace[i].id != id)
			continue;
		if (!on && !strcmp(trace[i].name, "motor_on"))
			on = &trace[i];
		else if (on && !strcmp(trace[i].name, "motor_off"))
			off = &trace[i];
	}
	if (!off)
		return -ENOENT;
	*ran_ms = off->on_ns / NS_PER_MS;
	deadline = on->at_ns + BOUNCE_START_MS * NS_PER_MS;
	*pending = false;
	for (i = 0; i < n; i++)
		if (trace[i].id == id && !strcmp(trace[i].name, "edge") &&
		    !strcmp(trace[i].line, "unlocked") &&
		    trace[i].edge_ns + BOUNCE_NEAR_MS * NS_PER_MS > deadline &&
		    trace[i].edge_ns < deadline + BOUNCE_NEAR_MS * NS_PER_MS)
			*pending = true;
	return 0;
}

/*
 * A contact that chatters across the start timeout is still a jam: the
 * verdict waits for the debounce instead of reading a bounce as the bolt
 * leaving (and then back on its start: MECHANISM_ERROR), and the motor
 * stops at the start timeout all the same. The chatter reads open half
 * the time, so a raw read at the deadline fails about every other round.
 * Rounds whose chatter missed the deadline (a slow VM) prove nothing and
 * are not counted; two must have hit it. The debounce, the longest there
 * is, outlasts the chatter even in a slow VM, so the debounce itself never
 * reads it midway (it waits at most four periods after the first edge).
 */
TEST_F(lock, a_bounce_at_the_start_timeout_is_still_a_jam)
{
	char ms[16];
	int round, hits = 0, n;
	uint64_t ran_ms;
	bool pending;

	snprintf(ms, sizeof(ms), "%d", BOUNCE_DEBOUNCE_MS);
	ASSERT_EQ(0, doorlock_attr_write(self->id, "debounce_ms", ms));
	ASSERT_EQ(0, doorlock_attr_write(self->id, "storm_edges", "10000"));
	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms",
					 "3000"));
	snprintf(ms, sizeof(ms), "%d", BOUNCE_START_MS);
	ASSERT_EQ(0, doorlock_attr_write(self->id, "start_timeout_ms", ms));
	plant(_metadata, "jam");
	for (round = 1; round <= 4; round++) {
		ASSERT_EQ(0, ktrace_start());
		start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, round);
		usleep(200 * 1000);
		/* 200 edges 2 ms apart: 400 ms of chatter over the deadline. */
		plant(_metadata, "bounce 200");
		done(_metadata, self->fd, round, DOORLOCK_E_LOCK_JAMMED,
		     DOORLOCK_BOLT_JAMMED);
		n = ktrace_read(trace, KTRACE_MAX_EVENTS);
		ASSERT_LT(0, n);
		ASSERT_EQ(0, bounce_round(n, self->id, &ran_ms, &pending));
		EXPECT_GT(BOUNCE_START_MS + BOUNCE_STOP_SLACK_MS, ran_ms)
			TH_LOG("round %d: the motor ran %llu ms", round,
			       (unsigned long long)ran_ms);
		hits += pending;
		/* The chatter is over before the next round starts. */
		plant_wait(_metadata, "unlocked=1");
		usleep(BOUNCE_DEBOUNCE_MS * 1000);
	}
	EXPECT_LE(2, hits) TH_LOG("the chatter hit the deadline %d times", hits);
}

TEST_F(lock, lock_that_stalls_is_not_fully_extended)
{
	struct doorlock_event ev;

	plant(_metadata, "stall");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	ev = done(_metadata, self->fd, 1, DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED,
		  DOORLOCK_BOLT_NOT_FULLY_LOCKED);
	EXPECT_LE(990, ev.travel_ms);
	expect_attr(_metadata, self->id, "last_error",
		    "BOLT_NOT_FULLY_EXTENDED");
}

TEST_F(lock, unlock_that_stalls_is_obstructed)
{
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	plant(_metadata, "stall");
	start(_metadata, self->fd, DOORLOCK_ACTION_UNLOCK, 2);
	done(_metadata, self->fd, 2, DOORLOCK_E_BOLT_OBSTRUCTED,
	     DOORLOCK_BOLT_NOT_FULLY_LOCKED);
}

TEST_F(lock, slow_travel_hits_the_travel_timeout)
{
	plant(_metadata, "slow");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED,
	     DOORLOCK_BOLT_NOT_FULLY_LOCKED);
}

TEST_F(lock, fault_at_command_time_is_refused)
{
	struct doorlock_status st;

	ASSERT_EQ(0, lockdev_status(self->fd, &st));
	EXPECT_EQ(DOORLOCK_INPUT_UNLOCKED, st.inputs);
	plant(_metadata, "obstruct");
	plant_wait(_metadata, " fault=1");
	/* The status shows the raw lines: why the command is refused. */
	ASSERT_EQ(0, lockdev_status(self->fd, &st));
	EXPECT_EQ(DOORLOCK_INPUT_UNLOCKED | DOORLOCK_INPUT_FAULT, st.inputs);
	EXPECT_EQ(0, st.ignored);
	EXPECT_EQ(-EIO, lockdev_action(self->fd, DOORLOCK_ACTION_LOCK, 1, NULL));
	EXPECT_EQ(0, lockdev_drain(self->fd, 100));
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
}

TEST_F(lock, fault_during_travel_fails_obstructed)
{
	/* However slow the VM, the fault comes before the travel timeout. */
	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms", "60000"));
	plant(_metadata, "slow");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	/* The slow bolt has to clear its end-stop (1 % of 6 s) first. */
	plant_wait(_metadata, "unlocked=0");
	plant(_metadata, "obstruct");
	done(_metadata, self->fd, 1, DOORLOCK_E_BOLT_OBSTRUCTED,
	     DOORLOCK_BOLT_NOT_FULLY_LOCKED);
}

TEST_F(lock, both_end_stops_are_a_sensor_fault)
{
	struct doorlock_event ev;
	plant(_metadata, "sensor-fault");
	ASSERT_EQ(0, lockdev_wait_type(self->fd, DOORLOCK_EVENT_SENSOR_FAULT,
				       &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_BOLT_SENSOR_FAULT, ev.bolt_state);
	expect_attr(_metadata, self->id, "bolt_state", "sensor_fault");
	EXPECT_EQ(-EPROTO, lockdev_action(self->fd, DOORLOCK_ACTION_LOCK, 1, NULL));
}

TEST_F(lock, sensor_fault_during_travel_is_a_mechanism_error)
{
	/* However slow the VM, what the test does comes before the timeout. */
	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms", "60000"));
	plant(_metadata, "slow");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	plant(_metadata, "sensor-fault");
	done(_metadata, self->fd, 1, DOORLOCK_E_MECHANISM_ERROR,
	     DOORLOCK_BOLT_SENSOR_FAULT);
}

TEST_F(lock, manual_turns_are_reported_with_their_direction)
{
	struct doorlock_event ev;

	plant(_metadata, "manual-lock");
	ASSERT_EQ(0, lockdev_wait_type(self->fd, DOORLOCK_EVENT_MANUAL_MOVE,
				       &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_ACTION_LOCK, ev.action);
	EXPECT_EQ(DOORLOCK_BOLT_LOCKED, ev.bolt_state);
	EXPECT_EQ(0, ev.cookie);
	EXPECT_LE(250, ev.travel_ms);

	plant(_metadata, "manual-unlock");
	ASSERT_EQ(0, lockdev_wait_type(self->fd, DOORLOCK_EVENT_MANUAL_MOVE,
				       &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_ACTION_UNLOCK, ev.action);
	EXPECT_EQ(DOORLOCK_BOLT_UNLOCKED, ev.bolt_state);
	expect_attr(_metadata, self->id, "manual_count", "2");
	expect_attr(_metadata, self->id, "lock_count", "0");
}

/*
 * The plant's burst lasts 16 ms; under emulation its edges can straggle, so
 * these run with a 100 ms debounce to test the filtering, not the timing.
 */
TEST_F(lock, bounce_at_rest_is_no_event)
{
	ASSERT_EQ(0, doorlock_attr_write(self->id, "debounce_ms", "100"));
	plant(_metadata, "bounce");
	EXPECT_EQ(0, lockdev_drain(self->fd, 300));
	expect_attr(_metadata, self->id, "bolt_state", "unlocked");
	expect_attr(_metadata, self->id, "manual_count", "0");
}

TEST_F(lock, bounce_on_arrival_is_one_transition)
{
	ASSERT_EQ(0, doorlock_attr_write(self->id, "debounce_ms", "100"));
	plant(_metadata, "bounce");
	plant(_metadata, "normal");
	EXPECT_EQ(0, lockdev_drain(self->fd, 300));
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	/* Once the bolt is off its start, so the bounce is the arrival's. */
	plant_wait(_metadata, "unlocked=0");
	plant(_metadata, "bounce");
	done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	EXPECT_EQ(0, lockdev_drain(self->fd, 300));
	expect_attr(_metadata, self->id, "manual_count", "0");
}

/* A bolt that left, then came back to where it started, was pushed back. */
TEST_F(lock, back_on_its_start_end_stop_is_a_mechanism_error)
{
	/* Slowly: the driver has long seen the departure when the hand acts. */
	plant(_metadata, "slow");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	plant_wait(_metadata, "unlocked=0");
	plant_wait_pos(_metadata, 5);
	/*
	 * A hand on the thumb-turn, stronger than the motor, turns it back
	 * and holds it there.
	 */
	plant(_metadata, "jam");
	plant(_metadata, "manual-unlock");
	done(_metadata, self->fd, 1, DOORLOCK_E_MECHANISM_ERROR,
	     DOORLOCK_BOLT_UNLOCKED);
}

/* The ring keeps the last 64 results: the 65th action evicts the first. */
TEST_F(lock, the_65th_result_evicts_the_first)
{
	struct doorlock_result_query q;
	uint64_t cookie;

	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	done(_metadata, self->fd, 1, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	/* Already locked: each of these completes at once. */
	for (cookie = 2; cookie <= 65; cookie++) {
		start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, cookie);
		done(_metadata, self->fd, cookie, DOORLOCK_OK,
		     DOORLOCK_BOLT_LOCKED);
	}
	EXPECT_EQ(-ENOENT, lockdev_result(self->fd, 1, &q));
	ASSERT_EQ(0, lockdev_result(self->fd, 2, &q));
	EXPECT_EQ(DOORLOCK_OK, q.result);
	ASSERT_EQ(0, lockdev_result(self->fd, 65, &q));
	EXPECT_EQ(0, q.pending);
}

/*
 * Suspended, the lock refuses commands and its inputs are quiet; what
 * moved meanwhile is reported at resume.
 */
TEST_F(lock, suspend_refuses_commands_and_quiets_the_inputs)
{
	struct doorlock_event ev;
	ASSERT_EQ(0, board_call("suspend", 0));
	EXPECT_EQ(-EPERM, lockdev_action(self->fd, DOORLOCK_ACTION_LOCK, 1, NULL));
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	plant(_metadata, "manual-lock");
	plant_wait(_metadata, " locked=1");
	EXPECT_EQ(0, lockdev_drain(self->fd, 300));
	ASSERT_EQ(0, board_call("resume", 0));
	ASSERT_EQ(0, lockdev_wait_type(self->fd, DOORLOCK_EVENT_MANUAL_MOVE,
				       &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_ACTION_LOCK, ev.action);
	EXPECT_EQ(DOORLOCK_BOLT_LOCKED, ev.bolt_state);
}

TEST_F(lock, disabled_lock_refuses_commands)
{
	ASSERT_EQ(0, doorlock_attr_write(self->id, "enabled", "0"));
	expect_attr(_metadata, self->id, "enabled", "0");
	EXPECT_EQ(-EPERM, lockdev_action(self->fd, DOORLOCK_ACTION_LOCK, 1, NULL));
	EXPECT_EQ(-EINVAL, doorlock_attr_write(self->id, "enabled", "maybe"));
	expect_attr(_metadata, self->id, "enabled", "0");
	ASSERT_EQ(0, doorlock_attr_write(self->id, "enabled", "1"));
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 2);
	done(_metadata, self->fd, 2, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
}

TEST_F(lock, results_stay_readable_by_cookie)
{
	struct doorlock_result_query q;

	plant(_metadata, "jam");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 0xfeed);
	ASSERT_EQ(0, lockdev_result(self->fd, 0xfeed, &q));
	EXPECT_EQ(1, q.pending);
	done(_metadata, self->fd, 0xfeed, DOORLOCK_E_LOCK_JAMMED,
	     DOORLOCK_BOLT_JAMMED);
	ASSERT_EQ(0, lockdev_result(self->fd, 0xfeed, &q));
	EXPECT_EQ(0, q.pending);
	EXPECT_EQ(DOORLOCK_ACTION_LOCK, q.action);
	EXPECT_EQ(DOORLOCK_E_LOCK_JAMMED, q.result);
	EXPECT_EQ(-ENOENT, lockdev_result(self->fd, 0xbeef, &q));
}

/*
 * The driver names each action: two openers may give the same cookie,
 * and each action still has its own id, its own events and its own result.
 */
TEST_F(lock, each_action_gets_its_own_id)
{
	struct doorlock_result_query q;
	struct doorlock_status st;
	struct doorlock_event ev;
	uint64_t a = 0, b = 0;
	int other;

	ASSERT_EQ(0, lockdev_action(self->fd, DOORLOCK_ACTION_LOCK, 5, &a));
	ASSERT_EQ(0, lockdev_wait_done(self->fd, 5, &ev, WAIT_MS));
	EXPECT_EQ(a, ev.action_id);
	other = lockdev_open(self->id, O_RDWR);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, lockdev_action(other, DOORLOCK_ACTION_UNLOCK, 5, &b));
	ASSERT_EQ(0, lockdev_wait_done(other, 5, &ev, WAIT_MS));
	EXPECT_EQ(b, ev.action_id);
	EXPECT_NE(0, a);
	EXPECT_LT(a, b);

	ASSERT_EQ(0, lockdev_result_id(self->fd, a, &q));
	EXPECT_EQ(a, q.action_id);
	EXPECT_EQ(5, q.cookie);
	EXPECT_EQ(DOORLOCK_ACTION_LOCK, q.action);
	ASSERT_EQ(0, lockdev_result_id(self->fd, b, &q));
	EXPECT_EQ(DOORLOCK_ACTION_UNLOCK, q.action);
	/* By cookie, the newest action that carried it. */
	ASSERT_EQ(0, lockdev_result(self->fd, 5, &q));
	EXPECT_EQ(b, q.action_id);

	/* A refused command starts nothing and takes no id. */
	plant(_metadata, "obstruct");
	plant_wait(_metadata, " fault=1");
	EXPECT_EQ(-EIO, lockdev_action(self->fd, DOORLOCK_ACTION_LOCK, 6,
				       NULL));
	EXPECT_EQ(-ENOENT, lockdev_result(self->fd, 6, &q));
	EXPECT_EQ(-ENOENT, lockdev_result_id(self->fd, b + 1, &q));
	ASSERT_EQ(0, lockdev_status(self->fd, &st));
	EXPECT_EQ(0, st.action_id);
	close(other);
}


TEST_F(lock, suspend_stops_the_motor_and_fails_the_action)
{
	struct doorlock_event ev;

	/* However slow the VM, what the test does comes before the timeout. */
	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms", "60000"));
	plant(_metadata, "slow");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	ASSERT_EQ(1, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	ASSERT_EQ(0, board_call("suspend", 0));
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	ASSERT_EQ(0, lockdev_wait_done(self->fd, 1, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_E_ABORTED, ev.result);
	ASSERT_EQ(0, board_call("resume", 0));
	/* Resume reports where the bolt stopped, if it moved off meanwhile. */
	lockdev_drain(self->fd, 300);

	/* After resume it takes commands again. */
	plant(_metadata, "normal");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 2);
	ASSERT_EQ(0, lockdev_wait_done(self->fd, 2, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_OK, ev.result);
	EXPECT_EQ(DOORLOCK_BOLT_LOCKED, ev.bolt_state);
}

TEST_F(lock, shutdown_stops_the_motor_and_retires_the_lock)
{
	struct doorlock_status st;
	struct doorlock_event ev;

	/* However slow the VM, what the test does comes before the timeout. */
	ASSERT_EQ(0, doorlock_attr_write(self->id, "travel_timeout_ms", "60000"));
	plant(_metadata, "slow");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 1);
	ASSERT_EQ(1, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	ASSERT_EQ(0, board_call("shutdown", 0));
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	ASSERT_EQ(0, lockdev_wait_done(self->fd, 1, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_E_ABORTED, ev.result);
	ASSERT_EQ(0, lockdev_next(self->fd, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_EVENT_DEVICE_REMOVED, ev.type);
	EXPECT_EQ(-ENODEV, lockdev_status(self->fd, &st));
}


/* A bolt that starts half-way (a power cut mid-travel) still gets there. */
TEST(a_start_from_mid_travel_reaches_its_target)
{
	static const char *const args[] = { "--start", "middle", NULL };
	struct doorlock_event ev;
	char buf[32];
	int id, fd, pid;

	ASSERT_EQ(0, simlock_up(1, BOARD_PARAMS));
	pid = plant_spawn(0, args);
	ASSERT_LT(0, pid);
	id = doorlock_wait("lock-0", WAIT_MS);
	ASSERT_LE(0, id);
	EXPECT_EQ(0, doorlock_attr_wait(id, "bolt_state", "not_fully_locked",
					buf, sizeof(buf), WAIT_MS));
	fd = lockdev_open(id, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, lockdev_action(fd, DOORLOCK_ACTION_LOCK, 1, NULL));
	ASSERT_EQ(0, lockdev_wait_done(fd, 1, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_OK, ev.result);
	EXPECT_EQ(DOORLOCK_BOLT_LOCKED, ev.bolt_state);
	close(fd);
	EXPECT_EQ(0, plant_kill(0, pid));
	simlock_down(1);
}

/* The Pi overlay's polarity: switches and nFAULT pull their lines low. */
TEST(active_low_inputs_work_as_active_high_ones)
{
	struct doorlock_event ev;
	int id, fd, pid;

	ASSERT_EQ(0, simlock_up(1, "active_low=1 " BOARD_PARAMS));
	pid = plant_spawn(0, NULL);
	ASSERT_LT(0, pid);
	id = doorlock_wait("lock-0", WAIT_MS);
	ASSERT_LE(0, id);
	fd = lockdev_open(id, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, lockdev_action(fd, DOORLOCK_ACTION_LOCK, 1, NULL));
	ASSERT_EQ(0, lockdev_wait_done(fd, 1, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_OK, ev.result);
	EXPECT_EQ(DOORLOCK_BOLT_LOCKED, ev.bolt_state);
	/* A fault, low on the wire, is seen as asserted. */
	ASSERT_EQ(0, sim_set_input(0, DOORLOCK_SIM_LINE_FAULT, true));
	EXPECT_EQ(-EIO, lockdev_action(fd, DOORLOCK_ACTION_UNLOCK, 2, NULL));
	ASSERT_EQ(0, sim_set_input(0, DOORLOCK_SIM_LINE_FAULT, false));
	close(fd);
	EXPECT_EQ(0, plant_kill(0, pid));
	simlock_down(1);
}

TEST_HARNESS_MAIN
