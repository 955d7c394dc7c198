// SPDX-License-Identifier: GPL-2.0
/*
 * The HTTP API; see http_api.h. The request line and headers are read in
 * LWS_CALLBACK_HTTP (lws drops them afterwards), a body is collected up to
 * API_BODY_MAX, and the answer is one write. Nothing here blocks: the
 * driver's ioctls return at once and the log's commits are local.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent.h"
#include "api_error.h"
#include "api_request.h"
#include "auth.h"
#include "auth_throttle.h"
#include "conn_limit.h"
#include "event_stream.h"
#include "http_api.h"
#include "lock.h"
#include "log.h"
#include "peer.h"
#include "webhooks.h"

#define HTTP_PATH_MAX		256
#define HTTP_AUTH_MAX		512
#define EVENTS_PAGE_DEFAULT	100
#define EVENTS_PAGE_MAX		1000

enum http_method {
	HTTP_OTHER,
	HTTP_GET,
	HTTP_POST,
};

struct http_session {
	enum http_method method;
	char path[HTTP_PATH_MAX];
	const struct config_token *token;
	/* Its address tried too many wrong tokens: 429 with Retry-After. */
	unsigned int retry_after;
	/* Answered before the body was read: close once it is sent. */
	bool close_after;
	bool answered;
	unsigned int completions;
	char *body;
	size_t body_len;
	size_t content_length;
	unsigned char *resp;		/* LWS_PRE, then the body */
	size_t resp_len;
	long long stream_after;		/* replay from here; -1: live only */
	struct stream_client stream;
};

static struct agent *agent_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

/* What one transaction allocated; the event stream's state is left be. */
static void session_free_buffers(struct http_session *s)
{
	free(s->body);
	s->body = NULL;
	s->body_len = 0;
	free(s->resp);
	s->resp = NULL;
	s->resp_len = 0;
}

static void session_reset(struct http_session *s)
{
	session_free_buffers(s);
	memset(s, 0, sizeof(*s));
}

static int write_headers(struct lws *wsi, int status, size_t len, bool close,
			 unsigned int retry_after)
{
	unsigned char hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *p = start;
	unsigned char *end = hdr + sizeof(hdr) - 1;
	char secs[16];

	snprintf(secs, sizeof(secs), "%u", retry_after);

	if (lws_add_http_common_headers(wsi, status, "application/json", len,
					&p, end) ||
	    lws_add_http_header_by_name(wsi, (unsigned char *)"cache-control:",
					(unsigned char *)"no-store", 8, &p,
					end) ||
	    (close &&
	     lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION,
					  (unsigned char *)"close", 5, &p,
					  end)) ||
	    /* RFC 6750 3: a 401 names the scheme a client should use. */
	    (status == HTTP_STATUS_UNAUTHORIZED &&
	     lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_WWW_AUTHENTICATE,
					  (unsigned char *)"Bearer realm=\"doorlockd\"",
					  24, &p, end)) ||
	    (retry_after &&
	     lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_RETRY_AFTER,
					  (unsigned char *)secs, strlen(secs),
					  &p, end)) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	return 0;
}

