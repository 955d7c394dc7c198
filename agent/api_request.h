/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validation of the API's request bodies. Each parser takes the raw body
 * and either fills its request or fails with -EINVAL and a message that
 * says what was wrong, for an INVALID_REQUEST answer.
 */
#ifndef _DOORLOCKD_API_REQUEST_H
#define _DOORLOCKD_API_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define API_BODY_MAX		16384
#define API_CUSTOM_ID_MAX	128

/* POST /locks/<lock_id>/actions */
struct action_request {
	unsigned int action;			/* enum doorlock_action */
	char custom_id[API_CUSTOM_ID_MAX + 1];	/* "" when not given */
};

/* POST /webhooks */
struct webhook_request {
	char url[CONFIG_URL_MAX];
	char events[CONFIG_EVENT_TYPES_MAX][CONFIG_ID_MAX];
	size_t n_events;			/* 0: every type */
};

int api_parse_action(const char *body, size_t len, struct action_request *req,
		     char *msg, size_t msglen);
int api_parse_webhook(const char *body, size_t len,
		      struct webhook_request *req, char *msg, size_t msglen);

#endif /* _DOORLOCKD_API_REQUEST_H */
