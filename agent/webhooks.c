// SPDX-License-Identifier: GPL-2.0
/*
 * Webhook delivery; see webhooks.h. A lane is one endpoint's walk through
 * one lock's events: it has at most one POST in flight, and moves past an
 * event only when the endpoint took it (any 2xx) or the retry schedule is
 * spent. Each POST is its own lws client connection, so a slow receiver
 * holds only its own lane.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "ids.h"
#include "log.h"
#include "resolver.h"
#include "retry.h"
#include "sha256.h"
#include "util.h"
#include "webhook_sign.h"
#include "webhooks.h"

struct endpoint;

struct lane {
	struct endpoint *ep;
	const char *lock_id;
	struct lane_rec rec;
	bool in_flight;
	lws_sorted_usec_list_t sul;
};

struct endpoint {
	struct webhooks *hooks;
	struct webhook_rec rec;
	struct lane *lanes;		/* one per configured lock */
	struct endpoint *next;
};

struct webhooks {
	struct agent *agent;
	struct endpoint *endpoints;
	struct resolver *resolver;
};

/* One POST: lives from connect until the connection closes. */
struct delivery {
	struct agent *agent;
	struct lane *lane;
	struct event_rec ev;
	char url[CONFIG_URL_MAX];	/* lws_parse_uri cuts this up */
	char path[CONFIG_URL_MAX + 1];
	char signature[WEBHOOK_SIGNATURE_LEN];
	char timestamp[24];
	const char *host;		/* in @url */
	int port;
	bool https;
	unsigned char *tx;		/* LWS_PRE, then the body */
	size_t tx_len;
	int status;
	long retry_after;
	bool done;
	bool connecting;		/* inside lws_client_connect_via_info */
};

static void pump(struct lane *ln);

