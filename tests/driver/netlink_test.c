// SPDX-License-Identifier: GPL-2.0
/*
 * The doorlock generic netlink family, received with libnl the way the
 * agent receives it: multicast events, the device dump, results by cookie.
 */
#include <grp.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <poll.h>
#include <sys/wait.h>

#include "lock_fixture.h"
#include "doorlock_nl.h"

#define NOBODY 65534

struct seen {
	struct doorlock_event ev[32];
	char label[32][64];
	int n;
};

static void collect(const struct doorlock_event *ev, const char *label,
		    void *arg)
{
	struct seen *s = arg;

	if (s->n < 32) {
		s->ev[s->n] = *ev;
		snprintf(s->label[s->n], sizeof(s->label[0]), "%s", label);
		s->n++;
	}
}

/* Receives until @want events have come or @timeout_ms pass. */
static int receive(struct doorlock_nl *nl, struct seen *s, int want,
		   int timeout_ms)
{
	struct pollfd pfd = { .fd = doorlock_nl_fd(nl), .events = POLLIN };
	int ret;

	while (s->n < want && poll(&pfd, 1, timeout_ms) > 0) {
		ret = doorlock_nl_recv(nl);
		if (ret)
			return ret;
	}
	return s->n >= want ? 0 : -ETIMEDOUT;
}

TEST_F(lock, events_are_multicast_with_device_and_label)
{
	struct doorlock_nl *nl;
	struct seen s = { };

	ASSERT_EQ(0, doorlock_nl_open(&nl, collect, &s));
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 0x1234);
	done(_metadata, self->fd, 0x1234, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	ASSERT_EQ(0, receive(nl, &s, 2, WAIT_MS));
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_STARTED, s.ev[0].type);
	EXPECT_EQ(DOORLOCK_EVENT_ACTION_COMPLETED, s.ev[1].type);
	EXPECT_EQ(0x1234, s.ev[1].cookie);
	EXPECT_EQ(DOORLOCK_OK, s.ev[1].result);
	EXPECT_EQ(DOORLOCK_BOLT_LOCKED, s.ev[1].bolt_state);
	EXPECT_EQ((uint32_t)self->id, s.ev[1].device);
	EXPECT_EQ(s.ev[0].seq + 1, s.ev[1].seq);
	EXPECT_LT(0, s.ev[1].travel_ms);
	EXPECT_STREQ("lock-0", s.label[1]);

	plant(_metadata, "manual-unlock");
	ASSERT_EQ(0, receive(nl, &s, 4, WAIT_MS));
	EXPECT_EQ(DOORLOCK_EVENT_STATE_CHANGED, s.ev[2].type);
	EXPECT_EQ(DOORLOCK_EVENT_MANUAL_MOVE, s.ev[3].type);
	EXPECT_EQ(DOORLOCK_ACTION_UNLOCK, s.ev[3].action);
	doorlock_nl_close(nl);
}

