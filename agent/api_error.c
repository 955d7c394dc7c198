// SPDX-License-Identifier: GPL-2.0
/* Error codes, HTTP statuses and messages of the API; see api_error.h. */
#include <errno.h>
#include <stddef.h>

#include "api_error.h"
#include "util.h"

/* The agent's own codes; the driver's are named by the uapi header. */
static const char * const own_result_names[] = {
	[API_RESULT_FIRMWARE_REJECTED] = "FIRMWARE_REJECTED",
	[API_RESULT_DEVICE_OFFLINE] = "DEVICE_OFFLINE",
	[API_RESULT_ACTION_IN_PROGRESS] = "ACTION_IN_PROGRESS",
};

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
	[API_E_TOO_MANY_ATTEMPTS] = { 429, "TOO_MANY_ATTEMPTS",
		"Too many wrong tokens from this address: try again after Retry-After seconds." },
	[API_E_INTERNAL] = { 500, "INTERNAL_ERROR",
		"The agent could not record the request; try again." },
};

/* Indexed by enum api_result. */
static const struct {
	int http_status;
	const char *lock_msg;
	const char *unlock_msg;
} result_info[] = {
	[API_RESULT_LOCK_JAMMED] = { 409,
		"The deadbolt could not extend.",
		"The deadbolt could not retract." },
	[API_RESULT_BOLT_OBSTRUCTED] = { 409,
		"The lock mechanism is obstructed.",
		"The lock mechanism is obstructed." },
	[API_RESULT_BOLT_NOT_FULLY_EXTENDED] = { 409,
		"The deadbolt did not fully extend.",
		"The deadbolt did not fully extend." },
	[API_RESULT_MECHANISM_ERROR] = { 409,
		"The lock's sensors contradict each other; the mechanism needs service.",
		"The lock's sensors contradict each other; the mechanism needs service." },
	[API_RESULT_FIRMWARE_REJECTED] = { 503,
		"The device is not accepting commands.",
		"The device is not accepting commands." },
	[API_RESULT_DEVICE_OFFLINE] = { 503,
		"The device is currently offline and cannot accept commands.",
		"The device is currently offline and cannot accept commands." },
	[API_RESULT_ACTION_IN_PROGRESS] = { 409,
		"Another action on this lock has not finished.",
		"Another action on this lock has not finished." },
};

static struct api_error_info result_answer;

const struct api_error_info *api_error_info(enum api_error e)
{
	return (unsigned int)e < API_E_COUNT ? &api_errors[e] :
	       &api_errors[API_E_INTERNAL];
}

enum api_result api_result_from_driver(unsigned int r)
{
	switch (r) {
	case DOORLOCK_OK:
		return API_RESULT_OK;
	case DOORLOCK_E_LOCK_JAMMED:
		return API_RESULT_LOCK_JAMMED;
	case DOORLOCK_E_BOLT_OBSTRUCTED:
		return API_RESULT_BOLT_OBSTRUCTED;
	case DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED:
		return API_RESULT_BOLT_NOT_FULLY_EXTENDED;
	case DOORLOCK_E_ABORTED:
		/* Unbound, suspended or going down: it stopped taking them. */
		return API_RESULT_FIRMWARE_REJECTED;
	default:
		/* A failure this agent has no word for: the mechanism's. */
		return API_RESULT_MECHANISM_ERROR;
	}
}

enum api_result api_result_from_refusal(int err)
{
	switch (err) {
	case EBUSY:
		return API_RESULT_ACTION_IN_PROGRESS;
	case EPERM:
		return API_RESULT_FIRMWARE_REJECTED;
	case EIO:
		return API_RESULT_BOLT_OBSTRUCTED;
	case EPROTO:
		return API_RESULT_MECHANISM_ERROR;
	default:
		/* ENODEV, or anything else: the device cannot be used. */
		return API_RESULT_DEVICE_OFFLINE;
	}
}

const struct api_error_info *api_result_info(unsigned int r,
					     enum doorlock_action action)
{
	if (r >= ARRAY_SIZE(result_info) || !result_info[r].http_status)
		return NULL;
	/* Single-threaded daemon: one answer is built at a time. */
	result_answer.http_status = result_info[r].http_status;
	result_answer.code = api_result_name(r);
	result_answer.message = action == DOORLOCK_ACTION_LOCK ?
				result_info[r].lock_msg :
				result_info[r].unlock_msg;
	return &result_answer;
}

const char *api_result_name(unsigned int r)
{
	if (r <= API_RESULT_MECHANISM_ERROR)
		return doorlock_result_name(r);
	return r < ARRAY_SIZE(own_result_names) ? own_result_names[r] : NULL;
}

const char *api_action_name(unsigned int a)
{
	return doorlock_action_name(a);
}

const char *api_bolt_state_name(unsigned int s)
{
	return doorlock_bolt_state_name(s);
}