/* Sends the headers now; the body goes out when the socket is writable. */
static int respond(struct lws *wsi, struct http_session *s, int status,
		   json_t *body)
{
	char *text;
	size_t len;

	if (!body)
		return -1;
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (!text)
		return -1;
	len = strlen(text);
	s->resp = malloc(LWS_PRE + len + 1);
	if (!s->resp) {
		free(text);
		return -1;
	}
	memcpy(s->resp + LWS_PRE, text, len);
	s->resp[LWS_PRE + len] = '\n';
	s->resp_len = len + 1;
	free(text);
	s->answered = true;
	/* retry_after is set only for a throttled request, answered 429. */
	if (write_headers(wsi, status, s->resp_len, s->close_after,
			  s->retry_after))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

static json_t *error_body(const struct api_error_info *e, const char *message)
{
	return json_pack("{s:s, s:s}", "error_code", e->code, "message",
			 message ? message : e->message);
}

static int respond_error(struct lws *wsi, struct http_session *s,
			 const struct api_error_info *e, const char *message)
{
	return respond(wsi, s, e->http_status, error_body(e, message));
}

static int respond_api_error(struct lws *wsi, struct http_session *s,
			     enum api_error e, const char *message)
{
	return respond_error(wsi, s, api_error_info(e), message);
}

static int get_locks(struct lws *wsi, struct http_session *s)
{
	struct agent *a = agent_of(wsi);
	json_t *list = json_array();
	size_t i;

	for (i = 0; list && i < a->n_locks; i++)
		json_array_append_new(list, lock_json(&a->locks[i]));
	return respond(wsi, s, 200, json_pack("{s:o*}", "locks", list));
}

/* ?name=N as a non-negative integer; @def when absent. */
static int query_number(struct lws *wsi, const char *name, long long def,
			long long *out)
{
	char buf[64], *end;
	const char *v;

	v = lws_get_urlarg_by_name(wsi, name, buf, sizeof(buf));
	if (!v) {
		*out = def;
		return 0;
	}
	*out = strtoll(v, &end, 10);
	return *v && !*end && *out >= 0 ? 0 : -EINVAL;
}

static int get_events(struct lws *wsi, struct http_session *s)
{
	struct agent *a = agent_of(wsi);
	long long after, limit;
	json_t *list;

	if (query_number(wsi, "after=", 0, &after) ||
	    query_number(wsi, "limit=", EVENTS_PAGE_DEFAULT, &limit) ||
	    !limit || limit > EVENTS_PAGE_MAX)
		return respond_api_error(wsi, s, API_E_INVALID_REQUEST,
					 "after must be a sequence number and limit a number from 1 to 1000");
	list = json_array();
	if (!list || store_events_after(a->store, after, limit, list)) {
		json_decref(list);
		return respond_api_error(wsi, s, API_E_INTERNAL, NULL);
	}
	return respond(wsi, s, 200,
		       json_pack("{s:o, s:I}", "events", list, "last_seq",
				 (json_int_t)store_last_seq(a->store)));
}

static int get_action(struct lws *wsi, struct http_session *s,
		      struct lock *l, const char *action_id)
{
	struct action_rec rec;
	int ret;

	ret = store_action_get(agent_of(wsi)->store, action_id, &rec);
	if (ret && ret != -ENOENT)
		return respond_api_error(wsi, s, API_E_INTERNAL, NULL);
	if (ret || strcmp(rec.lock_id, l->cfg->lock_id))
		return respond_api_error(wsi, s, API_E_ACTION_NOT_FOUND, NULL);
	return respond(wsi, s, 200, action_json(&rec));
}

static int post_action(struct lws *wsi, struct http_session *s,
		       struct lock *l)
{
	const struct api_error_info *err;
	struct action_request req;
	struct action_rec rec;
	char msg[256];
	int ret;

	if (api_parse_action(s->body, s->body_len, &req, msg, sizeof(msg)))
		return respond_api_error(wsi, s, API_E_INVALID_REQUEST, msg);
	ret = lock_submit(l, &req, s->token, &rec, &err);
	if (ret < 0)
		return respond_error(wsi, s, err, NULL);
	/* A replay answers what the original answered, as it is now. */
	return respond(wsi, s, ret ? 200 : 202, action_json(&rec));
}

static int post_webhook(struct lws *wsi, struct http_session *s)
{
	struct webhook_request req;
	struct webhook_rec w;
	char msg[256];

	if (api_parse_webhook(s->body, s->body_len, &req, msg, sizeof(msg)))
		return respond_api_error(wsi, s, API_E_INVALID_REQUEST, msg);
	if (!strncmp(req.url, "https://", 8) && !agent_of(wsi)->tls)
		return respond_api_error(wsi, s, API_E_INVALID_REQUEST,
					 "https endpoints need TLS, which doorlockd loads at start for listen.tls_cert or an https webhook in its configuration");
	if (webhooks_register(agent_of(wsi), &req, &w))
		return respond_api_error(wsi, s, API_E_INTERNAL, NULL);
	return respond(wsi, s, 201,
		       json_pack("{s:s, s:s, s:s, s:s}", "webhook_id",
				 w.webhook_id, "url", w.url, "secret", w.secret,
				 "status", "active"));
}

/*
 * Splits "/locks/<id>[/actions[/<action_id>]]": the lock, and what
 * follows it in @rest ("" or "/actions..."). NULL: not such a path.
 */
static const char *lock_path(const char *path, char *id, size_t len)
{
	const char *p = path + strlen("/locks/"), *slash;
	size_t n;

	if (strncmp(path, "/locks/", 7))
		return NULL;
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	if (!n || n >= len)
		return NULL;
	memcpy(id, p, n);
	id[n] = '\0';
	return p + n;
}

static int route(struct lws *wsi, struct http_session *s)
{
	struct agent *a = agent_of(wsi);
	char id[CONFIG_ID_MAX];
	const char *rest;
	struct lock *l;
	bool get = s->method == HTTP_GET, post = s->method == HTTP_POST;

	if (s->retry_after)
		return respond_api_error(wsi, s, API_E_TOO_MANY_ATTEMPTS, NULL);
	if (!s->token)
		return respond_api_error(wsi, s, API_E_UNAUTHORIZED, NULL);
	if (!strcmp(s->path, "/locks"))
		return get ? get_locks(wsi, s) :
		       respond_api_error(wsi, s, API_E_METHOD_NOT_ALLOWED, NULL);
	if (!strcmp(s->path, "/events"))
		return get ? get_events(wsi, s) :
		       respond_api_error(wsi, s, API_E_METHOD_NOT_ALLOWED, NULL);
	if (!strcmp(s->path, "/webhooks"))
		return post ? post_webhook(wsi, s) :
		       respond_api_error(wsi, s, API_E_METHOD_NOT_ALLOWED, NULL);
	rest = lock_path(s->path, id, sizeof(id));
	if (!rest)
		return respond_api_error(wsi, s, API_E_NOT_FOUND, NULL);
	l = agent_lock(a, id);
	if (!l)
		return respond_api_error(wsi, s, API_E_LOCK_NOT_FOUND, NULL);
	if (!*rest)
		return get ? respond(wsi, s, 200, lock_json(l)) :
		       respond_api_error(wsi, s, API_E_METHOD_NOT_ALLOWED, NULL);
	if (!strcmp(rest, "/actions"))
		return post ? post_action(wsi, s, l) :
		       respond_api_error(wsi, s, API_E_METHOD_NOT_ALLOWED, NULL);
	if (!strncmp(rest, "/actions/", 9) && rest[9] && !strchr(rest + 9, '/'))
		return get ? get_action(wsi, s, l, rest + 9) :
		       respond_api_error(wsi, s, API_E_METHOD_NOT_ALLOWED, NULL);
	return respond_api_error(wsi, s, API_E_NOT_FOUND, NULL);
}

/*
 * The token a request carries, or NULL. A token from an address that is
 * waiting after too many wrong ones is not even looked at: @retry_after
 * says how long it still waits. A request without a token guesses
 * nothing, and counts for nothing.
 */
static const struct config_token *token_of(struct lws *wsi,
					   unsigned int *retry_after)
{
	struct auth_throttle *throttle = agent_of(wsi)->throttle;
	unsigned char peer[PEER_KEY_LEN];
	const struct config_token *tok;
	char auth[HTTP_AUTH_MAX];

	*retry_after = 0;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION) <= 0)
		return NULL;
	if (peer_key(wsi, peer))
		return NULL;
	*retry_after = auth_throttle_wait(throttle, peer);
	if (*retry_after)
		return NULL;
	tok = NULL;
	if (lws_hdr_copy(wsi, auth, sizeof(auth),
			 WSI_TOKEN_HTTP_AUTHORIZATION) > 0)
		tok = auth_check(&agent_of(wsi)->cfg, auth);
	if (!tok)
		auth_throttle_failed(throttle, peer);
	return tok;
}

