// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: the "doorlock" generic netlink family.
 *
 * Every event is multicast on the "events" group with the lock's index and
 * label. GET_DEVICE answers one lock, or dumps them all, with its state;
 * GET_RESULT answers how a recent action ended, by its id or its cookie.
 * Documentation/netlink/specs/doorlock.yaml is the family's YNL spec.
 *
 * The family is the administrator's: lock events tell when someone is at
 * home, so subscribing takes CAP_NET_ADMIN and so does every command.
 * Whoever may open /dev/doorlockN (its group) reads the same events and
 * state from there.
 */

#include <linux/kernel.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "doorlock.h"

/* Backported to 6.1.y late; without it the events group would be open. */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "doorlock needs GENL_MCAST_CAP_NET_ADMIN (Linux 6.7, or a 6.1.y with it)"
#endif

enum doorlock_mcgrp_ids {
	DOORLOCK_MCGRP_EVENTS,
};

static const struct genl_multicast_group doorlock_mcgrps[] = {
	[DOORLOCK_MCGRP_EVENTS] = {
		.name = DOORLOCK_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* Each command takes only its own attributes; anything else is refused. */
static const struct nla_policy doorlock_get_device_policy[] = {
	[DOORLOCK_A_DEVICE] = NLA_POLICY_MAX(NLA_U32, DOORLOCK_MAX_DEVICES - 1),
};

static const struct nla_policy doorlock_get_result_policy[] = {
	[DOORLOCK_A_DEVICE] = NLA_POLICY_MAX(NLA_U32, DOORLOCK_MAX_DEVICES - 1),
	[DOORLOCK_A_COOKIE] = { .type = NLA_U64 },
	[DOORLOCK_A_ACTION_ID] = { .type = NLA_U64 },
};

static struct genl_family doorlock_genl_family;

/* Each message's exact size: @u32s and @u64s attributes, and the label. */
static size_t doorlock_nl_size(struct doorlock *dl, int u32s, int u64s)
{
	return u32s * nla_total_size(sizeof(u32)) +
	       u64s * nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(strlen(dl->label) + 1);
}

static int doorlock_nl_put_event(struct sk_buff *skb, struct doorlock *dl,
				 const struct doorlock_event *ev)
{
	if (nla_put_u32(skb, DOORLOCK_A_DEVICE, ev->device) ||
	    nla_put_string(skb, DOORLOCK_A_LABEL, dl->label) ||
	    nla_put_u32(skb, DOORLOCK_A_EVENT_TYPE, ev->type) ||
	    nla_put_u64_64bit(skb, DOORLOCK_A_TIMESTAMP_NS, ev->timestamp_ns,
			      DOORLOCK_A_PAD) ||
	    nla_put_u64_64bit(skb, DOORLOCK_A_ACTION_ID, ev->action_id,
			      DOORLOCK_A_PAD) ||
	    nla_put_u64_64bit(skb, DOORLOCK_A_COOKIE, ev->cookie,
			      DOORLOCK_A_PAD) ||
	    nla_put_u32(skb, DOORLOCK_A_SEQ, ev->seq) ||
	    nla_put_u32(skb, DOORLOCK_A_ACTION, ev->action) ||
	    nla_put_u32(skb, DOORLOCK_A_RESULT, ev->result) ||
	    nla_put_u32(skb, DOORLOCK_A_BOLT_STATE, ev->bolt_state) ||
	    nla_put_u32(skb, DOORLOCK_A_TRAVEL_MS, ev->travel_ms))
		return -EMSGSIZE;
	return 0;
}

void doorlock_netlink_event(struct doorlock *dl,
			    const struct doorlock_event *ev)
{
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&doorlock_genl_family, &init_net,
				DOORLOCK_MCGRP_EVENTS))
		return;
	/* DEVICE ... TRAVEL_MS; TIMESTAMP_NS, ACTION_ID, COOKIE; LABEL. */
	skb = genlmsg_new(doorlock_nl_size(dl, 7, 3), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &doorlock_genl_family, 0,
			  DOORLOCK_CMD_EVENT);
	if (!hdr)
		goto err_free;
	if (doorlock_nl_put_event(skb, dl, ev))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&doorlock_genl_family, skb, 0, DOORLOCK_MCGRP_EVENTS,
			  GFP_KERNEL);
	return;

