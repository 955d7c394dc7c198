// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: events and the results of recent actions.
 *
 * Every event goes to each open /dev/doorlockN and to the netlink group;
 * the result of every action is also kept by id, so a reader that lost
 * events (a full queue, a netlink overrun) can still learn how its actions
 * ended.
 */

#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/string.h>

#include "doorlock.h"

u32 doorlock_emit(struct doorlock *dl, enum doorlock_event_type type,
		  enum doorlock_action action, enum doorlock_result result,
		  u32 travel_ms, u64 action_id, u64 cookie, u64 timestamp_ns)
{
	struct doorlock_event ev;

	lockdep_assert_held(&dl->lock);
	/* Edges between the IRQs' request and DEVICE_ADDED are not news. */
	if (!dl->started)
		return dl->seq;
	memset(&ev, 0, sizeof(ev));
	ev.timestamp_ns = timestamp_ns;
	ev.action_id = action_id;
	ev.cookie = cookie;
	ev.seq = ++dl->seq;
	ev.type = type;
	ev.action = action;
	ev.result = result;
	ev.bolt_state = dl->state;
	ev.travel_ms = travel_ms;
	ev.device = dl->id;

	doorlock_readers_push(dl, &ev);
	doorlock_netlink_event(dl, &ev);
	return ev.seq;
}

void doorlock_result_pending(struct doorlock *dl, u64 action_id, u64 cookie,
			     enum doorlock_action action)
{
	struct doorlock_result_entry *e;

	lockdep_assert_held(&dl->lock);
	e = &dl->results[dl->next_result];
	dl->next_result = (dl->next_result + 1) % DOORLOCK_RESULTS_KEPT;
	memset(e, 0, sizeof(*e));
	e->action_id = action_id;
	e->cookie = cookie;
	e->action = action;
	e->pending = true;
	e->used = true;
}

/* Newest first, so a reused cookie finds its latest action. */
struct doorlock_result_entry *doorlock_result_find(struct doorlock *dl,
						   u64 key, bool by_cookie)
{
	struct doorlock_result_entry *e;
	unsigned int i, n;

	lockdep_assert_held(&dl->lock);
	for (i = 1; i <= DOORLOCK_RESULTS_KEPT; i++) {
		n = (dl->next_result + DOORLOCK_RESULTS_KEPT - i) %
		    DOORLOCK_RESULTS_KEPT;
		e = &dl->results[n];
		if (e->used && (by_cookie ? e->cookie : e->action_id) == key)
			return e;
	}
	return NULL;
}

void doorlock_result_done(struct doorlock *dl, u64 action_id,
			  enum doorlock_result result, u32 travel_ms, u32 seq)
{
	struct doorlock_result_entry *e;

	e = doorlock_result_find(dl, action_id, false);
	if (!e || !e->pending)
		return;
	e->result = result;
	e->travel_ms = travel_ms;
	e->seq = seq;
	e->pending = false;
}
