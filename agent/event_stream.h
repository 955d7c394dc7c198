/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live event stream: WebSocket clients of GET /events/stream get each
 * event, as committed to the durable log, as one text message. A client
 * that asked for a replay (?after=) is fed the log a page at a time, as it
 * drains its queue, and gets live events only once it has caught up: the
 * log holds every event published meanwhile. A live client that falls too
 * far behind is disconnected rather than allowed to grow the daemon's
 * memory; it can reconnect with ?after=<the last seq it got>.
 */
#ifndef _DOORLOCKD_EVENT_STREAM_H
#define _DOORLOCKD_EVENT_STREAM_H

#include <libwebsockets.h>

#define EVENT_STREAM_PATH	"/events/stream"
#define EVENT_STREAM_QUEUE_MAX	256
#define EVENT_STREAM_REPLAY_PAGE	64

struct stream_msg;

/* Lives in the connection's session data. */
struct stream_client {
	struct lws *wsi;
	struct stream_client *next;
	struct stream_msg *head, *tail;
	unsigned int queued;
	int overflowed;
	int catching_up;	/* replaying the log: live events skipped */
	long long replayed_seq;	/* the last seq replayed */
};

struct event_stream;

int event_stream_new(struct event_stream **out);
void event_stream_free(struct event_stream *s);
void event_stream_join(struct event_stream *s, struct stream_client *c,
		       struct lws *wsi);
void event_stream_leave(struct event_stream *s, struct stream_client *c);
/* Queues @text for one client (a replay of past events). */
void event_stream_send(struct stream_client *c, const char *text);
/* Queues @text for every client that has caught up with the log. */
void event_stream_publish(struct event_stream *s, const char *text);
/* On LWS_CALLBACK_SERVER_WRITEABLE: -1 closes the connection. */
int event_stream_writable(struct stream_client *c);

#endif /* _DOORLOCKD_EVENT_STREAM_H */