err_cancel:
	genlmsg_cancel(skb, hdr);
err_free:
	nlmsg_free(skb);
}

/* @cb: the dump this message is part of, or NULL for a reply */
static int doorlock_nl_put_device(struct sk_buff *skb, struct doorlock *dl,
				  struct netlink_callback *cb, u32 portid,
				  u32 seq, int flags)
{
	void *hdr;
	int ret = -EMSGSIZE;

	hdr = genlmsg_put(skb, portid, seq, &doorlock_genl_family, flags,
			  DOORLOCK_CMD_GET_DEVICE);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	mutex_lock(&dl->lock);
	if (nla_put_u32(skb, DOORLOCK_A_DEVICE, dl->id) ||
	    nla_put_string(skb, DOORLOCK_A_LABEL, dl->label) ||
	    nla_put_u32(skb, DOORLOCK_A_BOLT_STATE, dl->state) ||
	    nla_put_u32(skb, DOORLOCK_A_ENABLED, dl->enabled && !dl->gone) ||
	    nla_put_u32(skb, DOORLOCK_A_LAST_ERROR, dl->last_error) ||
	    nla_put_u32(skb, DOORLOCK_A_SEQ, dl->seq) ||
	    nla_put_u32(skb, DOORLOCK_A_ACTION, dl->action) ||
	    nla_put_u64_64bit(skb, DOORLOCK_A_ACTION_ID, dl->action_id,
			      DOORLOCK_A_PAD) ||
	    nla_put_u64_64bit(skb, DOORLOCK_A_COOKIE, dl->cookie,
			      DOORLOCK_A_PAD))
		goto out;
	ret = 0;
out:
	mutex_unlock(&dl->lock);
	if (ret)
		genlmsg_cancel(skb, hdr);
	else
		genlmsg_end(skb, hdr);
	return ret;
}

/* Called with doorlock_list_lock held. */
static struct doorlock *doorlock_nl_find(struct genl_info *info)
{
	struct doorlock *dl;
	u32 id;

	if (GENL_REQ_ATTR_CHECK(info, DOORLOCK_A_DEVICE))
		return ERR_PTR(-EINVAL);
	id = nla_get_u32(info->attrs[DOORLOCK_A_DEVICE]);
	list_for_each_entry(dl, &doorlock_list, node)
		if (dl->id == id)
			return dl;
	NL_SET_BAD_ATTR(info->extack, info->attrs[DOORLOCK_A_DEVICE]);
	GENL_SET_ERR_MSG(info, "no such doorlock device");
	return ERR_PTR(-ENODEV);
}