static bool wanted(const struct endpoint *ep, const char *type)
{
	size_t n = strlen(type);
	const char *p;

	if (!ep->rec.events[0])
		return true;
	for (p = ep->rec.events; (p = strstr(p, type)); p += n)
		if ((p == ep->rec.events || p[-1] == ' ') &&
		    (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static struct store *lane_store(const struct lane *ln)
{
	return ln->ep->hooks->agent->store;
}

static void lane_save(struct lane *ln)
{
	if (store_lane_put(lane_store(ln), ln->ep->rec.webhook_id, ln->lock_id,
			   &ln->rec))
		log_err("webhook %s: progress not recorded; events may be delivered again",
			ln->ep->rec.webhook_id);
}

static void lane_timer(lws_sorted_usec_list_t *sul)
{
	pump(lws_container_of(sul, struct lane, sul));
}

static void lane_schedule(struct lane *ln, long long seconds)
{
	lws_sul_schedule(ln->ep->hooks->agent->ctx, 0, &ln->sul, lane_timer,
			 seconds > 0 ? seconds * LWS_US_PER_SEC : 1);
}

/* The lane is done with event @seq: on to the next one. */
static void lane_next(struct lane *ln, long long seq)
{
	ln->rec.last_seq = seq;
	ln->rec.attempt = 0;
	ln->rec.next_at = 0;
	lane_save(ln);
	lane_schedule(ln, 0);
}

/* How the attempt at @d's event went: move on, retry later, or stop. */
static void delivered(struct delivery *d)
{
	struct lane *ln = d->lane;
	struct endpoint *ep = ln->ep;
	const struct retry_schedule *sched = &ep->hooks->agent->cfg.retry;
	long delay;

	d->done = true;
	ln->in_flight = false;
	if (d->status >= 200 && d->status < 300) {
		log_debug("webhook %s: %s delivered (%d)", ep->rec.webhook_id,
			  d->ev.event_id, d->status);
		lane_next(ln, d->ev.seq);
		return;
	}
	if (d->status == 410) {
		log_warn("webhook %s: %s answered 410 Gone: endpoint disabled",
			 ep->rec.webhook_id, ep->rec.url);
		ep->rec.active = false;
		if (store_webhook_put(lane_store(ln), &ep->rec))
			log_err("webhook %s: could not record it disabled",
				ep->rec.webhook_id);
		return;
	}
	ln->rec.attempt++;
	delay = retry_delay(sched, ln->rec.attempt);
	if (delay < 0) {
		log_err("webhook %s: %s not delivered after %u attempts; skipping it",
			ep->rec.webhook_id, d->ev.event_id, ln->rec.attempt);
		lane_next(ln, d->ev.seq);
		return;
	}
	if (d->retry_after > delay)
		delay = d->retry_after;
	log_info("webhook %s: %s attempt %u failed (%d); next in %ld s",
		 ep->rec.webhook_id, d->ev.event_id, ln->rec.attempt, d->status,
		 delay);
	ln->rec.next_at = time(NULL) + delay;
	lane_save(ln);
	lane_schedule(ln, delay);
}

static void delivery_free(struct delivery *d)
{
	free(d->ev.body);
	free(d->tx);
	free(d);
}

static int add_header(struct lws *wsi, const char *name, const char *value,
		      unsigned char **p, unsigned char *end)
{
	return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
					   (const unsigned char *)value,
					   strlen(value), p, end);
}

static int webhooks_callback(struct lws *wsi, enum lws_callback_reasons reason,
			     void *user, void *in, size_t len)
{
	struct delivery *d = lws_get_opaque_user_data(wsi);
	unsigned char **p = in, *end;

	/* Not a protocol a client may ask the server for. */
	if (reason == LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION)
		return 1;
	char buf[LWS_PRE + 1024], *px, clen[24];
	int n;

	if (!d)
		return 0;
	/* Stopping: the lanes are gone already; the log has what is left. */
	if (d->agent->stopping) {
		if (reason == LWS_CALLBACK_CLIENT_CONNECTION_ERROR ||
		    reason == LWS_CALLBACK_CLOSED_CLIENT_HTTP) {
			lws_set_opaque_user_data(wsi, NULL);
			if (!d->connecting)
				delivery_free(d);
			return 0;
		}
		return -1;
	}
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		end = *p + len - 1;
		snprintf(clen, sizeof(clen), "%zu", strlen(d->ev.body));
		if (add_header(wsi, "content-type:", "application/json", p,
			       end) ||
		    add_header(wsi, "content-length:", clen, p, end) ||
		    add_header(wsi, "webhook-id:", d->ev.event_id, p, end) ||
		    add_header(wsi, "webhook-timestamp:", d->timestamp, p,
			       end) ||
		    add_header(wsi, "webhook-signature:", d->signature, p, end))
			return -1;
		lws_client_http_body_pending(wsi, 1);
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
		lws_client_http_body_pending(wsi, 0);
		if (lws_write(wsi, d->tx + LWS_PRE, d->tx_len,
			      LWS_WRITE_HTTP_FINAL) != (int)d->tx_len)
			return -1;
		return 0;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		/* lws drops its timeouts here: a body may not dribble forever. */
		lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT,
				WEBHOOK_TIMEOUT_S);
		d->status = lws_http_client_http_response(wsi);
		if (lws_hdr_copy(wsi, buf, sizeof(buf),
				 WSI_TOKEN_HTTP_RETRY_AFTER) > 0) {
			d->retry_after = retry_after_parse(buf, time(NULL));
			if (d->retry_after < 0)
				d->retry_after = 0;
		}
		return 0;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
		px = buf + LWS_PRE;
		n = sizeof(buf) - LWS_PRE;
		return lws_http_client_read(wsi, &px, &n) < 0 ? -1 : 0;
	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
		delivered(d);
		return -1;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		log_debug("webhook %s: %s", d->lane->ep->rec.url,
			  in ? (const char *)in : "connection failed");
		d->status = 0;
		fallthrough;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (!d->done)
			delivered(d);
		lws_set_opaque_user_data(wsi, NULL);
		if (!d->connecting)
			delivery_free(d);
		return 0;
	default:
		return 0;
	}
}

const struct lws_protocols webhooks_protocol = {
	.name = "doorlockd-webhooks",
	.callback = webhooks_callback,
};

/* An attempt that ended before it reached the endpoint. */
static void post_failed(struct delivery *d)
{
	if (!d->done)
		delivered(d);
	delivery_free(d);
}

/* Connects to @address (numeric); the Host header and TLS name are the URL's. */
static void post_connect(struct delivery *d, const char *address)
{
	struct lws_client_connect_info i;
	struct lane *ln = d->lane;

	memset(&i, 0, sizeof(i));
	i.context = ln->ep->hooks->agent->ctx;
	i.vhost = ln->ep->hooks->agent->vhost;
	i.address = address;
	i.port = d->port;
	i.path = d->path;
	i.host = d->host;
	i.origin = d->host;
	i.method = "POST";
	i.protocol = webhooks_protocol.name;
	i.local_protocol_name = webhooks_protocol.name;
	i.alpn = "http/1.1";
	/*
	 * A redirect would be followed to the numeric address (the Host
	 * header and TLS name with it) or resolved on the loop: it is an
	 * answer like any other that is not 2xx, and the attempt is retried.
	 */
	i.ssl_connection = LCCSCF_HTTP_NO_FOLLOW_REDIRECT;
	if (d->https)
		i.ssl_connection |= LCCSCF_USE_SSL;
	i.opaque_user_data = d;
	/*
	 * A connection that fails at once may or may not have been reported
	 * through the callback before this returns: either way it is
	 * counted once, and freed here.
	 */
	d->connecting = true;
	if (lws_client_connect_via_info(&i)) {
		d->connecting = false;
		return;
	}
	post_failed(d);
}