/* A client that waits for "100 Continue" would otherwise stall a second. */
static int expect_continue(struct lws *wsi)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	unsigned char buf[LWS_PRE + sizeof(cont)];
	char expect[32];

	if (lws_hdr_copy(wsi, expect, sizeof(expect),
			 WSI_TOKEN_HTTP_EXPECT) <= 0 ||
	    strcasecmp(expect, "100-continue"))
		return 0;
	memcpy(buf + LWS_PRE, cont, sizeof(cont) - 1);
	return lws_write(wsi, buf + LWS_PRE, sizeof(cont) - 1,
			 LWS_WRITE_HTTP) < 0 ? -1 : 0;
}

/* The request line and headers; a body, if any, follows. */
static int on_request(struct lws *wsi, struct http_session *s)
{
	char len[32], *end;
	int uri;

	session_reset(s);
	if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI)) {
		s->method = HTTP_POST;
		uri = WSI_TOKEN_POST_URI;
	} else if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI)) {
		s->method = HTTP_GET;
		uri = WSI_TOKEN_GET_URI;
	} else {
		s->close_after = true;
		return respond_api_error(wsi, s, API_E_METHOD_NOT_ALLOWED,
					 "doorlockd answers GET and POST only");
	}
	if (lws_hdr_copy(wsi, s->path, sizeof(s->path), uri) < 0) {
		s->close_after = true;
		return respond_api_error(wsi, s, API_E_NOT_FOUND,
					 "The path is too long.");
	}
	s->token = token_of(wsi, &s->retry_after);
	if (s->method == HTTP_GET)
		return route(wsi, s);
	/*
	 * Not one byte of a stranger's body is read or buffered: the 401
	 * (or 429) goes out at once, and the connection closes after it.
	 */
	if (!s->token) {
		s->close_after = true;
		return respond_api_error(wsi, s, s->retry_after ?
					 API_E_TOO_MANY_ATTEMPTS :
					 API_E_UNAUTHORIZED, NULL);
	}
	if (lws_hdr_copy(wsi, len, sizeof(len),
			 WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0) {
		s->close_after = true;
		return respond_api_error(wsi, s, API_E_LENGTH_REQUIRED, NULL);
	}
	errno = 0;
	s->content_length = strtoull(len, &end, 10);
	if (errno || *end || len[0] == '-') {
		s->close_after = true;
		return respond_api_error(wsi, s, API_E_INVALID_REQUEST,
					 "Content-Length is not a number.");
	}
	if (s->content_length > API_BODY_MAX) {
		s->close_after = true;
		return respond_api_error(wsi, s, API_E_PAYLOAD_TOO_LARGE, NULL);
	}
	s->body = malloc(s->content_length + 1);
	if (!s->body)
		return -1;
	return expect_continue(wsi);
}

