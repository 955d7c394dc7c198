// SPDX-License-Identifier: GPL-2.0
/* Webhook signatures against the Standard Webhooks published test vector. */
#include <string.h>

#include "kselftest_harness.h"
#include "webhook_sign.h"

#define VECTOR_SECRET	"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define VECTOR_ID	"msg_p5jXN8AQM9LWM0D4loKWxJek"
#define VECTOR_TS	1614265330LL
#define VECTOR_BODY	"{\"test\": 2432232314}"
#define VECTOR_SIG	"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

TEST(published_vector)
{
	char sig[WEBHOOK_SIGNATURE_LEN];

	ASSERT_EQ(0, webhook_sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TS,
				  VECTOR_BODY, strlen(VECTOR_BODY), sig));
	EXPECT_STREQ(VECTOR_SIG, sig);
}

TEST(every_input_is_signed)
{
	char ref[WEBHOOK_SIGNATURE_LEN], sig[WEBHOOK_SIGNATURE_LEN];

	ASSERT_EQ(0, webhook_sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TS,
				  VECTOR_BODY, strlen(VECTOR_BODY), ref));
	ASSERT_EQ(0, webhook_sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TS + 1,
				  VECTOR_BODY, strlen(VECTOR_BODY), sig));
	EXPECT_STRNE(ref, sig);
	ASSERT_EQ(0, webhook_sign(VECTOR_SECRET, "msg_other", VECTOR_TS,
				  VECTOR_BODY, strlen(VECTOR_BODY), sig));
	EXPECT_STRNE(ref, sig);
	ASSERT_EQ(0, webhook_sign(VECTOR_SECRET, VECTOR_ID, VECTOR_TS,
				  "{\"test\": 2432232315}",
				  strlen(VECTOR_BODY), sig));
	EXPECT_STRNE(ref, sig);
	ASSERT_EQ(0, webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx",
				  VECTOR_ID, VECTOR_TS, VECTOR_BODY,
				  strlen(VECTOR_BODY), sig));
	EXPECT_STRNE(ref, sig);
}

TEST(bad_secrets_are_refused)
{
	static const char * const bad[] = {
		"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",	/* no prefix */
		"whsec_",				/* empty */
		"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",	/* not quads */
		"whsec_MfKQ9r8G!YqrTwjUPD8ILPZIo2LaLaSw",	/* not base64 */
	};
	char sig[WEBHOOK_SIGNATURE_LEN];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, webhook_sign(bad[i], VECTOR_ID, VECTOR_TS,
						VECTOR_BODY, 4, sig))
			TH_LOG("secret %u", i);
}

TEST(new_secrets_sign)
{
	char a[64], b[64], sig[WEBHOOK_SIGNATURE_LEN];

	ASSERT_EQ(0, webhook_secret_new(a, sizeof(a)));
	ASSERT_EQ(0, webhook_secret_new(b, sizeof(b)));
	EXPECT_STRNE(a, b);
	EXPECT_EQ(0, strncmp(a, WEBHOOK_SECRET_PREFIX, 6));
	EXPECT_EQ(0, webhook_sign(a, VECTOR_ID, VECTOR_TS, VECTOR_BODY,
				  strlen(VECTOR_BODY), sig));
}

TEST_HARNESS_MAIN