static void post_resolved(void *arg, const char *address, const char *error)
{
	struct delivery *d = arg;

	if (d->agent->stopping) {
		delivery_free(d);
		return;
	}
	if (!address) {
		log_info("webhook %s: cannot resolve %s: %s",
			 d->lane->ep->rec.webhook_id, d->host, error);
		post_failed(d);
		return;
	}
	post_connect(d, address);
}

static bool is_numeric(const char *host)
{
	unsigned char addr[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, addr) == 1 ||
	       inet_pton(AF_INET6, host, addr) == 1;
}

/* Starts the POST of @d; on failure the attempt counts as failed. */
static void post(struct delivery *d)
{
	struct lane *ln = d->lane;
	const char *proto, *path;

	snprintf(d->url, sizeof(d->url), "%s", ln->ep->rec.url);
	snprintf(d->timestamp, sizeof(d->timestamp), "%lld",
		 (long long)time(NULL));
	ln->in_flight = true;
	if (webhook_sign(ln->ep->rec.secret, d->ev.event_id,
			 atoll(d->timestamp), d->ev.body, strlen(d->ev.body),
			 d->signature) ||
	    lws_parse_uri(d->url, &proto, &d->host, &d->port, &path)) {
		log_err("webhook %s: cannot sign or parse %s",
			ln->ep->rec.webhook_id, ln->ep->rec.url);
		goto fail;
	}
	d->https = !strcmp(proto, "https");
	d->tx_len = strlen(d->ev.body);
	d->tx = malloc(LWS_PRE + d->tx_len);
	if (!d->tx)
		goto fail;
	memcpy(d->tx + LWS_PRE, d->ev.body, d->tx_len);
	snprintf(d->path, sizeof(d->path), "/%s", path);
	if (is_numeric(d->host)) {
		post_connect(d, d->host);
		return;
	}
	if (!resolver_lookup(ln->ep->hooks->resolver, d->host, post_resolved,
			     d))
		return;
fail:
	post_failed(d);
}

/* Sends the lane's next event, unless one is in flight or it must wait. */
static void pump(struct lane *ln)
{
	struct endpoint *ep = ln->ep;
	struct delivery *d;
	long long now = time(NULL);
	int ret;

	if (ln->in_flight || !ep->rec.active)
		return;
	if (ln->rec.next_at > now) {
		lane_schedule(ln, ln->rec.next_at - now);
		return;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return;
	d->agent = ep->hooks->agent;
	d->lane = ln;
	for (;;) {
		ret = store_event_next(lane_store(ln), ln->lock_id,
				       ln->rec.last_seq, &d->ev);
		if (ret) {
			free(d);
			return;
		}
		if (wanted(ep, d->ev.event_type))
			break;
		/* Not for this endpoint: remembered with the next delivery. */
		ln->rec.last_seq = d->ev.seq;
		free(d->ev.body);
	}
	post(d);
}

void webhooks_kick(struct agent *a)
{
	struct endpoint *ep;
	size_t i;

	if (!a->hooks)
		return;
	for (ep = a->hooks->endpoints; ep; ep = ep->next)
		for (i = 0; i < a->n_locks; i++)
			if (!ep->lanes[i].in_flight &&
			    !ep->lanes[i].rec.next_at)
				pump(&ep->lanes[i]);
}

static int endpoint_add(const struct webhook_rec *w, void *arg)
{
	struct webhooks *h = arg;
	struct agent *a = h->agent;
	struct endpoint *ep;
	size_t i;

	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	ep->lanes = calloc(a->n_locks, sizeof(*ep->lanes));
	if (!ep->lanes) {
		free(ep);
		return -ENOMEM;
	}
	ep->hooks = h;
	ep->rec = *w;
	for (i = 0; i < a->n_locks; i++) {
		struct lane *ln = &ep->lanes[i];

		ln->ep = ep;
		ln->lock_id = a->locks[i].cfg->lock_id;
		if (store_lane_get(a->store, w->webhook_id, ln->lock_id,
				   &ln->rec)) {
			memset(&ln->rec, 0, sizeof(ln->rec));
			ln->rec.last_seq = w->start_seq;
		}
	}
	ep->next = h->endpoints;
	h->endpoints = ep;
	if (ep->rec.active)
		for (i = 0; i < a->n_locks; i++)
			pump(&ep->lanes[i]);
	return 0;
}

static void join_events(char *out, size_t len, const char (*events)[CONFIG_ID_MAX],
			size_t n)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += snprintf(out + used, len - used, "%s%s", i ? " " : "",
				 events[i]);
}

