/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "lock" fixture the driver's tests share: one simulated lock with its
 * plant running, /dev/doorlockN open read-write, bolt unlocked; and the
 * steps the tests are written in.
 */
#ifndef _LOCK_FIXTURE_H
#define _LOCK_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include <linux/doorlock.h>
#include "doorlock_board.h"
#include "lockdev.h"
#include "plant.h"
#include "simlock.h"

/* Short enough to keep the suite quick, well above the plant's 300 ms. */
#define BOARD_PARAMS	"start_timeout_ms=200 travel_timeout_ms=1000"
#define WAIT_MS		5000
/* What a test program adds to BOARD_PARAMS, defined before this. */
#ifndef LOCK_BOARD_EXTRA
#define LOCK_BOARD_EXTRA	""
#endif

FIXTURE(lock) {
	int id;
	int fd;
	int plant;
};

FIXTURE_SETUP(lock)
{
	char buf[32];

	self->plant = -1;
	self->fd = -1;
	ASSERT_EQ(0, simlock_up(1, BOARD_PARAMS " " LOCK_BOARD_EXTRA));
	self->plant = plant_spawn(0, NULL);
	ASSERT_LT(0, self->plant);
	self->id = doorlock_find("lock-0");
	ASSERT_LE(0, self->id);
	self->fd = lockdev_open(self->id, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, doorlock_attr_wait(self->id, "bolt_state", "unlocked",
					buf, sizeof(buf), WAIT_MS));
}

FIXTURE_TEARDOWN(lock)
{
	if (self->fd >= 0)
		close(self->fd);
	/*
	 * Whatever happened, the motor is off, its bridge asleep, and it was
	 * never driven both ways.
	 */
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_LOCK));
	EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_UNLOCK));
	if (sim_line_exists(0, DOORLOCK_SIM_LINE_ENABLE))
		EXPECT_EQ(0, sim_get_output(0, DOORLOCK_SIM_LINE_ENABLE));
	if (self->plant > 0)
		EXPECT_EQ(0, plant_kill(0, self->plant));
	simlock_down(1);
}

static inline void plant(struct __test_metadata *_metadata, const char *cmd)
{
	char reply[256];

	ASSERT_EQ(0, plant_ctl(0, cmd, reply, sizeof(reply)))
		TH_LOG("plant %s: %s", cmd, reply);
}

/*
 * Waits until the plant's status says @what ("unlocked=0": the bolt is
 * off its end-stop), however slowly the VM runs.
 */
static inline void plant_wait(struct __test_metadata *_metadata,
			      const char *what)
{
	char reply[256];
	int ms;

	for (ms = 0; ms < WAIT_MS; ms += 5) {
		ASSERT_EQ(0, plant_ctl(0, "status", reply, sizeof(reply)));
		if (strstr(reply, what))
			return;
		usleep(5 * 1000);
	}
	ASSERT_NE(NULL, strstr(reply, what)) TH_LOG("plant: %s", reply);
}

/* Waits until the bolt is at least @percent of the way to locked. */
static inline void plant_wait_pos(struct __test_metadata *_metadata,
				  int percent)
{
	char reply[256];
	int ms, pos = -1;

	for (ms = 0; ms < WAIT_MS; ms += 5) {
		ASSERT_EQ(0, plant_ctl(0, "status", reply, sizeof(reply)));
		if (sscanf(reply, "ok pos=%d", &pos) == 1 && pos >= percent)
			return;
		usleep(5 * 1000);
	}
	ASSERT_LE(percent, pos) TH_LOG("plant: %s", reply);
}

/*
 * Submits an action that must be accepted, and checks its start event,
 * which carries the state the action starts: locking or unlocking.
 */
static inline void start(struct __test_metadata *_metadata, int fd, uint32_t action,
		  uint64_t cookie)
{
	struct doorlock_event ev;
	uint64_t id = 0;

	ASSERT_EQ(0, lockdev_action(fd, action, cookie, &id));
	EXPECT_NE(0, id);
	ASSERT_EQ(0, lockdev_next(fd, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_STARTED, ev.type);
	EXPECT_EQ(id, ev.action_id);
	EXPECT_EQ(cookie, ev.cookie);
	EXPECT_EQ(action, ev.action);
	EXPECT_EQ(action == DOORLOCK_ACTION_LOCK ? DOORLOCK_BOLT_LOCKING :
		  DOORLOCK_BOLT_UNLOCKING, ev.bolt_state);
}

/* Waits for the completion of @cookie, which must be the next event. */
static inline struct doorlock_event done(struct __test_metadata *_metadata, int fd,
				  uint64_t cookie, uint32_t result,
				  uint32_t state)
{
	struct doorlock_event ev = { };

	EXPECT_EQ(0, lockdev_next(fd, &ev, WAIT_MS));
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_COMPLETED, ev.type);
	EXPECT_EQ(cookie, ev.cookie);
	EXPECT_EQ(result, ev.result);
	EXPECT_EQ(state, ev.bolt_state);
	return ev;
}

static inline void expect_attr(struct __test_metadata *_metadata, int id,
			const char *attr, const char *want)
{
	char buf[64];

	doorlock_attr_wait(id, attr, want, buf, sizeof(buf), WAIT_MS);
	EXPECT_STREQ(want, buf) TH_LOG("%s", attr);
}

#endif /* _LOCK_FIXTURE_H */
