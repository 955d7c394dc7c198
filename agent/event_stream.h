/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live event stream: WebSocket clients of GET /events/stream get each
 * event, as committed to the durable log, as one text message. A client
 * that falls too far behind is disconnected rather than allowed to grow
 * the daemon's memory; it can catch up with GET /events?after=<seq>.
 */
#ifndef _DOORLOCKD_EVENT_STREAM_H
#define _DOORLOCKD_EVENT_STREAM_H

#include <libwebsockets.h>

#define EVENT_STREAM_PATH	"/events/stream"
#define EVENT_STREAM_QUEUE_MAX	256

struct stream_msg;

/* Lives in the connection's session data. */
struct stream_client {
	struct lws *wsi;
	struct stream_client *next;
	struct stream_msg *head, *tail;
	unsigned int queued;
	int overflowed;
};

struct event_stream;

int event_stream_new(struct event_stream **out);
void event_stream_free(struct event_stream *s);
void event_stream_join(struct event_stream *s, struct stream_client *c,
		       struct lws *wsi);
void event_stream_leave(struct event_stream *s, struct stream_client *c);
/* Queues @text for one client (a replay of past events). */
void event_stream_send(struct stream_client *c, const char *text);
/* Queues @text for every client. */
void event_stream_publish(struct event_stream *s, const char *text);
/* On LWS_CALLBACK_SERVER_WRITEABLE: -1 closes the connection. */
int event_stream_writable(struct stream_client *c);

#endif /* _DOORLOCKD_EVENT_STREAM_H */