static int doorlock_nl_get_device(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct doorlock *dl;
	int ret;

	mutex_lock(&doorlock_list_lock);
	dl = doorlock_nl_find(info);
	if (IS_ERR(dl)) {
		mutex_unlock(&doorlock_list_lock);
		return PTR_ERR(dl);
	}
	/* DEVICE ... ACTION; ACTION_ID, COOKIE; LABEL. */
	msg = genlmsg_new(doorlock_nl_size(dl, 6, 2), GFP_KERNEL);
	ret = msg ? doorlock_nl_put_device(msg, dl, NULL, info->snd_portid,
					   info->snd_seq, 0) : -ENOMEM;
	mutex_unlock(&doorlock_list_lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int doorlock_nl_dump_devices(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct doorlock *dl;
	long idx = 0;

	mutex_lock(&doorlock_list_lock);
	/* A lock bound or unbound between two parts flags the dump. */
	cb->seq = doorlock_list_gen;
	list_for_each_entry(dl, &doorlock_list, node) {
		if (idx++ < cb->args[0])
			continue;
		if (doorlock_nl_put_device(skb, dl, cb,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			idx--;
			break;
		}
	}
	mutex_unlock(&doorlock_list_lock);
	cb->args[0] = idx;
	return skb->len;
}

static int doorlock_nl_get_result(struct sk_buff *skb, struct genl_info *info)
{
	struct doorlock_result_query q = { };
	struct sk_buff *msg;
	struct doorlock *dl;
	void *hdr;
	int ret;

	/* By id, or by cookie: exactly one of the two. */
	if (!info->attrs[DOORLOCK_A_ACTION_ID] ==
	    !info->attrs[DOORLOCK_A_COOKIE]) {
		if (info->attrs[DOORLOCK_A_COOKIE])
			GENL_SET_ERR_MSG(info, "ACTION_ID or COOKIE, not both");
		else
			GENL_SET_ERR_MSG(info, "ACTION_ID or COOKIE is needed");
		return -EINVAL;
	}
	if (info->attrs[DOORLOCK_A_ACTION_ID]) {
		q.action_id = nla_get_u64(info->attrs[DOORLOCK_A_ACTION_ID]);
	} else {
		q.cookie = nla_get_u64(info->attrs[DOORLOCK_A_COOKIE]);
		q.flags = DOORLOCK_RESULT_F_BY_COOKIE;
	}

	mutex_lock(&doorlock_list_lock);
	dl = doorlock_nl_find(info);
	ret = IS_ERR(dl) ? PTR_ERR(dl) : doorlock_get_result(dl, &q);
	mutex_unlock(&doorlock_list_lock);
	if (ret == -ENOENT)
		GENL_SET_ERR_MSG(info, "no recent action with that id or cookie");
	if (ret)
		return ret;

	/* DEVICE, ACTION, RESULT, TRAVEL_MS, PENDING, SEQ; ACTION_ID, COOKIE. */
	msg = genlmsg_new(6 * nla_total_size(sizeof(u32)) +
			  2 * nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &doorlock_genl_family, 0,
				DOORLOCK_CMD_GET_RESULT);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(msg, DOORLOCK_A_DEVICE,
			nla_get_u32(info->attrs[DOORLOCK_A_DEVICE])) ||
	    nla_put_u64_64bit(msg, DOORLOCK_A_ACTION_ID, q.action_id,
			      DOORLOCK_A_PAD) ||
	    nla_put_u64_64bit(msg, DOORLOCK_A_COOKIE, q.cookie,
			      DOORLOCK_A_PAD) ||
	    nla_put_u32(msg, DOORLOCK_A_ACTION, q.action) ||
	    nla_put_u32(msg, DOORLOCK_A_RESULT, q.result) ||
	    nla_put_u32(msg, DOORLOCK_A_TRAVEL_MS, q.travel_ms) ||
	    nla_put_u32(msg, DOORLOCK_A_PENDING, q.pending) ||
	    nla_put_u32(msg, DOORLOCK_A_SEQ, q.seq))
		goto err_cancel;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_cancel:
	genlmsg_cancel(msg, hdr);
err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops doorlock_nl_ops[] = {
	{
		.cmd = DOORLOCK_CMD_GET_DEVICE,
		.doit = doorlock_nl_get_device,
		.dumpit = doorlock_nl_dump_devices,
		.policy = doorlock_get_device_policy,
		.maxattr = ARRAY_SIZE(doorlock_get_device_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = DOORLOCK_CMD_GET_RESULT,
		.doit = doorlock_nl_get_result,
		.policy = doorlock_get_result_policy,
		.maxattr = ARRAY_SIZE(doorlock_get_result_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family doorlock_genl_family __ro_after_init = {
	.name = DOORLOCK_GENL_NAME,
	.version = DOORLOCK_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = doorlock_nl_ops,
	.n_ops = ARRAY_SIZE(doorlock_nl_ops),
	.mcgrps = doorlock_mcgrps,
	.n_mcgrps = ARRAY_SIZE(doorlock_mcgrps),
};

int doorlock_netlink_init(void)
{
	return genl_register_family(&doorlock_genl_family);
}

void doorlock_netlink_exit(void)
{
	genl_unregister_family(&doorlock_genl_family);
}
