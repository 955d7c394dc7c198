/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorlockd's state: the configuration, the lws context, the durable log
 * and one struct lock per configured lock. Single-threaded: everything
 * runs from the lws loop.
 */
#ifndef _DOORLOCKD_AGENT_H
#define _DOORLOCKD_AGENT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "config.h"
#include "store.h"

struct auth_throttle;
struct conn_limit;
struct device_link;
struct door_sensor;
struct fdwatch;
struct webhooks;
struct event_stream;

enum door_state {
	DOOR_UNKNOWN,
	DOOR_CLOSED,
	DOOR_OPEN,
};

struct lock {
	struct agent *agent;
	const struct config_lock *cfg;

	/* The driver's device, while online. */
	bool online;
	int device;			/* N of doorlockN, or -1 */
	int fd;				/* /dev/doorlockN, or -1 */
	struct fdwatch *dev_watch;
	unsigned int bolt_state;	/* enum doorlock_bolt_state, or: */
#define LOCK_BOLT_UNKNOWN	UINT_MAX
	unsigned int last_error;	/* enum api_result */
	long long updated_at;
	/* After a resync, events up to this driver seq are already counted. */
	bool resynced;
	unsigned int resync_seq;

	/* The API action the driver is carrying out, if any. */
	bool busy;
	struct action_rec inflight;

	struct door_sensor *door;
	struct fdwatch *door_watch;
	enum door_state door_state;
	bool door_warned;
};

struct agent {
	struct config cfg;
	struct lws_context *ctx;
	struct lws_vhost *vhost;
	struct conn_limit *conns;
	struct auth_throttle *throttle;
	struct store *store;
	struct lock *locks;
	size_t n_locks;
	struct device_link *link;
	struct webhooks *hooks;
	struct event_stream *stream;
	/* OpenSSL is loaded: HTTPS served, https webhooks possible. */
	bool tls;
	/* Shutting down: closing descriptors is not the device going away. */
	bool stopping;
};

struct lock *agent_lock(struct agent *a, const char *lock_id);

#endif /* _DOORLOCKD_AGENT_H */
