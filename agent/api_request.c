// SPDX-License-Identifier: GPL-2.0
/* Request body validation with jansson; see api_request.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "api_error.h"
#include "api_request.h"
#include "event.h"
#include "util.h"

static __printf(3, 4) int bad(char *msg, size_t msglen, const char *fmt, ...);

static int bad(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * Parses @body as one JSON object, refusing duplicate keys and, by name,
 * any key not in @keys.
 */
static json_t *load_object(const char *body, size_t len,
			   const char * const *keys, char *msg, size_t msglen)
{
	const char * const *k;
	json_error_t err;
	const char *key;
	json_t *root, *v;

	if (!len) {
		bad(msg, msglen, "the request body is empty; expected a JSON object");
		return NULL;
	}
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		bad(msg, msglen, "malformed JSON at line %d, column %d: %s",
		    err.line, err.column, err.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		bad(msg, msglen, "expected a JSON object");
		goto err;
	}
	json_object_foreach(root, key, v) {
		for (k = keys; *k && strcmp(*k, key); k++)
			;
		if (!*k) {
			bad(msg, msglen, "unknown field \"%.64s\"", key);
			goto err;
		}
	}
	return root;

err:
	json_decref(root);
	return NULL;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

int api_parse_action(const char *body, size_t len, struct action_request *req,
		     char *msg, size_t msglen)
{
	static const char * const keys[] = { "action", "custom_id", NULL };
	const char *action;
	json_t *root, *v;
	int ret = -EINVAL;

	memset(req, 0, sizeof(req[0]));
	root = load_object(body, len, keys, msg, msglen);
	if (!root)
		return -EINVAL;
	v = json_object_get(root, "action");
	if (!v) {
		bad(msg, msglen, "\"action\" is required: \"lock\" or \"unlock\"");
		goto out;
	}
	action = json_string_value(v);
	if (!action) {
		bad(msg, msglen, "\"action\" must be a string: \"lock\" or \"unlock\"");
		goto out;
	}
	if (!strcmp(action, api_action_name(DOORLOCK_ACTION_LOCK))) {
		req->action = DOORLOCK_ACTION_LOCK;
	} else if (!strcmp(action, api_action_name(DOORLOCK_ACTION_UNLOCK))) {
		req->action = DOORLOCK_ACTION_UNLOCK;
	} else {
		bad(msg, msglen, "unknown action \"%.32s\": expected \"lock\" or \"unlock\"",
		    action);
		goto out;
	}
	v = json_object_get(root, "custom_id");
	if (v) {
		if (!json_is_string(v)) {
			bad(msg, msglen, "\"custom_id\" must be a string");
			goto out;
		}
		if (!json_string_length(v) ||
		    json_string_length(v) > API_CUSTOM_ID_MAX ||
		    strlen(json_string_value(v)) != json_string_length(v) ||
		    !printable(json_string_value(v))) {
			bad(msg, msglen, "\"custom_id\" must be 1 to %d printable ASCII characters without spaces",
			    API_CUSTOM_ID_MAX);
			goto out;
		}
		strcpy(req->custom_id, json_string_value(v));
	}
	ret = 0;
out:
	json_decref(root);
	return ret;
}

int api_parse_webhook(const char *body, size_t len,
		      struct webhook_request *req, char *msg, size_t msglen)
{
	static const char * const keys[] = { "url", "events", NULL };
	json_t *root, *v, *e;
	const char *url;
	int ret = -EINVAL;
	size_t i;

	memset(req, 0, sizeof(req[0]));
	root = load_object(body, len, keys, msg, msglen);
	if (!root)
		return -EINVAL;
	v = json_object_get(root, "url");
	url = json_string_value(v);
	if (!url) {
		bad(msg, msglen, "\"url\" is required and must be a string");
		goto out;
	}
	if ((strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) ||
	    strlen(url) >= sizeof(req->url) || !printable(url)) {
		bad(msg, msglen, "\"url\" must be an http:// or https:// URL shorter than %zu characters",
		    sizeof(req->url));
		goto out;
	}
	strcpy(req->url, url);
	v = json_object_get(root, "events");
	if (!v) {
		ret = 0;
		goto out;
	}
	if (!json_is_array(v) || !json_array_size(v) ||
	    json_array_size(v) > CONFIG_EVENT_TYPES_MAX) {
		bad(msg, msglen, "\"events\" must be a list of 1 to %d event types",
		    CONFIG_EVENT_TYPES_MAX);
		goto out;
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) ||
		    !event_type_known(json_string_value(e))) {
			bad(msg, msglen, "\"events\"[%zu] is not an event type doorlockd emits",
			    i);
			goto out;
		}
		strcpy(req->events[i], json_string_value(e));
	}
	req->n_events = json_array_size(v);
	ret = 0;
out:
	json_decref(root);
	return ret;
}
