// SPDX-License-Identifier: GPL-2.0
/* Names of doorlockd's event types; see event.h. */
#include <string.h>

#include "event.h"

const char * const event_type_names[EVENT_TYPE_COUNT] = {
	[EVENT_ACTION_COMPLETED] = "lock.action_completed",
	[EVENT_DOOR_OPENED] = "lock.door_opened",
	[EVENT_DOOR_CLOSED] = "lock.door_closed",
	[EVENT_DEVICE_ONLINE] = "device.online",
	[EVENT_DEVICE_OFFLINE] = "device.offline",
};

bool event_type_known(const char *name)
{
	int i;

	for (i = 0; i < EVENT_TYPE_COUNT; i++)
		if (!strcmp(name, event_type_names[i]))
			return true;
	return false;
}
