// SPDX-License-Identifier: GPL-2.0
/*
 * The "no work" HTTP server that doorlockd's API throughput is measured
 * against. libwebsockets does all of the HTTP work (request line, headers,
 * request body, keep-alive) and every answer is a canned file, so what
 * doorlockd costs beyond this server is doorlockd's own work.
 *
 *   min_http_server --port P --get-body FILE --post-status CODE
 *                   --post-body FILE
 *
 * A POST is answered, once its body has been read and dropped, with
 * --post-status and the bytes of --post-body; any other request with 200
 * and the bytes of --get-body; both as application/json with a
 * content-length, so HTTP/1.1 keep-alive holds. It listens on 127.0.0.1
 * only, logs errors only, and stops on SIGINT or SIGTERM.
 *
 * Run it through tests/bench/api-bench --baseline PORT.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libwebsockets.h>

#define PROTOCOL_NAME	"min-http"
#define LISTEN_ADDR	"127.0.0.1"
#define MAX_BODY_FILE	(1024 * 1024)

/* A canned answer: LWS_PRE bytes of headroom for lws_write(), then body. */
struct canned {
	unsigned char *buf;
	size_t len;
	unsigned int status;
};

struct server {
	struct canned get;
	struct canned post;
};

/*
 * Per transaction: lws frees and zeroes the per-session data at every
 * protocol (re)bind, and lws_http_transaction_completed() rebinds, so this
 * never outlives one request.
 */
struct pss {
	const struct canned *body_done;	/* answer this at BODY_COMPLETION */
	const struct canned *to_write;	/* headers sent, body at WRITEABLE */
	unsigned long dup_gen;		/* lws_service() call of ... */
	unsigned int dups;		/* ... these extra BODY_COMPLETIONs */
};

struct opts {
	int port;
	const char *get_path;
	const char *post_path;
	unsigned int post_status;
};

static volatile sig_atomic_t stopping;
static unsigned long service_gen;	/* counts lws_service() calls */

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() must see EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	return 0;
}

static int load_file(const char *path, unsigned int status, struct canned *c)
{
	unsigned char *buf;
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto close_fd;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > MAX_BODY_FILE) {
		ret = -EINVAL;
		goto close_fd;
	}
	buf = malloc(LWS_PRE + (size_t)st.st_size + 1);
	if (!buf) {
		ret = -ENOMEM;
		goto close_fd;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + LWS_PRE + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			goto free_buf;
		}
		got += (size_t)n;
	}
	c->buf = buf;
	c->len = got;
	c->status = status;
	close(fd);
	return 0;

free_buf:
	free(buf);
close_fd:
	close(fd);
	return ret;
}

/* Headers now, the body when lws says the connection is writable. */
static int start_answer(struct lws *wsi, struct pss *pss,
			const struct canned *c)
{
	unsigned char hdr[LWS_PRE + 256];
	unsigned char *start = hdr + LWS_PRE, *p = start;
	unsigned char *end = hdr + sizeof(hdr) - 1;

	if (lws_add_http_common_headers(wsi, c->status, "application/json",
					c->len, &p, end))
		return -EMSGSIZE;
	if (lws_finalize_write_http_header(wsi, start, &p, end))
		return -EIO;
	pss->to_write = c;
	lws_callback_on_writable(wsi);
	return 0;
}

/* lws 4.1.6 never answers "Expect: 100-continue" itself; curl waits 1 s. */
static int maybe_continue(struct lws *wsi)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	unsigned char buf[LWS_PRE + sizeof(cont)];
	char expect[32];
	int n;

	if (lws_hdr_copy(wsi, expect, sizeof(expect),
			 WSI_TOKEN_HTTP_EXPECT) <= 0 ||
	    strcasecmp(expect, "100-continue"))
		return 0;
	n = (int)sizeof(cont) - 1;
	memcpy(buf + LWS_PRE, cont, n);
	if (lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_HTTP) != n)
		return -EIO;
	return 0;
}

/*
 * Does lws 4.1.6 deliver LWS_CALLBACK_HTTP_BODY_COMPLETION for this
 * request? Yes for a POST with any content-length (an explicit 0 gets an
 * empty BODY and a COMPLETION) and for any request with content-length > 0.
 * A POST, PUT or PATCH without content-length is taken to have a 100 MiB
 * body, so it would hang: it gets 411 instead (-EMSGSIZE here).
 */
static int body_follows(struct lws *wsi)
{
	char cl[24];
	int post;

	post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;
	if (lws_hdr_copy(wsi, cl, sizeof(cl),
			 WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0) {
		if (post || lws_hdr_total_length(wsi, WSI_TOKEN_PUT_URI) ||
		    lws_hdr_total_length(wsi, WSI_TOKEN_PATCH_URI))
			return -EMSGSIZE;
		return 0;
	}
	return post || atoll(cl) > 0;
}

static int on_http(struct lws *wsi, struct pss *pss)
{
	struct server *srv = lws_context_user(lws_get_context(wsi));
	int ret;

	ret = body_follows(wsi);
	if (ret == -EMSGSIZE) {
		lws_return_http_status(wsi, HTTP_STATUS_LENGTH_REQUIRED, NULL);
		return -EMSGSIZE;
	}
	if (!ret)
		return start_answer(wsi, pss, &srv->get);

	if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI))
		pss->body_done = &srv->post;
	else
		pss->body_done = &srv->get;
	return maybe_continue(wsi);
}

