// SPDX-License-Identifier: GPL-2.0
/* Error codes, HTTP statuses and messages of the API; see api_error.h. */
#include <stddef.h>

#include "api_error.h"
#include "util.h"

static const char * const result_names[] = DOORLOCK_RESULT_NAMES;
static const char * const action_names[] = DOORLOCK_ACTION_NAMES;
static const char * const bolt_state_names[] = DOORLOCK_BOLT_STATE_NAMES;

static const struct api_error_info api_errors[API_E_COUNT] = {
	[API_E_INVALID_REQUEST] = { 400, "INVALID_REQUEST",
		"The request is malformed." },
	[API_E_UNAUTHORIZED] = { 401, "UNAUTHORIZED",
		"A valid bearer token is required." },
	[API_E_LOCK_NOT_FOUND] = { 404, "LOCK_NOT_FOUND",
		"No lock has this lock_id." },
	[API_E_ACTION_NOT_FOUND] = { 404, "ACTION_NOT_FOUND",
		"This lock has no action with this action_id." },
	[API_E_NOT_FOUND] = { 404, "NOT_FOUND",
		"No such endpoint." },
	[API_E_METHOD_NOT_ALLOWED] = { 405, "METHOD_NOT_ALLOWED",
		"This endpoint does not take this method." },
	[API_E_LENGTH_REQUIRED] = { 411, "INVALID_REQUEST",
		"A request body needs a Content-Length header." },
	[API_E_PAYLOAD_TOO_LARGE] = { 413, "INVALID_REQUEST",
		"The request body is larger than 16 KiB." },
	[API_E_CUSTOM_ID_CONFLICT] = { 409, "CUSTOM_ID_CONFLICT",
		"This custom_id was already used for a different action." },
	[API_E_INTERNAL] = { 500, "INTERNAL_ERROR",
		"The agent could not record the request; try again." },
};

/* Indexed by enum doorlock_result; the code is the uapi's name. */
static const struct {
	int http_status;
	const char *lock_msg;
	const char *unlock_msg;
} result_info[DOORLOCK_RESULT_COUNT] = {
	[DOORLOCK_E_LOCK_JAMMED] = { 409,
		"The deadbolt could not extend.",
		"The deadbolt could not retract." },
	[DOORLOCK_E_BOLT_OBSTRUCTED] = { 409,
		"The lock mechanism is obstructed.",
		"The lock mechanism is obstructed." },
	[DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED] = { 409,
		"The deadbolt did not fully extend.",
		"The deadbolt did not fully extend." },
	[DOORLOCK_E_MECHANISM_ERROR] = { 409,
		"The lock's sensors contradict each other; the mechanism needs service.",
		"The lock's sensors contradict each other; the mechanism needs service." },
	[DOORLOCK_E_FIRMWARE_REJECTED] = { 503,
		"The device is not accepting commands.",
		"The device is not accepting commands." },
	[DOORLOCK_E_DEVICE_OFFLINE] = { 503,
		"The device is currently offline and cannot accept commands.",
		"The device is currently offline and cannot accept commands." },
	[DOORLOCK_E_ACTION_IN_PROGRESS] = { 409,
		"Another action on this lock has not finished.",
		"Another action on this lock has not finished." },
};

static struct api_error_info result_answer;

const struct api_error_info *api_error_info(enum api_error e)
{
	return (unsigned int)e < API_E_COUNT ? &api_errors[e] :
	       &api_errors[API_E_INTERNAL];
}

const struct api_error_info *api_result_info(enum doorlock_result r,
					     enum doorlock_action action)
{
	if ((unsigned int)r >= DOORLOCK_RESULT_COUNT || r == DOORLOCK_OK ||
	    !result_info[r].http_status)
		return NULL;
	/* Single-threaded daemon: one answer is built at a time. */
	result_answer.http_status = result_info[r].http_status;
	result_answer.code = result_names[r];
	result_answer.message = action == DOORLOCK_ACTION_LOCK ?
				result_info[r].lock_msg :
				result_info[r].unlock_msg;
	return &result_answer;
}

const char *api_result_name(unsigned int r)
{
	return r < ARRAY_SIZE(result_names) ? result_names[r] : NULL;
}

const char *api_action_name(unsigned int a)
{
	return a < ARRAY_SIZE(action_names) ? action_names[a] : NULL;
}

const char *api_bolt_state_name(unsigned int s)
{
	return s < ARRAY_SIZE(bolt_state_names) ? bolt_state_names[s] : NULL;
}
