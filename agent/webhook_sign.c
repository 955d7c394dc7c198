// SPDX-License-Identifier: GPL-2.0
/* Standard Webhooks signing; see webhook_sign.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <libwebsockets.h>

#include "sha256.h"
#include "webhook_sign.h"

int webhook_secret_decode(const char *secret, unsigned char *key,
			  size_t *key_len)
{
	size_t plen = strlen(WEBHOOK_SECRET_PREFIX);
	unsigned char buf[WEBHOOK_KEY_MAX * 2];
	const char *b64;
	size_t len;
	int n;

	if (strncmp(secret, WEBHOOK_SECRET_PREFIX, plen))
		return -EINVAL;
	b64 = secret + plen;
	len = strlen(b64);
	/* Whole quads of the standard alphabet: lws alone is lenient. */
	if (!len || len % 4 || len / 4 * 3 > sizeof(buf) ||
	    strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != len)
		return -EINVAL;
	n = lws_b64_decode_string(b64, (char *)buf, sizeof(buf));
	if (n <= 0 || n > WEBHOOK_KEY_MAX)
		return -EINVAL;
	memcpy(key, buf, n);
	*key_len = n;
	return 0;
}

int webhook_sign(const char *secret, const char *msg_id, long long timestamp,
		 const char *body, size_t body_len,
		 char sig[WEBHOOK_SIGNATURE_LEN])
{
	unsigned char key[WEBHOOK_KEY_MAX], mac[SHA256_DIGEST_LEN];
	struct hmac_sha256 h;
	char ts[32], b64[64];
	size_t key_len;
	int ret;

	ret = webhook_secret_decode(secret, key, &key_len);
	if (ret)
		return ret;
	snprintf(ts, sizeof(ts), ".%lld.", timestamp);
	hmac_sha256_init(&h, key, key_len);
	hmac_sha256_update(&h, msg_id, strlen(msg_id));
	hmac_sha256_update(&h, ts, strlen(ts));
	hmac_sha256_update(&h, body, body_len);
	hmac_sha256_final(&h, mac);
	memset(key, 0, sizeof(key));
	/* lws wants room to spare beyond the 44 characters. */
	if (lws_b64_encode_string((const char *)mac, sizeof(mac), b64,
				  sizeof(b64)) != WEBHOOK_SIGNATURE_LEN - 4)
		return -EIO;
	memcpy(sig, "v1,", 3);
	memcpy(sig + 3, b64, WEBHOOK_SIGNATURE_LEN - 3);
	return 0;
}

int webhook_secret_new(char *out, size_t len)
{
	size_t plen = strlen(WEBHOOK_SECRET_PREFIX);
	unsigned char key[24];

	if (len < plen + 33 + 8)
		return -ENOSPC;
	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		return -EIO;
	memcpy(out, WEBHOOK_SECRET_PREFIX, plen);
	if (lws_b64_encode_string((const char *)key, sizeof(key), out + plen,
				  len - plen) < 0)
		return -ENOSPC;
	return 0;
}
