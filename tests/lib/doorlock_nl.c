// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace side of the "doorlock" generic netlink family; see
 * doorlock_nl.h. Two sockets: one joined to the events group, read when
 * its fd polls readable, and one for requests, so a dump's answer never
 * interleaves with multicast events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "doorlock_nl.h"

struct doorlock_nl {
	struct nl_sock *req;
	struct nl_sock *ev;
	int family;
	doorlock_nl_event_fn on_event;
	void *arg;
};

static struct nla_policy doorlock_nl_policy[DOORLOCK_A_MAX + 1] = {
	[DOORLOCK_A_DEVICE] = { .type = NLA_U32 },
	[DOORLOCK_A_LABEL] = { .type = NLA_STRING },
	[DOORLOCK_A_EVENT_TYPE] = { .type = NLA_U32 },
	[DOORLOCK_A_TIMESTAMP_NS] = { .type = NLA_U64 },
	[DOORLOCK_A_COOKIE] = { .type = NLA_U64 },
	[DOORLOCK_A_SEQ] = { .type = NLA_U32 },
	[DOORLOCK_A_ACTION] = { .type = NLA_U32 },
	[DOORLOCK_A_RESULT] = { .type = NLA_U32 },
	[DOORLOCK_A_BOLT_STATE] = { .type = NLA_U32 },
	[DOORLOCK_A_TRAVEL_MS] = { .type = NLA_U32 },
	[DOORLOCK_A_ENABLED] = { .type = NLA_U32 },
	[DOORLOCK_A_LAST_ERROR] = { .type = NLA_U32 },
	[DOORLOCK_A_PENDING] = { .type = NLA_U32 },
	[DOORLOCK_A_ACTION_ID] = { .type = NLA_U64 },
};

static int errno_of(int nlerr)
{
	switch (abs(nlerr)) {
	case 0:
		return 0;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_INVAL:
	case NLE_MSG_TOOSHORT:
		return -EINVAL;
	case NLE_NOMEM:
		return -ENOBUFS;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_PERM:
		return -EPERM;
	default:
		return -EIO;
	}
}

static uint32_t get_u32(struct nlattr **a, int type)
{
	return a[type] ? nla_get_u32(a[type]) : 0;
}

static uint64_t get_u64(struct nlattr **a, int type)
{
	return a[type] ? nla_get_u64(a[type]) : 0;
}

static int parse(struct nl_msg *msg, struct nlattr **a)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, a, DOORLOCK_A_MAX,
			     doorlock_nl_policy);
}

static int on_event_msg(struct nl_msg *msg, void *data)
{
	struct nlattr *a[DOORLOCK_A_MAX + 1];
	struct doorlock_nl *nl = data;
	struct doorlock_event ev;

	if (genlmsg_hdr(nlmsg_hdr(msg))->cmd != DOORLOCK_CMD_EVENT ||
	    parse(msg, a) < 0)
		return NL_SKIP;
	memset(&ev, 0, sizeof(ev));
	ev.device = get_u32(a, DOORLOCK_A_DEVICE);
	ev.type = get_u32(a, DOORLOCK_A_EVENT_TYPE);
	ev.timestamp_ns = get_u64(a, DOORLOCK_A_TIMESTAMP_NS);
	ev.action_id = get_u64(a, DOORLOCK_A_ACTION_ID);
	ev.cookie = get_u64(a, DOORLOCK_A_COOKIE);
	ev.seq = get_u32(a, DOORLOCK_A_SEQ);
	ev.action = get_u32(a, DOORLOCK_A_ACTION);
	ev.result = get_u32(a, DOORLOCK_A_RESULT);
	ev.bolt_state = get_u32(a, DOORLOCK_A_BOLT_STATE);
	ev.travel_ms = get_u32(a, DOORLOCK_A_TRAVEL_MS);
	nl->on_event(&ev, a[DOORLOCK_A_LABEL] ?
		     nla_get_string(a[DOORLOCK_A_LABEL]) : "", nl->arg);
	return NL_OK;
}

static int join_events(struct doorlock_nl *nl)
{
	int group, ret;

	group = genl_ctrl_resolve_grp(nl->req, DOORLOCK_GENL_NAME,
				      DOORLOCK_GENL_MCGRP_EVENTS);
	if (group < 0)
		return errno_of(group);
	nl->ev = nl_socket_alloc();
	if (!nl->ev)
		return -ENOMEM;
	nl_socket_disable_seq_check(nl->ev);
	/* One recvmsg per event, not a peek for its size first. */
	nl_socket_disable_msg_peek(nl->ev);
	nl_socket_set_msg_buf_size(nl->ev, 16384);
	nl_socket_modify_cb(nl->ev, NL_CB_VALID, NL_CB_CUSTOM, on_event_msg,
			    nl);
	ret = genl_connect(nl->ev);
	if (!ret)
		ret = nl_socket_add_membership(nl->ev, group);
	if (!ret)
		ret = nl_socket_set_nonblocking(nl->ev);
	return errno_of(ret);
}

int doorlock_nl_open(struct doorlock_nl **out, doorlock_nl_event_fn on_event,
		     void *arg)
{
	struct doorlock_nl *nl;
	int ret;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->on_event = on_event;
	nl->arg = arg;
	nl->req = nl_socket_alloc();
	if (!nl->req) {
		ret = -ENOMEM;
		goto err;
	}
	nl_socket_disable_auto_ack(nl->req);
	ret = errno_of(genl_connect(nl->req));
	if (ret)
		goto err;
	nl->family = genl_ctrl_resolve(nl->req, DOORLOCK_GENL_NAME);
	if (nl->family < 0) {
		ret = -ENOENT;
		goto err;
	}
	if (on_event) {
		ret = join_events(nl);
		if (ret)
			goto err;
	}
	*out = nl;
	return 0;

err:
	doorlock_nl_close(nl);
	return ret;
}

