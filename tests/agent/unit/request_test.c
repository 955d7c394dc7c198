// SPDX-License-Identifier: GPL-2.0
/* Validation of the API's request bodies: each bad input, its message. */
#include <string.h>

#include <linux/doorlock.h>

#include "api_request.h"
#include "kselftest_harness.h"

static int parse(const char *body, struct action_request *req, char *msg)
{
	return api_parse_action(body, strlen(body), req, msg, 256);
}

TEST(good_actions)
{
	struct action_request req;
	char msg[256];

	ASSERT_EQ(0, parse("{\"action\":\"lock\"}", &req, msg));
	EXPECT_EQ(DOORLOCK_ACTION_LOCK, req.action);
	EXPECT_STREQ("", req.custom_id);
	ASSERT_EQ(0, parse(" {\"custom_id\": \"req_98aa221\", \"action\": \"unlock\"} ",
			   &req, msg));
	EXPECT_EQ(DOORLOCK_ACTION_UNLOCK, req.action);
	EXPECT_STREQ("req_98aa221", req.custom_id);
}

/* Each bad body is refused, and the message names what is wrong. */
TEST(bad_actions)
{
	static const struct {
		const char *body;
		const char *says;
	} cases[] = {
		{ "", "empty" },
		{ "{\"action\":", "malformed JSON" },
		{ "{\"action\":\"lock\"} x", "malformed JSON" },
		{ "[\"lock\"]", "JSON object" },
		{ "\"lock\"", "malformed JSON" },
		{ "{}", "\"action\" is required" },
		{ "{\"action\":\"lock\",\"action\":\"unlock\"}", "duplicate" },
		{ "{\"action\":\"open\"}", "unknown action \"open\"" },
		{ "{\"action\":\"LOCK\"}", "unknown action" },
		{ "{\"action\":1}", "must be a string" },
		{ "{\"action\":null}", "must be a string" },
		{ "{\"action\":\"lock\",\"custom_id\":5}", "\"custom_id\" must be a string" },
		{ "{\"action\":\"lock\",\"custom_id\":\"\"}", "1 to 128" },
		{ "{\"action\":\"lock\",\"custom_id\":\"a b\"}", "printable" },
		{ "{\"action\":\"lock\",\"custom_id\":\"a\\u0000b\"}", "not allowed" },
		{ "{\"action\":\"lock\",\"force\":true}", "unknown field \"force\"" },
	};
	struct action_request req;
	char msg[256];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(msg, 0, sizeof(msg));
		EXPECT_EQ(-EINVAL, parse(cases[i].body, &req, msg))
			TH_LOG("%s", cases[i].body);
		EXPECT_NE(NULL, strstr(msg, cases[i].says))
			TH_LOG("%s: \"%s\" does not say \"%s\"", cases[i].body,
			       msg, cases[i].says);
	}
}

TEST(custom_id_limit)
{
	char body[300], msg[256];
	struct action_request req;

	snprintf(body, sizeof(body), "{\"action\":\"lock\",\"custom_id\":\"%0128d\"}", 0);
	EXPECT_EQ(0, parse(body, &req, msg));
	snprintf(body, sizeof(body), "{\"action\":\"lock\",\"custom_id\":\"%0129d\"}", 0);
	EXPECT_EQ(-EINVAL, parse(body, &req, msg));
}

TEST(webhook_requests)
{
	const char *good = "{\"url\":\"https://example.com/h\",\"events\":[\"lock.action_completed\",\"device.offline\"]}";
	static const struct {
		const char *body;
		const char *says;
	} bad[] = {
		{ "{}", "\"url\" is required" },
		{ "{\"url\":\"ftp://x\"}", "http:// or https://" },
		{ "{\"url\":\"http://x\",\"events\":[]}", "list of 1 to" },
		{ "{\"url\":\"http://x\",\"events\":[\"lock.exploded\"]}", "\"events\"[0]" },
		{ "{\"url\":\"http://x\",\"secret\":\"whsec_x\"}", "unknown field \"secret\"" },
	};
	struct webhook_request req;
	char msg[256];
	unsigned int i;

	ASSERT_EQ(0, api_parse_webhook(good, strlen(good), &req, msg, 256));
	EXPECT_EQ(2, req.n_events);
	EXPECT_STREQ("device.offline", req.events[1]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, api_parse_webhook(bad[i].body,
						     strlen(bad[i].body), &req,
						     msg, sizeof(msg)));
		EXPECT_NE(NULL, strstr(msg, bad[i].says))
			TH_LOG("\"%s\" does not say \"%s\"", msg, bad[i].says);
	}
}

TEST_HARNESS_MAIN
