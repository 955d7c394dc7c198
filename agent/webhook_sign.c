// SPDX-License-Identifier: GPL-2.0
/* Standard Webhooks signing with OpenSSL; see webhook_sign.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

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
	/* EVP_DecodeBlock takes whole quads only and counts padding in. */
	if (!len || len % 4 || len / 4 * 3 > sizeof(buf) ||
	    strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != len)
		return -EINVAL;
	n = EVP_DecodeBlock(buf, (const unsigned char *)b64, len);
	if (n < 0)
		return -EINVAL;
	if (b64[len - 1] == '=')
		n--;
	if (b64[len - 2] == '=')
		n--;
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
	unsigned char key[WEBHOOK_KEY_MAX], mac[EVP_MAX_MD_SIZE];
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *hmac;
	size_t key_len, mac_len;
	char ts[32];
	int ret;

	ret = webhook_secret_decode(secret, key, &key_len);
	if (ret)
		return ret;
	snprintf(ts, sizeof(ts), ".%lld.", timestamp);
	ret = -ENOMEM;
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!hmac)
		goto out;
	ctx = EVP_MAC_CTX_new(hmac);
	if (!ctx)
		goto out_mac;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     "SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	ret = -EIO;
	if (!EVP_MAC_init(ctx, key, key_len, params) ||
	    !EVP_MAC_update(ctx, (const unsigned char *)msg_id,
			    strlen(msg_id)) ||
	    !EVP_MAC_update(ctx, (const unsigned char *)ts, strlen(ts)) ||
	    !EVP_MAC_update(ctx, (const unsigned char *)body, body_len) ||
	    !EVP_MAC_final(ctx, mac, &mac_len, sizeof(mac)) || mac_len != 32)
		goto out_ctx;
	memcpy(sig, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)sig + 3, mac, mac_len);
	ret = 0;
out_ctx:
	EVP_MAC_CTX_free(ctx);
out_mac:
	EVP_MAC_free(hmac);
out:
	memset(key, 0, sizeof(key));
	return ret;
}

int webhook_secret_new(char *out, size_t len)
{
	size_t plen = strlen(WEBHOOK_SECRET_PREFIX);
	unsigned char key[24];

	if (len < plen + 33)
		return -ENOSPC;
	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		return -EIO;
	memcpy(out, WEBHOOK_SECRET_PREFIX, plen);
	EVP_EncodeBlock((unsigned char *)out + plen, key, sizeof(key));
	return 0;
}