static int on_body(struct http_session *s, const void *in, size_t len)
{
	if (s->answered || !s->body)
		return 0;
	if (len > s->content_length - s->body_len)
		return -1;
	memcpy(s->body + s->body_len, in, len);
	s->body_len += len;
	return 0;
}

static int on_writable(struct lws *wsi, struct http_session *s)
{
	if (!s->resp)
		return 0;
	if (lws_write(wsi, s->resp + LWS_PRE, s->resp_len,
		      LWS_WRITE_HTTP_FINAL) != (int)s->resp_len)
		return -1;
	if (s->close_after)
		return -1;
	/* lws clears the session for the next request: free it first. */
	session_reset(s);
	conn_limit_rearm(agent_of(wsi)->conns, wsi);
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/*
 * A WebSocket upgrade: only the event stream, only with a token, and a
 * valid after= if any. 0 with @after set (-1: live only), or the refusal.
 */
static int stream_check(struct lws *wsi, long long *after,
			enum api_error *err, unsigned int *retry_after)
{
	char path[HTTP_PATH_MAX];

	*err = API_E_NOT_FOUND;
	if (lws_hdr_copy(wsi, path, sizeof(path), WSI_TOKEN_GET_URI) < 0 ||
	    strcmp(path, EVENT_STREAM_PATH))
		return -1;
	*err = API_E_UNAUTHORIZED;
	if (!token_of(wsi, retry_after)) {
		if (*retry_after)
			*err = API_E_TOO_MANY_ATTEMPTS;
		return -1;
	}
	*err = API_E_INVALID_REQUEST;
	return query_number(wsi, "after=", -1, after) ? -1 : 0;
}

/*
 * An upgrade about to be refused is answered here, in JSON like any other
 * refusal, rather than with a dropped connection: lws asks before it
 * switches protocols (with no session data yet), and a >0 return says the
 * answer is written. All of it goes out now: no writable callback follows.
 */
static int stream_confirm(struct lws *wsi)
{
	unsigned char buf[LWS_PRE + 512];
	const struct api_error_info *e;
	unsigned int retry_after = 0;
	enum api_error err;
	long long after;
	json_t *body;
	char *text;
	size_t len;
	int ret = -1;

	if (!stream_check(wsi, &after, &err, &retry_after))
		return 0;
	e = api_error_info(err);
	body = error_body(e, NULL);
	text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!text)
		return -1;
	len = snprintf((char *)buf + LWS_PRE, sizeof(buf) - LWS_PRE, "%s\n",
		       text);
	if (len >= sizeof(buf) - LWS_PRE)
		goto out;
	if (write_headers(wsi, e->http_status, len, true, retry_after) ||
	    lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_HTTP_FINAL) !=
	    (int)len)
		goto out;
	ret = 1;