TEST_F(lock, dump_and_results_by_cookie_and_id)
{
	struct doorlock_nl_device devs[8];
	struct doorlock_result_query q;
	struct doorlock_nl *nl;
	size_t n;

	ASSERT_EQ(0, doorlock_nl_open(&nl, NULL, NULL));
	plant(_metadata, "jam");
	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, 77);
	ASSERT_EQ(0, doorlock_nl_result(nl, self->id, 77, &q));
	EXPECT_EQ(1, q.pending);
	ASSERT_EQ(0, doorlock_nl_dump(nl, devs, 8, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ((uint32_t)self->id, devs[0].device);
	EXPECT_STREQ("lock-0", devs[0].label);
	EXPECT_EQ(DOORLOCK_BOLT_LOCKING, devs[0].bolt_state);
	EXPECT_EQ(DOORLOCK_ACTION_LOCK, devs[0].action);
	EXPECT_EQ(77, devs[0].cookie);
	EXPECT_NE(0, devs[0].action_id);
	EXPECT_EQ(q.action_id, devs[0].action_id);
	EXPECT_TRUE(devs[0].enabled);

	done(_metadata, self->fd, 77, DOORLOCK_E_LOCK_JAMMED,
	     DOORLOCK_BOLT_JAMMED);
	ASSERT_EQ(0, doorlock_nl_result(nl, self->id, 77, &q));
	EXPECT_EQ(0, q.pending);
	EXPECT_EQ(DOORLOCK_E_LOCK_JAMMED, q.result);
	EXPECT_EQ(DOORLOCK_ACTION_LOCK, q.action);
	/* The same result by the id the driver gave the action. */
	ASSERT_EQ(0, doorlock_nl_result_id(nl, self->id, devs[0].action_id,
					   &q));
	EXPECT_EQ(77, q.cookie);
	EXPECT_EQ(DOORLOCK_E_LOCK_JAMMED, q.result);
	EXPECT_EQ(-ENOENT, doorlock_nl_result_id(nl, self->id,
						 devs[0].action_id + 1, &q));
	ASSERT_EQ(0, doorlock_nl_dump(nl, devs, 8, &n));
	EXPECT_EQ(DOORLOCK_E_LOCK_JAMMED, devs[0].last_error);

	EXPECT_EQ(-ENOENT, doorlock_nl_result(nl, self->id, 78, &q));
	EXPECT_EQ(-ENODEV, doorlock_nl_result(nl, self->id + 40, 77, &q));
	doorlock_nl_close(nl);
}

TEST(dump_lists_every_lock)
{
	struct doorlock_nl_device devs[8];
	struct doorlock_nl *nl;
	size_t n, i;
	int seen = 0;

	ASSERT_EQ(0, simlock_up(3, NULL));
	ASSERT_EQ(0, doorlock_nl_open(&nl, NULL, NULL));
	ASSERT_EQ(0, doorlock_nl_dump(nl, devs, 8, &n));
	EXPECT_EQ(3, n);
	for (i = 0; i < n; i++) {
		if (!strcmp(devs[i].label, "lock-0") ||
		    !strcmp(devs[i].label, "lock-1") ||
		    !strcmp(devs[i].label, "lock-2"))
			seen++;
		EXPECT_EQ(DOORLOCK_BOLT_UNLOCKED, devs[i].bolt_state);
	}
	EXPECT_EQ(3, seen);
	doorlock_nl_close(nl);
	simlock_down(3);
}

TEST(devices_coming_and_going_are_events)
{
	struct doorlock_nl *nl;
	struct seen s = { };

	ASSERT_EQ(0, simlock_up(1, NULL));
	ASSERT_EQ(0, doorlock_nl_open(&nl, collect, &s));
	ASSERT_EQ(0, module_unload("doorlock_board"));
	ASSERT_EQ(0, module_load(board_ko(), "locks=1"));
	ASSERT_EQ(0, receive(nl, &s, 2, WAIT_MS));
	EXPECT_EQ(DOORLOCK_EVENT_DEVICE_REMOVED, s.ev[0].type);
	EXPECT_EQ(DOORLOCK_EVENT_DEVICE_ADDED, s.ev[1].type);
	EXPECT_STREQ("lock-0", s.label[1]);
	doorlock_nl_close(nl);
	simlock_down(1);
}

/*
 * Sends one request to the family and returns what the kernel answered:
 * 0, or libnl's negative NLE_* code. @reserved goes in the genetlink
 * header's reserved field, @u8_device sends DEVICE one byte long.
 */
static int request(uint8_t cmd, const int *device, const uint64_t *cookie,
		   bool extra_label, uint16_t reserved, bool u8_device,
		   const uint64_t *action_id)
{
	struct genlmsghdr *g;
	struct nl_sock *sk;
	struct nl_msg *m;
	int fam, ret;

	sk = nl_socket_alloc();
	if (!sk)
		return -NLE_NOMEM;
	ret = genl_connect(sk);
	fam = ret ? ret : genl_ctrl_resolve(sk, DOORLOCK_GENL_NAME);
	m = nlmsg_alloc();
	if (fam < 0 || !m) {
		ret = fam < 0 ? fam : -NLE_NOMEM;
		goto out;
	}
	genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, fam, 0, NLM_F_ACK, cmd,
		    DOORLOCK_GENL_VERSION);
	g = nlmsg_data(nlmsg_hdr(m));
	g->reserved = reserved;
	if (device && u8_device)
		nla_put_u8(m, DOORLOCK_A_DEVICE, *device);
	else if (device)
		nla_put_u32(m, DOORLOCK_A_DEVICE, *device);
	if (cookie)
		nla_put_u64(m, DOORLOCK_A_COOKIE, *cookie);
	if (action_id)
		nla_put_u64(m, DOORLOCK_A_ACTION_ID, *action_id);
	if (extra_label)
		nla_put_string(m, DOORLOCK_A_LABEL, "stray");
	ret = nl_send_auto(sk, m);
	if (ret >= 0)
		ret = nl_wait_for_ack(sk);
out:
	nlmsg_free(m);
	nl_socket_free(sk);
	return ret;
}

