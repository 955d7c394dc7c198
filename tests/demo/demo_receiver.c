// SPDX-License-Identifier: GPL-2.0
/*
 * demo-receiver --port P --secret whsec_...: the webhook endpoint of
 * `make demo`, inside the test VM. Accepts deliveries on 127.0.0.1:P,
 * checks each Standard Webhooks signature on its own (OpenSSL's HMAC, not
 * doorlockd's code), answers 204 when it holds and 401 when not, and
 * prints one line per delivery:
 *
 *   webhook [signature ok] lock.action_completed front_door unlock success
 *           via remote_api | {"event_type":...}
 *
 * (one line; the verdict is "signature ok", "SIGNATURE INVALID" or
 * "TIMESTAMP STALE"; the body after " | " exactly as received). make demo
 * DEMO=tour reads these lines back. Bodies must come with a Content-Length,
 * as doorlockd sends them; a chunked one is refused with 400.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEAD	8192
#define MAX_BODY	65536
#define MAX_KEY		128
/* Standard Webhooks: refuse timestamps further off than this. */
#define TOLERANCE_S	300
/* A sender that stops mid-request does not hold the receiver longer. */
#define READ_TIMEOUT_S	5

struct delivery {
	char head[MAX_HEAD + 1];
	char body[MAX_BODY + 1];
	size_t body_len;
	const char *id, *timestamp, *signature;
};

#define BASE64_ALPHABET \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

static unsigned char key[MAX_KEY];
static size_t key_len;

/*
 * The HMAC key is the base64 after "whsec_", decoded. EVP_DecodeBlock
 * skips nothing but also checks little (padding mid-string passes), so the
 * text is held to strict base64 first: a secret doorlockd would refuse
 * must not become a silent key mismatch here.
 */
static int set_secret(const char *secret)
{
	size_t len, pad;
	int n;

	if (strncmp(secret, "whsec_", 6))
		return -EINVAL;
	secret += 6;
	len = strlen(secret);
	pad = len - strcspn(secret, "=");
	if (!len || len % 4 || pad > 2 ||
	    strspn(secret, BASE64_ALPHABET) != len - pad ||
	    strspn(secret + len - pad, "=") != pad ||
	    len / 4 * 3 > sizeof(key))
		return -EINVAL;
	n = EVP_DecodeBlock(key, (const unsigned char *)secret, len);
	if (n < 0 || (size_t)n <= pad)
		return -EINVAL;
	/* EVP_DecodeBlock counts the padding as decoded zero bytes. */
	key_len = n - pad;
	return 0;
}

static bool signature_valid(const struct delivery *d)
{
	static char signed_content[MAX_HEAD + MAX_BODY + 2];
	unsigned char mac[EVP_MAX_MD_SIZE];
	char want[4 + 4 * EVP_MAX_MD_SIZE / 3 + 4];
	unsigned int mac_len;
	const char *p, *end;
	size_t want_len;
	bool found = false;
	int n;

	if (!d->id || !d->timestamp || !d->signature)
		return false;
	n = snprintf(signed_content, sizeof(signed_content), "%s.%s.", d->id,
		     d->timestamp);
	if (n < 0 || (size_t)n + d->body_len > sizeof(signed_content))
		return false;
	memcpy(signed_content + n, d->body, d->body_len);
	if (!HMAC(EVP_sha256(), key, key_len, (unsigned char *)signed_content,
		  n + d->body_len, mac, &mac_len))
		return false;
	memcpy(want, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)want + 3, mac, mac_len);
	want_len = strlen(want);

	/*
	 * Every space-separated entry counts: a sender rotating secrets lists
	 * several, and only one needs to match.
	 */
	for (p = d->signature; *p; p = end) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, " ");
		if ((size_t)(end - p) == want_len &&
		    !CRYPTO_memcmp(p, want, want_len))
			found = true;
	}
	return found;
}

static bool timestamp_fresh(const char *ts)
{
	char *end;
	long long t;

	if (!ts)
		return false;
	errno = 0;
	t = strtoll(ts, &end, 10);
	if (errno || end == ts || *end)
		return false;
	return llabs((long long)time(NULL) - t) <= TOLERANCE_S;
}

static ssize_t read_some(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len, 0);

	if (n < 0)
		return -errno;
	return n ? n : -ECONNRESET;
}

/* A decimal number and nothing else, as Content-Length and --port are. */
static int parse_number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > max)
		return -EINVAL;
	return 0;
}