void doorlock_nl_close(struct doorlock_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->ev);
	nl_socket_free(nl->req);
	free(nl);
}

int doorlock_nl_set_rcvbuf(struct doorlock_nl *nl, int bytes)
{
	if (!nl->ev)
		return -EINVAL;
	return errno_of(nl_socket_set_buffer_size(nl->ev, bytes, 0));
}

int doorlock_nl_fd(const struct doorlock_nl *nl)
{
	return nl->ev ? nl_socket_get_fd(nl->ev) : -1;
}

int doorlock_nl_recv(struct doorlock_nl *nl)
{
	int ret;

	if (!nl->ev)
		return -EINVAL;
	ret = nl_recvmsgs_default(nl->ev);
	return ret >= 0 || ret == -NLE_AGAIN ? 0 : errno_of(ret);
}

struct dump_ctx {
	struct doorlock_nl_device *devs;
	size_t max;
	size_t n;
};

static int on_device_msg(struct nl_msg *msg, void *data)
{
	struct nlattr *a[DOORLOCK_A_MAX + 1];
	struct dump_ctx *ctx = data;
	struct doorlock_nl_device *d;

	if (parse(msg, a) < 0 || ctx->n >= ctx->max)
		return NL_SKIP;
	d = &ctx->devs[ctx->n++];
	memset(d, 0, sizeof(*d));
	d->device = get_u32(a, DOORLOCK_A_DEVICE);
	if (a[DOORLOCK_A_LABEL])
		strncpy(d->label, nla_get_string(a[DOORLOCK_A_LABEL]),
			sizeof(d->label) - 1);
	d->bolt_state = get_u32(a, DOORLOCK_A_BOLT_STATE);
	d->last_error = get_u32(a, DOORLOCK_A_LAST_ERROR);
	d->action = get_u32(a, DOORLOCK_A_ACTION);
	d->seq = get_u32(a, DOORLOCK_A_SEQ);
	d->action_id = get_u64(a, DOORLOCK_A_ACTION_ID);
	d->cookie = get_u64(a, DOORLOCK_A_COOKIE);
	d->enabled = get_u32(a, DOORLOCK_A_ENABLED);
	return NL_OK;
}

/*
 * Sends @msg on the request socket and feeds each answer to @fn. The socket
 * asks for no ACK: a reply, a dump's NLMSG_DONE or an error ends it.
 */
static int request(struct doorlock_nl *nl, struct nl_msg *msg,
		   nl_recvmsg_msg_cb_t fn, void *arg)
{
	int ret;

	ret = nl_send_auto(nl->req, msg);
	if (ret < 0)
		return errno_of(ret);
	nl_socket_modify_cb(nl->req, NL_CB_VALID, NL_CB_CUSTOM, fn, arg);
	ret = nl_recvmsgs_default(nl->req);
	return ret < 0 ? errno_of(ret) : 0;
}

int doorlock_nl_dump(struct doorlock_nl *nl, struct doorlock_nl_device *devs,
		     size_t max, size_t *n)
{
	struct dump_ctx ctx = { .devs = devs, .max = max };
	struct nl_msg *msg;
	int ret;

	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 NLM_F_DUMP, DOORLOCK_CMD_GET_DEVICE,
			 DOORLOCK_GENL_VERSION)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	ret = request(nl, msg, on_device_msg, &ctx);
	nlmsg_free(msg);
	*n = ctx.n;
	return ret;
}

static int on_result_msg(struct nl_msg *msg, void *data)
{
	struct nlattr *a[DOORLOCK_A_MAX + 1];
	struct doorlock_result_query *q = data;

	if (parse(msg, a) < 0)
		return NL_SKIP;
	q->action_id = get_u64(a, DOORLOCK_A_ACTION_ID);
	q->cookie = get_u64(a, DOORLOCK_A_COOKIE);
	q->action = get_u32(a, DOORLOCK_A_ACTION);
	q->result = get_u32(a, DOORLOCK_A_RESULT);
	q->travel_ms = get_u32(a, DOORLOCK_A_TRAVEL_MS);
	q->seq = get_u32(a, DOORLOCK_A_SEQ);
	q->pending = get_u32(a, DOORLOCK_A_PENDING);
	return NL_OK;
}

static int result_by(struct doorlock_nl *nl, uint32_t device, int attr,
		     uint64_t key, struct doorlock_result_query *q)
{
	struct nl_msg *msg;
	int ret = -ENOMEM;

	memset(q, 0, sizeof(*q));
	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, 0,
			DOORLOCK_CMD_GET_RESULT, DOORLOCK_GENL_VERSION) &&
	    !nla_put_u32(msg, DOORLOCK_A_DEVICE, device) &&
	    !nla_put_u64(msg, attr, key))
		ret = request(nl, msg, on_result_msg, q);
	nlmsg_free(msg);
	return ret;
}

int doorlock_nl_result(struct doorlock_nl *nl, uint32_t device,
		       uint64_t cookie, struct doorlock_result_query *q)
{
	return result_by(nl, device, DOORLOCK_A_COOKIE, cookie, q);
}

int doorlock_nl_result_id(struct doorlock_nl *nl, uint32_t device,
			  uint64_t action_id, struct doorlock_result_query *q)
{
	return result_by(nl, device, DOORLOCK_A_ACTION_ID, action_id, q);
}