out:
	free(text);
	return ret;
}

/* Checked again: lws reaches here for upgrades it did not confirm too. */
static int stream_filter(struct lws *wsi, struct http_session *s)
{
	unsigned int retry_after;
	enum api_error err;

	session_reset(s);
	return stream_check(wsi, &s->stream_after, &err, &retry_after) ? 1 : 0;
}

/*
 * The next page of a replay, queued once the previous one is written. A
 * short page is the end of the log: as this loop is the only writer, no
 * event can be committed between that read and going live.
 */
static int stream_replay_page(struct lws *wsi, struct http_session *s)
{
	struct agent *a = agent_of(wsi);
	json_t *list, *ev;
	char *text;
	size_t i;
	int ret = -ENOMEM;

	list = json_array();
	if (!list)
		return ret;
	ret = store_events_after(a->store, s->stream.replayed_seq,
				 EVENT_STREAM_REPLAY_PAGE, list);
	if (ret)
		goto out;
	json_array_foreach(list, i, ev) {
		text = json_dumps(ev, JSON_COMPACT);
		if (!text) {
			ret = -ENOMEM;
			goto out;
		}
		event_stream_send(&s->stream, text);
		free(text);
		s->stream.replayed_seq =
			json_integer_value(json_object_get(ev, "seq"));
	}
	if (json_array_size(list) < EVENT_STREAM_REPLAY_PAGE)
		s->stream.catching_up = 0;
out:
	json_decref(list);
	return ret;
}

static int stream_start(struct lws *wsi, struct http_session *s)
{
	conn_limit_keep(agent_of(wsi)->conns, wsi);
	event_stream_join(agent_of(wsi)->stream, &s->stream, wsi);
	if (s->stream_after < 0)
		return 0;
	s->stream.catching_up = 1;
	s->stream.replayed_seq = s->stream_after;
	return stream_replay_page(wsi, s);
}

