// SPDX-License-Identifier: GPL-2.0
/* doorlockd's configuration: a good file loads; each fault is named. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "kselftest_harness.h"

/* Each case replaces the marked part of the good file. */
#define GOOD_FMT							\
	"{\"listen\": {\"address\": \"127.0.0.1\", \"port\": %s},"	\
	" \"state_dir\": \"/var/lib/doorlock\","			\
	" \"tokens\": [{\"name\": \"seam\", %s, \"performed_via\": \"remote_api\"}],"	\
	" \"locks\": [{\"lock_id\": \"lock_491829\", \"device\": \"doorlock0\"%s}],"	\
	" \"webhooks\": [{\"url\": \"%s\", \"secret\": \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}]%s}"

struct variant {
	const char *port, *token, *lock_extra, *url, *tail;
};

static const struct variant good = {
	"8080", "\"token\": \"s3cret-token\"",
	", \"door_sensor\": {\"chip\": \"doorlock-sim-0\", \"line\": 5}",
	"http://127.0.0.1:9000/hook", "",
};

static int load(struct config *cfg, const struct variant *v, char *err)
{
	char text[2048];

	snprintf(text, sizeof(text), GOOD_FMT, v->port, v->token,
		 v->lock_extra, v->url, v->tail);
	return config_parse(cfg, text, err, 256);
}

TEST(good_file)
{
	struct config cfg;
	char err[256] = "";

	ASSERT_EQ(0, load(&cfg, &good, err)) TH_LOG("%s", err);
	EXPECT_EQ(8080, cfg.port);
	EXPECT_EQ(1, cfg.n_locks);
	EXPECT_TRUE(cfg.locks[0].door.present);
	EXPECT_EQ(5, cfg.locks[0].door.line);
	EXPECT_STREQ("doorlock-sim-0", cfg.locks[0].door.chip);
	EXPECT_EQ(CONFIG_BIAS_AS_IS, cfg.locks[0].door.bias);
	EXPECT_STREQ("remote_api", cfg.tokens[0].performed_via);
	EXPECT_EQ(8, cfg.retry.attempts);
	config_free(&cfg);
}

/* Without limits in the file, the listener gets the defaults. */
TEST(connection_limits)
{
	struct config cfg;
	char err[256] = "";

	ASSERT_EQ(0, load(&cfg, &good, err)) TH_LOG("%s", err);
	EXPECT_EQ(CONFIG_MAX_CONNECTIONS, cfg.max_connections);
	EXPECT_EQ(CONFIG_MAX_CONNECTIONS_PER_ADDRESS,
		  cfg.max_connections_per_address);
	EXPECT_EQ(CONFIG_REQUEST_TIMEOUT_S, cfg.request_timeout_s);
	config_free(&cfg);
}

