/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API's error answers: {"error_code": ..., "message": ...} with an
 * HTTP status. The driver's codes keep the names the uapi header gives
 * them; the request errors are the API's own.
 */
#ifndef _DOORLOCKD_API_ERROR_H
#define _DOORLOCKD_API_ERROR_H

#include <linux/doorlock.h>

enum api_error {
	API_E_INVALID_REQUEST,
	API_E_UNAUTHORIZED,
	API_E_LOCK_NOT_FOUND,
	API_E_ACTION_NOT_FOUND,
	API_E_NOT_FOUND,
	API_E_METHOD_NOT_ALLOWED,
	API_E_LENGTH_REQUIRED,
	API_E_PAYLOAD_TOO_LARGE,
	API_E_CUSTOM_ID_CONFLICT,
	API_E_INTERNAL,
	API_E_COUNT,
};

struct api_error_info {
	int http_status;
	const char *code;
	const char *message;
};

const struct api_error_info *api_error_info(enum api_error e);
/*
 * How a driver result is reported: @action picks the wording ("could not
 * retract" for an unlock). NULL for DOORLOCK_OK or an unknown value.
 */
const struct api_error_info *api_result_info(enum doorlock_result r,
					     enum doorlock_action action);
/* The uapi spelling of @r ("LOCK_JAMMED"), or NULL. */
const char *api_result_name(unsigned int r);
/* The uapi spelling of @a ("lock"), or NULL. */
const char *api_action_name(unsigned int a);
/* The uapi spelling of bolt state @s ("not_fully_locked"), or NULL. */
const char *api_bolt_state_name(unsigned int s);

#endif /* _DOORLOCKD_API_ERROR_H */
