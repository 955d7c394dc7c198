// SPDX-License-Identifier: GPL-2.0
/*
 * Loads and checks doorlockd's JSON configuration; see config.h. Every
 * object's keys are checked against the ones it may have, so a typo is
 * named rather than silently ignored.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "event.h"
#include "log.h"
#include "sha256.h"
#include "util.h"
#include "webhook_sign.h"

#define CONFIG_PATH_MAX	96
#define LOCK_ID_CHARS	"abcdefghijklmnopqrstuvwxyz" \
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-."

struct cfg_ctx {
	char *err;
	size_t errlen;
};

static const char * const performed_via_values[] = {
	"pin_code", "mobile_app", "remote_api", "bluetooth_key", "fob_card",
	"manual_turn",
};

bool config_performed_via_known(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(performed_via_values); i++)
		if (!strcmp(s, performed_via_values[i]))
			return true;
	return false;
}

static __printf(3, 4) int fail(struct cfg_ctx *c, const char *path,
				const char *fmt, ...);

static int fail(struct cfg_ctx *c, const char *path, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s%s%s", path, *path ? ": " : "", msg);
	return -EINVAL;
}

static bool key_allowed(const char *key, const char * const *allowed)
{
	for (; *allowed; allowed++)
		if (!strcmp(key, *allowed))
			return true;
	return false;
}

/* @path names the object; an unknown key is named with it. */
static int check_object(struct cfg_ctx *c, json_t *obj, const char *path,
			const char * const *allowed)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return fail(c, path, "expected an object");
	json_object_foreach(obj, key, v) {
		if (!key_allowed(key, allowed))
			return fail(c, path, "unknown key \"%s\"", key);
	}
	return 0;
}

/* Paths are short; a cut one still names the field well enough. */
static void join(char *out, const char *path, const char *key)
{
	if (snprintf(out, CONFIG_PATH_MAX, "%s%s%s", path, *path ? "." : "",
		     key) >= CONFIG_PATH_MAX)
		out[CONFIG_PATH_MAX - 1] = '\0';
}

/* Copies string @key of @obj into @dst (size @max); -ENOENT if absent. */
static int get_string(struct cfg_ctx *c, json_t *obj, const char *path,
		      const char *key, bool required, char *dst, size_t max)
{
	char p[CONFIG_PATH_MAX];
	json_t *v = json_object_get(obj, key);

	join(p, path, key);
	if (!v)
		return required ? fail(c, p, "missing") : -ENOENT;
	if (!json_is_string(v))
		return fail(c, p, "expected a string");
	if (!json_string_length(v))
		return fail(c, p, "must not be empty");
	if (json_string_length(v) >= max)
		return fail(c, p, "longer than %zu characters", max - 1);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return fail(c, p, "contains a NUL character");
	strcpy(dst, json_string_value(v));
	return 0;
}

static int get_string_dup(struct cfg_ctx *c, json_t *obj, const char *path,
			  const char *key, bool required, char **dst)
{
	char buf[4096];
	int ret;

	ret = get_string(c, obj, path, key, required, buf, sizeof(buf));
	if (ret)
		return ret;
	*dst = strdup(buf);
	return *dst ? 0 : -ENOMEM;
}

static int get_uint(struct cfg_ctx *c, json_t *obj, const char *path,
		    const char *key, bool required, json_int_t min,
		    json_int_t max, unsigned int *dst)
{
	char p[CONFIG_PATH_MAX];
	json_t *v = json_object_get(obj, key);

	join(p, path, key);
	if (!v)
		return required ? fail(c, p, "missing") : -ENOENT;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return fail(c, p, "expected an integer from %lld to %lld",
			    (long long)min, (long long)max);
	*dst = json_integer_value(v);
	return 0;
}

