// SPDX-License-Identifier: GPL-2.0
/* The WebSocket event stream's queues; see event_stream.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event_stream.h"
#include "log.h"

struct stream_msg {
	struct stream_msg *next;
	size_t len;
	unsigned char buf[];	/* LWS_PRE headroom, then the text */
};

struct event_stream {
	struct stream_client *clients;
};

int event_stream_new(struct event_stream **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void event_stream_free(struct event_stream *s)
{
	free(s);
}

void event_stream_join(struct event_stream *s, struct stream_client *c,
		       struct lws *wsi)
{
	memset(c, 0, sizeof(*c));
	c->wsi = wsi;
	c->next = s->clients;
	s->clients = c;
}

void event_stream_leave(struct event_stream *s, struct stream_client *c)
{
	struct stream_client **p;
	struct stream_msg *m;

	for (p = &s->clients; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	while (c->head) {
		m = c->head;
		c->head = m->next;
		free(m);
	}
	c->tail = NULL;
	c->queued = 0;
}

static void enqueue(struct stream_client *c, const char *text, size_t len)
{
	struct stream_msg *m;

	if (c->overflowed)
		return;
	if (c->queued >= EVENT_STREAM_QUEUE_MAX) {
		log_warn("event stream: a client fell %d events behind; closing it",
			 EVENT_STREAM_QUEUE_MAX);
		c->overflowed = 1;
		lws_callback_on_writable(c->wsi);
		return;
	}
	m = malloc(sizeof(*m) + LWS_PRE + len);
	if (!m) {
		c->overflowed = 1;
		lws_callback_on_writable(c->wsi);
		return;
	}
	m->next = NULL;
	m->len = len;
	memcpy(m->buf + LWS_PRE, text, len);
	if (c->tail)
		c->tail->next = m;
	else
		c->head = m;
	c->tail = m;
	c->queued++;
	lws_callback_on_writable(c->wsi);
}

void event_stream_send(struct stream_client *c, const char *text)
{
	enqueue(c, text, strlen(text));
}

void event_stream_publish(struct event_stream *s, const char *text)
{
	size_t len = strlen(text);
	struct stream_client *c;

	for (c = s->clients; c; c = c->next)
		if (!c->catching_up)
			enqueue(c, text, len);
}

int event_stream_writable(struct stream_client *c)
{
	struct stream_msg *m = c->head;

	if (c->overflowed) {
		lws_close_reason(c->wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION,
				 (unsigned char *)"too far behind", 14);
		return -1;
	}
	if (!m)
		return 0;
	if (lws_write(c->wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT) <
	    (int)m->len)
		return -1;
	c->head = m->next;
	if (!c->head)
		c->tail = NULL;
	c->queued--;
	free(m);
	if (c->head)
		lws_callback_on_writable(c->wsi);
	return 0;
}
