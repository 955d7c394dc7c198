/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API's error answers: {"error_code": ..., "message": ...} with an
 * HTTP status: the request errors, and how an action ended or why it was
 * refused (SPEC section 3's vocabulary, which sysfs shares).
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
	API_E_TOO_MANY_ATTEMPTS,
	API_E_INTERNAL,
	API_E_COUNT,
};

struct api_error_info {
	int http_status;
	const char *code;
	const char *message;
};

/*
 * How an action ended, or why it was refused, as the API says it: the
 * driver's results (by the driver's numbers and names) and the agent's
 * own. The numbers are those the durable log stores; never renumber one.
 */
enum api_result {
	API_RESULT_OK = DOORLOCK_OK,
	API_RESULT_LOCK_JAMMED = DOORLOCK_E_LOCK_JAMMED,
	API_RESULT_BOLT_OBSTRUCTED = DOORLOCK_E_BOLT_OBSTRUCTED,
	API_RESULT_BOLT_NOT_FULLY_EXTENDED = DOORLOCK_E_BOLT_NOT_FULLY_EXTENDED,
	API_RESULT_MECHANISM_ERROR = DOORLOCK_E_MECHANISM_ERROR,
	/* The agent's own, as earlier versions logged them. */
	API_RESULT_FIRMWARE_REJECTED = 5,
	API_RESULT_DEVICE_OFFLINE = 6,
	API_RESULT_ACTION_IN_PROGRESS = 7,
};

const struct api_error_info *api_error_info(enum api_error e);
/* What the driver's enum doorlock_result @r means to the API. */
enum api_result api_result_from_driver(unsigned int r);
/* What DOORLOCK_IOC_ACTION's refusal -@err means to the API. */
enum api_result api_result_from_refusal(int err);
/*
 * How a result is reported: @action picks the wording ("could not
 * retract" for an unlock). NULL for API_RESULT_OK or an unknown value.
 */
const struct api_error_info *api_result_info(unsigned int r,
					     enum doorlock_action action);
/* The API's code for @r ("LOCK_JAMMED"), "none" for success, or NULL. */
const char *api_result_name(unsigned int r);
/* The API's spelling of @a ("lock"), or NULL. */
const char *api_action_name(unsigned int a);
/* The API's spelling of bolt state @s ("not_fully_locked"), or NULL. */
const char *api_bolt_state_name(unsigned int s);

#endif /* _DOORLOCKD_API_ERROR_H */