static int get_bool(struct cfg_ctx *c, json_t *obj, const char *path,
		    const char *key, bool *dst)
{
	char p[CONFIG_PATH_MAX];
	json_t *v = json_object_get(obj, key);

	join(p, path, key);
	if (!v)
		return -ENOENT;
	if (!json_is_boolean(v))
		return fail(c, p, "expected true or false");
	*dst = json_is_true(v);
	return 0;
}

/* Optional fields answer -ENOENT when absent: that is not an error. */
static int optional(int ret)
{
	return ret == -ENOENT ? 0 : ret;
}

static int hex_decode(const char *hex, unsigned char *out, size_t len)
{
	size_t i;
	unsigned int b;

	if (strlen(hex) != len * 2)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1 ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i + 1]))
			return -EINVAL;
		out[i] = b;
	}
	return 0;
}

static int parse_listen(struct cfg_ctx *c, json_t *root, struct config *cfg)
{
	static const char * const keys[] = { "address", "port", "tls_cert",
					     "tls_key", "max_connections",
					     "max_connections_per_address",
					     "request_timeout_s", NULL };
	json_t *l = json_object_get(root, "listen");
	int ret;

	cfg->max_connections = CONFIG_MAX_CONNECTIONS;
	cfg->max_connections_per_address = CONFIG_MAX_CONNECTIONS_PER_ADDRESS;
	cfg->request_timeout_s = CONFIG_REQUEST_TIMEOUT_S;

	if (!l)
		return fail(c, "listen", "missing");
	ret = check_object(c, l, "listen", keys);
	if (!ret)
		ret = get_string(c, l, "listen", "address", true, cfg->address,
				 sizeof(cfg->address));
	if (!ret)
		ret = get_uint(c, l, "listen", "port", true, 1, 65535,
			       &cfg->port);
	if (!ret)
		ret = optional(get_string_dup(c, l, "listen", "tls_cert", false,
					      &cfg->tls_cert));
	if (!ret)
		ret = optional(get_string_dup(c, l, "listen", "tls_key", false,
					      &cfg->tls_key));
	if (!ret)
		ret = optional(get_uint(c, l, "listen", "max_connections", false,
					1, CONFIG_MAX_CONNECTIONS_LIMIT,
					&cfg->max_connections));
	if (!ret)
		ret = optional(get_uint(c, l, "listen",
					"max_connections_per_address", false, 1,
					cfg->max_connections,
					&cfg->max_connections_per_address));
	if (!ret)
		ret = optional(get_uint(c, l, "listen", "request_timeout_s",
					false, 1, 300,
					&cfg->request_timeout_s));
	if (!ret && !cfg->tls_cert != !cfg->tls_key)
		ret = fail(c, cfg->tls_cert ? "listen.tls_key" : "listen.tls_cert",
			   "missing: TLS needs both a certificate and a key");
	return ret;
}

static int parse_token(struct cfg_ctx *c, json_t *t, const char *path,
		       struct config_token *tok)
{
	static const char * const keys[] = { "name", "token", "token_sha256",
					     "performed_via", NULL };
	char secret[256], hex[2 * CONFIG_SHA256_LEN + 1], p[CONFIG_PATH_MAX];
	int ret, has_plain, has_hash;

