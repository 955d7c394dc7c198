/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One lock as the API sees it: its actions, its state, and the events
 * that say what happened to it, attributed (the token's performed_via for
 * an API action, manual_turn for a bolt that moved with no command).
 * Every event is committed to the durable log before it is published.
 */
#ifndef _DOORLOCKD_LOCK_H
#define _DOORLOCKD_LOCK_H

#include <jansson.h>

#include <linux/doorlock.h>

#include "agent.h"
#include "api_error.h"
#include "api_request.h"

/* performed_via of a command another local program gave the driver. */
#define LOCK_VIA_LOCAL_COMMAND	"local_command"
#define LOCK_VIA_MANUAL_TURN	"manual_turn"

int lock_init(struct agent *a, struct lock *l, const struct config_lock *cfg);
void lock_exit(struct lock *l);

/*
 * POST /locks/<id>/actions. 0: a new action, pending, in @out; 1: the
 * replay of the action with this custom_id; -errno: refused, *@err says
 * why.
 */
int lock_submit(struct lock *l, const struct action_request *req,
		const struct config_token *tok, struct action_rec *out,
		const struct api_error_info **err);

json_t *lock_json(const struct lock *l);
json_t *action_json(const struct action_rec *a);

/* From the device link. */
void lock_online(struct lock *l, int device, int fd,
		 const struct doorlock_status *st);
void lock_offline(struct lock *l);
void lock_driver_event(struct lock *l, const struct doorlock_event *ev);
/* Events may have been lost: settle from the driver's own records. */
void lock_resync(struct lock *l);
/* Called every second: retries what could not be opened. */
void lock_tick(struct lock *l);

#endif /* _DOORLOCKD_LOCK_H */
