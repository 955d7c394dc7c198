/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Webhook delivery from the durable log: each endpoint walks each lock's
 * events in order, one delivery in flight per endpoint and lock, signed
 * per Standard Webhooks, retried on the schedule of retry.h. Progress is
 * in the log, so a restart resumes where delivery stopped; an event is
 * delivered at least once, always under the same webhook-id.
 */
#ifndef _DOORLOCKD_WEBHOOKS_H
#define _DOORLOCKD_WEBHOOKS_H

#include <libwebsockets.h>

#include "api_request.h"
#include "store.h"

/*
 * A receiver gets this long to answer before the attempt counts as failed;
 * lws applies it to each step of a client connection.
 */
#define WEBHOOK_TIMEOUT_S	15

struct agent;

extern const struct lws_protocols webhooks_protocol;

/* Records the configured endpoints and starts delivering. */
int webhooks_start(struct agent *a);
void webhooks_stop(struct agent *a);
/* New events were committed. */
void webhooks_kick(struct agent *a);
/* POST /webhooks: a new endpoint with a fresh secret, in @out. */
int webhooks_register(struct agent *a, const struct webhook_request *req,
		      struct webhook_rec *out);

#endif /* _DOORLOCKD_WEBHOOKS_H */