	ret = check_object(c, t, path, keys);
	if (!ret)
		ret = get_string(c, t, path, "name", true, tok->name,
				 sizeof(tok->name));
	if (!ret)
		ret = get_string(c, t, path, "performed_via", true,
				 tok->performed_via, sizeof(tok->performed_via));
	if (ret)
		return ret;
	join(p, path, "performed_via");
	if (!config_performed_via_known(tok->performed_via) ||
	    !strcmp(tok->performed_via, "manual_turn"))
		return fail(c, p, "\"%s\" is not one of pin_code, mobile_app, remote_api, bluetooth_key, fob_card",
			    tok->performed_via);
	has_plain = get_string(c, t, path, "token", false, secret,
			       sizeof(secret));
	if (has_plain && has_plain != -ENOENT)
		return has_plain;
	has_hash = get_string(c, t, path, "token_sha256", false, hex,
			      sizeof(hex));
	if (has_hash && has_hash != -ENOENT)
		return has_hash;
	if (!has_plain == !has_hash)
		return fail(c, path, "give exactly one of \"token\" and \"token_sha256\"");
	if (!has_hash) {
		join(p, path, "token_sha256");
		if (hex_decode(hex, tok->sha256, CONFIG_SHA256_LEN))
			return fail(c, p, "expected 64 hexadecimal digits");
		return 0;
	}
	join(p, path, "token");
	if (strlen(secret) < CONFIG_TOKEN_MIN)
		return fail(c, p, "shorter than %d characters", CONFIG_TOKEN_MIN);
	sha256(secret, strlen(secret), tok->sha256);
	memset(secret, 0, sizeof(secret));
	return 0;
}

static int get_bias(struct cfg_ctx *c, json_t *d, const char *path,
		    enum config_bias *bias)
{
	static const char * const names[] = {
		[CONFIG_BIAS_AS_IS] = "as-is",
		[CONFIG_BIAS_DISABLED] = "disabled",
		[CONFIG_BIAS_PULL_UP] = "pull-up",
		[CONFIG_BIAS_PULL_DOWN] = "pull-down",
	};
	char p[CONFIG_PATH_MAX], name[16];
	size_t i;
	int ret;

	ret = get_string(c, d, path, "bias", false, name, sizeof(name));
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(name, names[i])) {
			*bias = i;
			return 0;
		}
	}
	join(p, path, "bias");
	return fail(c, p, "expected \"pull-up\", \"pull-down\", \"disabled\" or \"as-is\"");
}

static int parse_door(struct cfg_ctx *c, json_t *d, const char *path,
		      struct config_door_sensor *door)
{
	static const char * const keys[] = { "chip", "line", "active_low",
					     "bias", NULL };
	int ret;

	ret = check_object(c, d, path, keys);
	if (!ret)
		ret = get_string(c, d, path, "chip", true, door->chip,
				 sizeof(door->chip));
	if (!ret)
		ret = get_uint(c, d, path, "line", true, 0, 511, &door->line);
	if (!ret)
		ret = optional(get_bool(c, d, path, "active_low",
					&door->active_low));
	if (!ret)
		ret = get_bias(c, d, path, &door->bias);
	door->present = !ret;
	return ret;
}

static int parse_lock(struct cfg_ctx *c, json_t *l, const char *path,
		      struct config_lock *lock)
{
	static const char * const keys[] = { "lock_id", "device",
					     "door_sensor", NULL };
	char p[CONFIG_PATH_MAX];
	json_t *door;
	int ret;

	ret = check_object(c, l, path, keys);
	if (!ret)
		ret = get_string(c, l, path, "lock_id", true, lock->lock_id,
				 sizeof(lock->lock_id));
	if (!ret)
		ret = get_string(c, l, path, "device", true, lock->device,
				 sizeof(lock->device));
	if (ret)
		return ret;
	join(p, path, "lock_id");
	if (strspn(lock->lock_id, LOCK_ID_CHARS) != strlen(lock->lock_id))
		return fail(c, p, "may hold only letters, digits, '_', '-' and '.'");
	door = json_object_get(l, "door_sensor");
	if (!door)
		return 0;
	join(p, path, "door_sensor");
	return parse_door(c, door, p, &lock->door);
}

static int parse_webhook(struct cfg_ctx *c, json_t *w, const char *path,
			 struct config_webhook *hook)
{
	static const char * const keys[] = { "url", "secret", "events", NULL };
	unsigned char key[WEBHOOK_KEY_MAX];
	char p[CONFIG_PATH_MAX], ep[CONFIG_PATH_MAX + 24];
	size_t key_len, i;
	json_t *events, *e;
	int ret;