static int on_writeable(struct lws *wsi, struct pss *pss)
{
	const struct canned *c = pss->to_write;

	if (!c)
		return 0;
	pss->to_write = NULL;
	if (lws_write(wsi, c->buf + LWS_PRE, c->len, LWS_WRITE_HTTP_FINAL) !=
	    (int)c->len)
		return -EIO;
	/* pss is freed in here: do not touch it afterwards */
	if (lws_http_transaction_completed(wsi))
		return -ECONNRESET;
	return 0;
}

/*
 * lws 4.1.6 repeats BODY_COMPLETION: harmlessly once per lws_service() call
 * while a pipelined request waits behind the answer, and without end for a
 * POST pipelined behind another request: its headers are parsed from the
 * buflist, lws_http_action() feeds that buflist again as body (the header
 * bytes) and then loops on "remain 0" inside one lws_service() call, at
 * 100 % CPU, serving nobody. Many repeats in one call: close the connection.
 */
#define MAX_EXTRA_COMPLETIONS	8

static int extra_completion(struct pss *pss)
{
	if (pss->dup_gen != service_gen) {
		pss->dup_gen = service_gen;
		pss->dups = 0;
	}
	return ++pss->dups > MAX_EXTRA_COMPLETIONS ? -1 : 0;
}

/* lws wants 0 to go on, nonzero to close the connection. */
static int callback_min_http(struct lws *wsi, enum lws_callback_reasons reason,
			     void *user, void *in, size_t len)
{
	struct pss *pss = user;
	const struct canned *c;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return on_http(wsi, pss) ? -1 : 0;
	case LWS_CALLBACK_HTTP_BODY:
		return 0;	/* read and dropped */
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		c = pss->body_done;
		if (!c)
			return extra_completion(pss);
		pss->body_done = NULL;
		return start_answer(wsi, pss, c) ? -1 : 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (!pss)
			return 0;
		return on_writeable(wsi, pss) ? -1 : 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{
		.name = PROTOCOL_NAME,
		.callback = callback_min_http,
		.per_session_data_size = sizeof(struct pss),
	},
	{ }
};

/* .protocol as well as .origin: then GET and POST see the same URI */
static const struct lws_http_mount mount = {
	.mountpoint = "/",
	.mountpoint_len = 1,
	.origin = PROTOCOL_NAME,
	.protocol = PROTOCOL_NAME,
	.origin_protocol = LWSMPRO_CALLBACK,
};

static void usage(void)
{
	fprintf(stderr,
		"usage: min_http_server --port P --get-body FILE --post-status CODE --post-body FILE\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "get-body", required_argument, NULL, 'g' },
		{ "post-status", required_argument, NULL, 's' },
		{ "post-body", required_argument, NULL, 'b' },
		{ }
	};
	char *end;
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 65535)
				return -EINVAL;
			o->port = (int)v;
			break;
		case 'g':
			o->get_path = optarg;
			break;
		case 's':
			v = strtol(optarg, &end, 10);
			if (*end || v < 100 || v > 599)
				return -EINVAL;
			o->post_status = (unsigned int)v;
			break;
		case 'b':
			o->post_path = optarg;
			break;
		default:
			return -EINVAL;
		}
	}
	if (optind != argc || !o->port || !o->get_path || !o->post_path ||
	    !o->post_status)
		return -EINVAL;
	return 0;
}

static int serve(const struct opts *o, struct server *srv)
{
	struct lws_context_creation_info info;
	struct lws_context *ctx;
	int ret = 0;

	memset(&info, 0, sizeof(info));
	info.port = o->port;
	/*
	 * 4.1.6 takes .iface as an interface name, then as an address; with
	 * IPv6 on, an IPv4 address is written into the wrong place of the
	 * sockaddr_in6 and the socket ends up on [::], every interface.
	 * DISABLE_IPV6 makes it a plain AF_INET bind to 127.0.0.1; without
	 * FAIL_UPON_UNABLE_TO_BIND a bad address is only logged.
	 */
	info.iface = LISTEN_ADDR;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6 |
		       LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
	info.protocols = protocols;
	info.mounts = &mount;
	info.user = srv;

	ctx = lws_create_context(&info);
	if (!ctx)
		return -EADDRNOTAVAIL;
	while (!stopping && !ret) {
		service_gen++;
		if (lws_service(ctx, 0) < 0)
			ret = -EIO;
	}
	lws_context_destroy(ctx);
	return ret;
}

int main(int argc, char **argv)
{
	struct server srv;
	struct opts o;
	int ret;

	memset(&srv, 0, sizeof(srv));
	ret = parse_args(argc, argv, &o);
	if (ret) {
		usage();
		goto out;
	}
	ret = load_file(o.get_path, HTTP_STATUS_OK, &srv.get);
	if (ret) {
		fprintf(stderr, "min_http_server: %s: %s\n", o.get_path,
			strerror(-ret));
		goto out;
	}
	ret = load_file(o.post_path, o.post_status, &srv.post);
	if (ret) {
		fprintf(stderr, "min_http_server: %s: %s\n", o.post_path,
			strerror(-ret));
		goto free_get;
	}
	ret = install_signals();
	if (ret)
		goto free_post;

	lws_set_log_level(LLL_ERR, NULL);
	ret = serve(&o, &srv);
	if (ret)
		fprintf(stderr, "min_http_server: %s:%d: %s\n", LISTEN_ADDR,
			o.port, strerror(-ret));
free_post:
	free(srv.post.buf);
free_get:
	free(srv.get.buf);
out:
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