/* A configured endpoint's id is derived from its URL, so it is stable. */
static void config_webhook_id(const char *url, char *out, size_t len)
{
	unsigned char md[SHA256_DIGEST_LEN];
	unsigned int i;
	size_t used;

	sha256(url, strlen(url), md);
	used = snprintf(out, len, "wh_");
	for (i = 0; i < 10 && used + 2 < len; i++, used += 2)
		snprintf(out + used, len - used, "%02x", md[i]);
}

static int is_configured(const struct webhook_rec *w, void *arg)
{
	struct agent *a = arg;
	char id[STORE_ID_MAX];
	struct webhook_rec off;
	size_t i;

	if (!w->from_config || !w->active)
		return 0;
	for (i = 0; i < a->cfg.n_webhooks; i++) {
		config_webhook_id(a->cfg.webhooks[i].url, id, sizeof(id));
		if (!strcmp(id, w->webhook_id))
			return 0;
	}
	off = *w;
	off.active = false;
	log_info("webhook %s: %s is no longer configured: disabled",
		 w->webhook_id, w->url);
	return store_webhook_put(a->store, &off) ? -EIO : 0;
}

/* The configuration is the authority on the endpoints it lists. */
static int record_configured(struct agent *a)
{
	const struct config_webhook *c;
	struct webhook_rec w;
	char id[STORE_ID_MAX];
	size_t i;
	int ret;

	ret = store_webhooks_each(a->store, is_configured, a);
	for (i = 0; !ret && i < a->cfg.n_webhooks; i++) {
		c = &a->cfg.webhooks[i];
		config_webhook_id(c->url, id, sizeof(id));
		ret = store_webhook_get(a->store, id, &w);
		if (ret == -ENOENT) {
			memset(&w, 0, sizeof(w));
			snprintf(w.webhook_id, sizeof(w.webhook_id), "%s", id);
			w.start_seq = store_last_seq(a->store);
			ret = 0;
		}
		if (ret)
			break;
		snprintf(w.url, sizeof(w.url), "%s", c->url);
		snprintf(w.secret, sizeof(w.secret), "%s", c->secret);
		join_events(w.events, sizeof(w.events), c->events, c->n_events);
		w.active = true;
		w.from_config = true;
		ret = store_webhook_put(a->store, &w);
	}
	return ret;
}

int webhooks_start(struct agent *a)
{
	struct webhooks *h;
	int ret;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->agent = a;
	a->hooks = h;
	ret = resolver_create(a->ctx, &h->resolver);
	if (!ret)
		ret = record_configured(a);
	if (!ret)
		ret = store_webhooks_each(a->store, endpoint_add, h);
	return ret;
}

void webhooks_stop(struct agent *a)
{
	struct webhooks *h = a->hooks;
	struct endpoint *ep;
	size_t i;

	if (!h)
		return;
	/* Its deliveries see agent->stopping and free themselves. */
	resolver_destroy(h->resolver);
	while ((ep = h->endpoints)) {
		h->endpoints = ep->next;
		for (i = 0; i < a->n_locks; i++)
			lws_sul_cancel(&ep->lanes[i].sul);
		free(ep->lanes);
		free(ep);
	}
	free(h);
	a->hooks = NULL;
}

int webhooks_register(struct agent *a, const struct webhook_request *req,
		      struct webhook_rec *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = id_new(out->webhook_id, sizeof(out->webhook_id), "wh_");
	if (!ret)
		ret = webhook_secret_new(out->secret, sizeof(out->secret));
	if (ret)
		return ret;
	snprintf(out->url, sizeof(out->url), "%s", req->url);
	join_events(out->events, sizeof(out->events), req->events,
		    req->n_events);
	out->active = true;
	out->start_seq = store_last_seq(a->store);
	ret = store_webhook_put(a->store, out);
	if (ret)
		return ret;
	log_info("webhook %s: registered %s", out->webhook_id, out->url);
	return endpoint_add(out, a->hooks);
}