	ret = check_object(c, w, path, keys);
	if (!ret)
		ret = get_string(c, w, path, "url", true, hook->url,
				 sizeof(hook->url));
	if (!ret)
		ret = get_string(c, w, path, "secret", true, hook->secret,
				 sizeof(hook->secret));
	if (ret)
		return ret;
	join(p, path, "url");
	if (strncmp(hook->url, "http://", 7) && strncmp(hook->url, "https://", 8))
		return fail(c, p, "expected an http:// or https:// URL");
	join(p, path, "secret");
	if (webhook_secret_decode(hook->secret, key, &key_len))
		return fail(c, p, "expected whsec_ followed by base64");
	events = json_object_get(w, "events");
	if (!events)
		return 0;
	join(p, path, "events");
	if (!json_is_array(events) || !json_array_size(events) ||
	    json_array_size(events) > CONFIG_EVENT_TYPES_MAX)
		return fail(c, p, "expected a list of 1 to %d event types",
			    CONFIG_EVENT_TYPES_MAX);
	json_array_foreach(events, i, e) {
		snprintf(ep, sizeof(ep), "%s[%zu]", p, i);
		if (!json_is_string(e) || !event_type_known(json_string_value(e)))
			return fail(c, ep, "not an event type doorlockd emits");
		strcpy(hook->events[i], json_string_value(e));
	}
	hook->n_events = json_array_size(events);
	return 0;
}

/* Calls @fn for each element of list @key, into a calloc'd array. */
static int parse_list(struct cfg_ctx *c, json_t *root, const char *key,
		      bool required, size_t elem, void **out, size_t *n,
		      int (*fn)(struct cfg_ctx *, json_t *, const char *,
				void *))
{
	char p[CONFIG_PATH_MAX];
	json_t *list, *v;
	size_t i;
	int ret;

	list = json_object_get(root, key);
	if (!list)
		return required ? fail(c, key, "missing") : 0;
	if (!json_is_array(list) || (required && !json_array_size(list)))
		return fail(c, key, required ? "expected a non-empty list" :
			    "expected a list");
	*out = calloc(json_array_size(list) + 1, elem);
	if (!*out)
		return -ENOMEM;
	json_array_foreach(list, i, v) {
		snprintf(p, sizeof(p), "%s[%zu]", key, i);
		ret = fn(c, v, p, (char *)*out + i * elem);
		if (ret)
			return ret;
		*n = i + 1;
	}
	return 0;
}

static int token_fn(struct cfg_ctx *c, json_t *v, const char *p, void *e)
{
	return parse_token(c, v, p, e);
}

static int lock_fn(struct cfg_ctx *c, json_t *v, const char *p, void *e)
{
	return parse_lock(c, v, p, e);
}

static int webhook_fn(struct cfg_ctx *c, json_t *v, const char *p, void *e)
{
	return parse_webhook(c, v, p, e);
}

static int parse_retry(struct cfg_ctx *c, json_t *root, struct config *cfg)
{
	char p[CONFIG_PATH_MAX];
	json_t *list, *v;
	size_t i;

	cfg->retry = retry_default;
	list = json_object_get(root, "webhook_retry_s");
	if (!list)
		return 0;
	if (!json_is_array(list) || !json_array_size(list) ||
	    json_array_size(list) > RETRY_MAX_ATTEMPTS)
		return fail(c, "webhook_retry_s",
			    "expected a list of 1 to %d delays in seconds",
			    RETRY_MAX_ATTEMPTS);
	json_array_foreach(list, i, v) {
		snprintf(p, sizeof(p), "webhook_retry_s[%zu]", i);
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 86400)
			return fail(c, p, "expected an integer from 0 to 86400");
		cfg->retry.delay_s[i] = json_integer_value(v);
	}
	cfg->retry.attempts = json_array_size(list);
	return 0;
}