/* The header fields point into the head buffer, which is cut up. */
static int parse_head(struct delivery *d, size_t *content_length)
{
	char *line, *next, *colon, *value, *end;
	bool have_length = false;
	unsigned long n;

	line = strstr(d->head, "\r\n");
	if (!line || strncmp(d->head, "POST ", 5))
		return -EINVAL;
	for (line += 2; *line && strncmp(line, "\r\n", 2); line = next + 2) {
		next = strstr(line, "\r\n");
		if (!next)
			return -EINVAL;
		*next = '\0';
		colon = strchr(line, ':');
		if (!colon)
			return -EINVAL;
		*colon = '\0';
		for (value = colon + 1; *value == ' ' || *value == '\t'; value++)
			;
		/* RFC 9110: whitespace around a field value is not part of it. */
		for (end = next; end > value && (end[-1] == ' ' || end[-1] == '\t');)
			*--end = '\0';
		if (!strcasecmp(line, "content-length")) {
			if (parse_number(value, MAX_BODY, &n))
				return -EINVAL;
			*content_length = n;
			have_length = true;
		} else if (!strcasecmp(line, "webhook-id")) {
			d->id = value;
		} else if (!strcasecmp(line, "webhook-timestamp")) {
			d->timestamp = value;
		} else if (!strcasecmp(line, "webhook-signature")) {
			d->signature = value;
		}
	}
	return have_length ? 0 : -EINVAL;
}

/* Reads one request; the bytes after the head are the body's start. */
static int read_delivery(int fd, struct delivery *d)
{
	size_t have = 0, content_length = 0, head_len;
	char *end = NULL;
	ssize_t n;
	int ret;

	while (!end) {
		if (have == MAX_HEAD)
			return -E2BIG;
		n = read_some(fd, d->head + have, MAX_HEAD - have);
		if (n < 0)
			return n;
		have += n;
		d->head[have] = '\0';
		end = strstr(d->head, "\r\n\r\n");
	}
	head_len = end + 4 - d->head;
	ret = parse_head(d, &content_length);
	if (ret)
		return ret;
	d->body_len = have - head_len;
	if (d->body_len > content_length)
		return -EINVAL;
	memcpy(d->body, d->head + head_len, d->body_len);
	while (d->body_len < content_length) {
		n = read_some(fd, d->body + d->body_len,
			      content_length - d->body_len);
		if (n < 0)
			return n;
		d->body_len += n;
	}
	d->body[d->body_len] = '\0';
	return 0;
}

static const char *field(json_t *ev, const char *name)
{
	const char *s = json_string_value(json_object_get(ev, name));

	return s ? s : "";
}

/* What a person reads first: the event, the lock, and how it ended. */
static void print_delivery(const struct delivery *d, const char *verdict)
{
	json_t *ev = json_loadb(d->body, d->body_len, 0, NULL);
	const char *type = field(ev, "event_type");

	printf("webhook [%s] %s %s", verdict, type, field(ev, "device_id"));
	if (!strcmp(type, "lock.action_completed")) {
		printf(" %s %s via %s", field(ev, "action"), field(ev, "status"),
		       field(ev, "performed_via"));
		if (*field(ev, "error_code"))
			printf(" %s", field(ev, "error_code"));
	}
	printf(" | %.*s\n", (int)d->body_len, d->body);
	fflush(stdout);
	json_decref(ev);
}

static void answer(int fd, int status, const char *reason)
{
	char buf[128];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		     status, reason);
	if (send(fd, buf, n, MSG_NOSIGNAL) < 0)
		perror("demo-receiver: send");
}

static void serve(int fd)
{
	static struct delivery d;
	const char *verdict = "signature ok";
	int ret;

	memset(&d, 0, sizeof(d));
	ret = read_delivery(fd, &d);
	if (ret) {
		fprintf(stderr, "demo-receiver: bad request: %s\n",
			strerror(-ret));
		answer(fd, 400, "Bad Request");
		return;
	}
	if (!signature_valid(&d))
		verdict = "SIGNATURE INVALID";
	else if (!timestamp_fresh(d.timestamp))
		verdict = "TIMESTAMP STALE";
	print_delivery(&d, verdict);
	if (strcmp(verdict, "signature ok"))
		answer(fd, 401, "Unauthorized");
	else
		answer(fd, 204, "No Content");
}

static int listen_on(unsigned int port)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd, one = 1, ret;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16)) {
		ret = -errno;
		goto err_close;
	}
	return fd;

err_close:
	close(fd);
	return ret;
}

static int usage(void)
{
	fprintf(stderr, "usage: demo-receiver --port PORT --secret whsec_BASE64\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "secret", required_argument, NULL, 's' },
		{ }
	};
	struct timeval tv = { .tv_sec = READ_TIMEOUT_S };
	unsigned long port = 0;
	bool port_ok = false;
	const char *secret = NULL;
	int c, lfd, fd;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			port_ok = !parse_number(optarg, 65535, &port) && port;
		else if (c == 's')
			secret = optarg;
		else
			return usage();
	}
	if (optind != argc || !port_ok || !secret)
		return usage();
	if (set_secret(secret)) {
		fprintf(stderr, "demo-receiver: the secret is not whsec_<base64>\n");
		return 2;
	}
	lfd = listen_on(port);
	if (lfd < 0) {
		fprintf(stderr, "demo-receiver: 127.0.0.1:%lu: %s\n", port,
			strerror(-lfd));
		return 1;
	}
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			/*
			 * A connection that died in the queue, or no fd free
			 * for a moment: the next sender is still worth serving.
			 */
			if (errno != EINTR)
				perror("demo-receiver: accept");
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		serve(fd);
		close(fd);
	}
}
