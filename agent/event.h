/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The events doorlockd emits (README.md, Events), by name. Every event is a
 * JSON object with event_type, device_id (the lock_id), event_id, seq and
 * timestamp; lock.action_completed carries the action's fields too.
 */
#ifndef _DOORLOCKD_EVENT_H
#define _DOORLOCKD_EVENT_H

#include <stdbool.h>

enum event_type {
	EVENT_ACTION_COMPLETED,
	EVENT_DOOR_OPENED,
	EVENT_DOOR_CLOSED,
	EVENT_DEVICE_ONLINE,
	EVENT_DEVICE_OFFLINE,
	EVENT_TYPE_COUNT,
};

extern const char * const event_type_names[EVENT_TYPE_COUNT];

/* Whether @name is one of event_type_names. */
bool event_type_known(const char *name);

#endif /* _DOORLOCKD_EVENT_H */