static int check_unique(struct cfg_ctx *c, struct config *cfg)
{
	char p[CONFIG_PATH_MAX];
	size_t i, j;

	for (i = 0; i < cfg->n_locks; i++)
		for (j = 0; j < i; j++) {
			snprintf(p, sizeof(p), "locks[%zu]", i);
			if (!strcmp(cfg->locks[i].lock_id, cfg->locks[j].lock_id))
				return fail(c, p, "lock_id \"%s\" is used twice",
					    cfg->locks[i].lock_id);
			if (!strcmp(cfg->locks[i].device, cfg->locks[j].device))
				return fail(c, p, "device \"%s\" is used twice",
					    cfg->locks[i].device);
		}
	for (i = 0; i < cfg->n_tokens; i++)
		for (j = 0; j < i; j++) {
			snprintf(p, sizeof(p), "tokens[%zu]", i);
			if (!strcmp(cfg->tokens[i].name, cfg->tokens[j].name))
				return fail(c, p, "name \"%s\" is used twice",
					    cfg->tokens[i].name);
		}
	return 0;
}

int config_parse(struct config *cfg, const char *text, char *err,
		 size_t errlen)
{
	static const char * const keys[] = { "listen", "state_dir", "tokens",
					     "locks", "webhooks", "log_level",
					     "webhook_retry_s", NULL };
	struct cfg_ctx c = { .err = err, .errlen = errlen };
	char level[16];
	json_error_t jerr;
	json_t *root;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = LOG_INFO;
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "line %d, column %d: %s", jerr.line,
			 jerr.column, jerr.text);
		return -EINVAL;
	}
	ret = check_object(&c, root, "", keys);
	if (!ret)
		ret = parse_listen(&c, root, cfg);
	if (!ret)
		ret = get_string_dup(&c, root, "", "state_dir", true,
				     &cfg->state_dir);
	if (!ret)
		ret = parse_list(&c, root, "tokens", true, sizeof(*cfg->tokens),
				 (void **)&cfg->tokens, &cfg->n_tokens, token_fn);
	if (!ret)
		ret = parse_list(&c, root, "locks", true, sizeof(*cfg->locks),
				 (void **)&cfg->locks, &cfg->n_locks, lock_fn);
	if (!ret)
		ret = parse_list(&c, root, "webhooks", false,
				 sizeof(*cfg->webhooks),
				 (void **)&cfg->webhooks, &cfg->n_webhooks,
				 webhook_fn);
	if (!ret)
		ret = parse_retry(&c, root, cfg);
	if (!ret) {
		ret = optional(get_string(&c, root, "", "log_level", false,
					  level, sizeof(level)));
		if (!ret && json_object_get(root, "log_level")) {
			cfg->log_level = log_level_parse(level);
			if (cfg->log_level < 0)
				ret = fail(&c, "log_level",
					   "expected error, warning, info or debug");
		}
	}
	if (!ret)
		ret = check_unique(&c, cfg);
	json_decref(root);
	if (ret)
		config_free(cfg);
	return ret;
}

int config_load(struct config *cfg, const char *path, char *err,
		size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	ret = -ENOMEM;
	text = calloc(1, 1 << 20);
	if (!text)
		goto out;
	len = fread(text, 1, (1 << 20) - 1, f);
	if (ferror(f) || !feof(f)) {
		snprintf(err, errlen, "%s: unreadable or larger than 1 MiB",
			 path);
		ret = -EINVAL;
		goto out;
	}
	text[len] = '\0';
	ret = config_parse(cfg, text, err, errlen);
out:
	free(text);
	fclose(f);
	return ret;
}

void config_free(struct config *cfg)
{
	free(cfg->tls_cert);
	free(cfg->tls_key);
	free(cfg->state_dir);
	free(cfg->tokens);
	free(cfg->locks);
	free(cfg->webhooks);
	memset(cfg, 0, sizeof(*cfg));
}