/* Every malformed request is refused, and says why. */
TEST_F(lock, malformed_requests_are_refused)
{
	uint64_t cookie = 1;
	int dev = self->id;

	start(_metadata, self->fd, DOORLOCK_ACTION_LOCK, cookie);
	done(_metadata, self->fd, cookie, DOORLOCK_OK, DOORLOCK_BOLT_LOCKED);
	EXPECT_EQ(0, request(DOORLOCK_CMD_GET_RESULT, &dev, &cookie, false, 0,
			     false, NULL));
	/* Both a cookie and an id; neither; no device. */
	EXPECT_EQ(-NLE_INVAL, request(DOORLOCK_CMD_GET_RESULT, &dev, &cookie,
				      false, 0, false, &cookie));
	EXPECT_EQ(-NLE_INVAL, request(DOORLOCK_CMD_GET_RESULT, &dev, NULL,
				      false, 0, false, NULL));
	EXPECT_EQ(-NLE_INVAL, request(DOORLOCK_CMD_GET_RESULT, NULL, &cookie,
				      false, 0, false, NULL));
	/* DEVICE one byte long; an attribute GET_RESULT does not take. */
	EXPECT_EQ(-NLE_INVAL, request(DOORLOCK_CMD_GET_RESULT, &dev, &cookie,
				      false, 0, true, NULL));
	EXPECT_EQ(-NLE_INVAL, request(DOORLOCK_CMD_GET_RESULT, &dev, &cookie,
				      true, 0, false, NULL));
	/* The header's reserved field set; a command that does not exist. */
	EXPECT_EQ(-NLE_INVAL, request(DOORLOCK_CMD_GET_RESULT, &dev, &cookie,
				      false, 1, false, NULL));
	EXPECT_NE(0, request(DOORLOCK_CMD_MAX + 1, &dev, NULL, false, 0,
			     false, NULL));
	/* A device index out of range is refused by the policy (ERANGE). */
	dev = 1000;
	EXPECT_EQ(-NLE_RANGE, request(DOORLOCK_CMD_GET_DEVICE, &dev, NULL,
				      false, 0, false, NULL));
}

/* As nobody: what a stranger on the machine gets is refusals. */
static int as_nobody(int id)
{
	static const char *const state[] = {
		"bolt_state", "last_error", "lock_count", "manual_count",
	};
	struct doorlock_nl_device devs[8];
	struct doorlock_result_query q;
	struct doorlock_nl *nl;
	struct seen s = { };
	char path[128];
	size_t n, i;

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return 10;
	/* Nor does sysfs tell the state; the label and tunables it does. */
	for (i = 0; i < ARRAY_SIZE(state); i++) {
		if (doorlock_attr_path(path, sizeof(path), id, state[i]) ||
		    !access(path, R_OK))
			return 15;
	}
	if (doorlock_attr_path(path, sizeof(path), id, "label") ||
	    access(path, R_OK))
		return 16;
	/* Subscribing to the events group takes CAP_NET_ADMIN. */
	if (doorlock_nl_open(&nl, collect, &s) != -EPERM)
		return 11;
	if (doorlock_nl_open(&nl, NULL, NULL))
		return 12;
	if (doorlock_nl_dump(nl, devs, 8, &n) != -EPERM)
		return 13;
	if (doorlock_nl_result(nl, 0, 1, &q) != -EPERM)
		return 14;
	doorlock_nl_close(nl);
	return 0;
}

TEST_F(lock, strangers_get_no_events_and_no_state)
{
	int pid, status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(as_nobody(self->id));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10: cannot drop to nobody, 11: subscribed, 12: no socket, 13: dumped, 14: read a result, 15: read the state in sysfs, 16: no label");
}

TEST_HARNESS_MAIN