static int stream_writable(struct lws *wsi, struct http_session *s)
{
	if (event_stream_writable(&s->stream))
		return -1;
	if (s->stream.catching_up && !s->stream.head)
		return stream_replay_page(wsi, s);
	return 0;
}

static int http_api_callback(struct lws *wsi, enum lws_callback_reasons reason,
			     void *user, void *in, size_t len)
{
	struct lws_filter_network_conn_args *accepted;
	struct http_session *s = user;

	/*
	 * The listener's connections, from before lws makes a wsi of one to
	 * its destruction, come here as protocol 0: @user is then not a
	 * session (nothing, the accept's address, another protocol's data).
	 */
	switch (reason) {
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
		accepted = user;
		return conn_limit_accept(agent_of(wsi)->conns,
					 (struct sockaddr *)&accepted->cli_addr,
					 accepted->clilen,
					 accepted->accept_fd) ? 1 : 0;
	case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:
		conn_limit_bind(agent_of(wsi)->conns, wsi);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		conn_limit_gone(agent_of(wsi)->conns, wsi);
		return 0;
	default:
		break;
	}
	if (reason == LWS_CALLBACK_HTTP_CONFIRM_UPGRADE)
		return stream_confirm(wsi);
	/* A TLS connection can close before lws gives it session data. */
	if (!s) {
		switch (reason) {
		case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		case LWS_CALLBACK_CLOSED_HTTP:
		case LWS_CALLBACK_CLOSED:
			return 0;
		case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		case LWS_CALLBACK_HTTP:
		case LWS_CALLBACK_HTTP_BODY:
		case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		case LWS_CALLBACK_HTTP_WRITEABLE:
		case LWS_CALLBACK_ESTABLISHED:
		case LWS_CALLBACK_SERVER_WRITEABLE:
			return -1;
		default:
			return lws_callback_http_dummy(wsi, reason, user, in,
						       len);
		}
	}

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_request(wsi, s) ? -1 : 0;
	case LWS_CALLBACK_HTTP_BODY:
		return on_body(s, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		/*
		 * lws 4.1 repeats this callback when a request is pipelined
		 * after a POST, on a session it has already reset, and can
		 * loop on it: anything but a POST's first one closes the
		 * connection instead.
		 */
		if (s->method != HTTP_POST || ++s->completions > 1) {
			/*
			 * An answer still to send goes out first, unless
			 * lws is looping on this callback.
			 */
			if (s->resp && s->completions <= 8) {
				s->close_after = true;
				return 0;
			}
			return -1;
		}
		if (s->answered)
			return 0;
		if (s->body_len != s->content_length)
			return -1;
		return route(wsi, s) ? -1 : 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return on_writable(wsi, s);
	/*
	 * lws frees the session data after this at the end of every
	 * transaction (a keep-alive's next request, a pipelined one, a
	 * close), whatever it points to: free those buffers now. CLOSED
	 * still follows for a WebSocket, which needs its stream state.
	 */
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		session_free_buffers(s);
		return 0;
	case LWS_CALLBACK_CLOSED_HTTP:
		session_reset(s);
		return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return stream_filter(wsi, s);
	case LWS_CALLBACK_ESTABLISHED:
		return stream_start(wsi, s) ? -1 : 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return stream_writable(wsi, s) ? -1 : 0;
	case LWS_CALLBACK_CLOSED:
		event_stream_leave(agent_of(wsi)->stream, &s->stream);
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

const struct lws_protocols http_api_protocol = {
	.name = HTTP_API_PROTOCOL,
	.callback = http_api_callback,
	.per_session_data_size = sizeof(struct http_session),
	.rx_buffer_size = 4096,
};

const struct lws_http_mount http_api_mount = {
	.mountpoint = "/",
	.mountpoint_len = 1,
	.origin_protocol = LWSMPRO_CALLBACK,
	.protocol = HTTP_API_PROTOCOL,
};