/* The contract's example configuration, verbatim, loads. */
TEST(spec_example)
{
	static const char text[] =
		"{\n"
		"  \"listen\": {\"address\": \"127.0.0.1\", \"port\": 8080},\n"
		"  \"state_dir\": \"/var/lib/doorlock\",\n"
		"  \"tokens\": [{\"name\": \"seam\", \"token\": \"s3cret\", \"performed_via\": \"remote_api\"}],\n"
		"  \"locks\": [{\"lock_id\": \"lock_491829\", \"device\": \"doorlock0\",\n"
		"             \"door_sensor\": {\"chip\": \"door-sim\", \"line\": 0, \"active_low\": false}}],\n"
		"  \"webhooks\": [{\"url\": \"http://127.0.0.1:9000/hook\", \"secret\": \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}]\n"
		"}\n";
	struct config cfg;
	char err[256] = "";

	ASSERT_EQ(0, config_parse(&cfg, text, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("lock_491829", cfg.locks[0].lock_id);
	EXPECT_STREQ("door-sim", cfg.locks[0].door.chip);
	config_free(&cfg);
}

TEST(door_sensor_bias)
{
	struct variant v = good;
	struct config cfg;
	char err[256] = "";

	v.lock_extra = ", \"door_sensor\": {\"chip\": \"c\", \"line\": 25,"
		       " \"bias\": \"pull-up\"}";
	ASSERT_EQ(0, load(&cfg, &v, err)) TH_LOG("%s", err);
	EXPECT_EQ(CONFIG_BIAS_PULL_UP, cfg.locks[0].door.bias);
	EXPECT_FALSE(cfg.locks[0].door.active_low);
	config_free(&cfg);
}

TEST(token_by_hash)
{
	struct variant v = good;
	struct config a, b;
	char err[256] = "";

	/* sha256("s3cret-token") */
	v.token = "\"token_sha256\": \"a81e611a041b13f078bf8ebe5dab4d4fd63fcc5594661c918bec093a2f416a7e\"";
	ASSERT_EQ(0, load(&a, &v, err)) TH_LOG("%s", err);
	ASSERT_EQ(0, load(&b, &good, err));
	/* The same token, given either way. */
	EXPECT_EQ(0, memcmp(a.tokens[0].sha256, b.tokens[0].sha256,
			    CONFIG_SHA256_LEN));
	config_free(&a);
	config_free(&b);
}

/* Every fault is refused, and the message names the field. */
TEST(faults_are_named)
{
	static const struct {
		struct variant v;
		const char *says;
	} cases[] = {
		{ { .port = "0" }, "listen.port: expected an integer from 1 to 65535" },
		{ { .port = "\"8080\"" }, "listen.port" },
		{ { .token = "\"tokn\": \"x\"" }, "tokens[0]: unknown key \"tokn\"" },
		{ { .token = "\"token\": \"short\"" }, "tokens[0].token: shorter than 6" },
		{ { .token = "\"token_sha256\": \"abc\"" }, "tokens[0].token_sha256" },
		{ { .token = "\"token\": \"s3cret-token\", \"token_sha256\": \"00\"" },
		  "tokens[0]: give exactly one" },
		{ { .lock_extra = ", \"door_sensor\": {\"chip\": \"c\"}" },
		  "locks[0].door_sensor.line: missing" },
		{ { .lock_extra = ", \"door_sensor\": {\"chip\": \"c\", \"line\": 1, \"active_low\": 1}" },
		  "locks[0].door_sensor.active_low" },
		{ { .lock_extra = ", \"door_sensor\": {\"chip\": \"c\", \"line\": 1, \"bias\": \"up\"}" },
		  "locks[0].door_sensor.bias: expected \"pull-up\"" },
		{ { .lock_extra = ", \"colour\": \"red\"" },
		  "locks[0]: unknown key \"colour\"" },
		{ { .url = "mailto:x" }, "webhooks[0].url" },
		{ { .tail = ", \"extra\": 1" },
		  "unknown key \"extra\"" },
		{ { .tail = ", \"webhook_retry_s\": [-1]" },
		  "webhook_retry_s[0]" },
		{ { .tail = ", \"log_level\": \"loud\"" },
		  "log_level" },
		{ { .tail = ", \"state_dir\": \"/x\"" },
		  "duplicate" },
	};
	struct config cfg;
	char err[256];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct variant v = good;

		if (cases[i].v.port)
			v.port = cases[i].v.port;
		if (cases[i].v.token)
			v.token = cases[i].v.token;
		if (cases[i].v.lock_extra)
			v.lock_extra = cases[i].v.lock_extra;
		if (cases[i].v.url)
			v.url = cases[i].v.url;
		if (cases[i].v.tail)
			v.tail = cases[i].v.tail;
		memset(err, 0, sizeof(err));
		EXPECT_EQ(-EINVAL, load(&cfg, &v, err)) TH_LOG("case %u", i);
		EXPECT_NE(NULL, strstr(err, cases[i].says))
			TH_LOG("case %u: \"%s\" does not say \"%s\"", i, err,
			       cases[i].says);
	}
}

TEST(missing_sections)
{
	static const struct {
		const char *text;
		const char *says;
	} cases[] = {
		{ "{}", "listen: missing" },
		{ "[]", "expected an object" },
		{ "{\"listen\": {\"address\": \"a\", \"port\": 1}}", "state_dir: missing" },
		{ "{\"listen\": {\"address\": \"a\", \"port\": 1}, \"state_dir\": \"s\", \"tokens\": []}",
		  "tokens: expected a non-empty list" },
		{ "{\"listen\": {\"address\": \"a\", \"port\": 1}, \"state_dir\": \"s\","
		  " \"tokens\": [{\"name\": \"n\", \"token\": \"12345678\", \"performed_via\": \"manual_turn\"}]}",
		  "tokens[0].performed_via" },
		{ "{\"listen\": {\"address\": \"a\", \"port\": 1}, \"state_dir\": \"s\","
		  " \"tokens\": [{\"name\": \"n\", \"token\": \"12345678\", \"performed_via\": \"pin_code\"}]}",
		  "locks: missing" },
		{ "{\"listen\": {\"address\": \"a\", \"port\": 1}, \"state_dir\": \"s\","
		  " \"tokens\": [{\"name\": \"n\", \"token\": \"12345678\", \"performed_via\": \"pin_code\"}],"
		  " \"locks\": [{\"lock_id\": \"a\", \"device\": \"d\"}, {\"lock_id\": \"a\", \"device\": \"e\"}]}",
		  "locks[1]: lock_id \"a\" is used twice" },
		{ "{\"listen\": {\"address\": \"a\", \"port\": 1, \"tls_cert\": \"c\"}}",
		  "listen.tls_key: missing" },
		{ "{\"listen\": ", "line 1" },
		{ "{\"listen\": {\"address\": \"a\", \"port\": 1, \"max_connections\": 0}}",
		  "listen.max_connections: expected an integer from 1 to 4000" },
		{ "{\"listen\": {\"address\": \"a\", \"port\": 1, \"max_connections\": 8,"
		  " \"max_connections_per_address\": 9}}",
		  "listen.max_connections_per_address: expected an integer from 1 to 8" },
		{ "{\"listen\": {\"address\": \"a\", \"port\": 1, \"request_timeout_s\": 0}}",
		  "listen.request_timeout_s: expected an integer from 1 to 300" },
	};
	struct config cfg;
	char err[256];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(err, 0, sizeof(err));
		EXPECT_EQ(-EINVAL, config_parse(&cfg, cases[i].text, err,
						sizeof(err)));
		EXPECT_NE(NULL, strstr(err, cases[i].says))
			TH_LOG("case %u: \"%s\" does not say \"%s\"", i, err,
			       cases[i].says);
	}
}

TEST_HARNESS_MAIN
