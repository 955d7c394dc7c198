// SPDX-License-Identifier: GPL-2.0
/* Webhook signatures against the Standard Webhooks published test vector. */
#include <string.h>

#include "kselftest_harness.h"
#include "sha256.h"
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

static void hex(const unsigned char *d, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* FIPS 180-4 examples, and a million "a" fed in uneven pieces. */
TEST(sha256_vectors)
{
	static const char *const msg448 =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	unsigned char d[SHA256_DIGEST_LEN], a[1001];
	char out[2 * SHA256_DIGEST_LEN + 1];
	struct sha256 c;
	int i;

	sha256("abc", 3, d);
	hex(d, sizeof(d), out);
	EXPECT_STREQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", out);
	sha256("", 0, d);
	hex(d, sizeof(d), out);
	EXPECT_STREQ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", out);
	sha256(msg448, strlen(msg448), d);
	hex(d, sizeof(d), out);
	EXPECT_STREQ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", out);
	memset(a, 'a', sizeof(a));
	sha256_init(&c);
	for (i = 0; i < 1000; i++)
		sha256_update(&c, a, i % 2 ? 999 : 1001);
	sha256_final(&c, d);
	hex(d, sizeof(d), out);
	EXPECT_STREQ("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", out);
}

/* RFC 4231 test cases 1, 2 and 6 (a key longer than a block). */
TEST(hmac_sha256_vectors)
{
	unsigned char key[131], d[SHA256_DIGEST_LEN];
	char out[2 * SHA256_DIGEST_LEN + 1];
	const char *big = "Test Using Larger Than Block-Size Key - Hash Key First";
	struct hmac_sha256 h;

	memset(key, 0x0b, 20);
	hmac_sha256_init(&h, key, 20);
	hmac_sha256_update(&h, "Hi There", 8);
	hmac_sha256_final(&h, d);
	hex(d, sizeof(d), out);
	EXPECT_STREQ("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", out);
	hmac_sha256_init(&h, "Jefe", 4);
	hmac_sha256_update(&h, "what do ya want ", 16);
	hmac_sha256_update(&h, "for nothing?", 12);
	hmac_sha256_final(&h, d);
	hex(d, sizeof(d), out);
	EXPECT_STREQ("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", out);
	memset(key, 0xaa, sizeof(key));
	hmac_sha256_init(&h, key, sizeof(key));
	hmac_sha256_update(&h, big, strlen(big));
	hmac_sha256_final(&h, d);
	hex(d, sizeof(d), out);
	EXPECT_STREQ("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", out);
}

TEST(constant_time_compare)
{
	EXPECT_EQ(0, ct_memcmp("abcd", "abcd", 4));
	EXPECT_NE(0, ct_memcmp("abcd", "abce", 4));
	EXPECT_NE(0, ct_memcmp("xbcd", "abcd", 4));
}

TEST_HARNESS_MAIN
