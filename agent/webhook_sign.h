/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Standard Webhooks signatures: "v1," + base64(HMAC-SHA256(key,
 * "<id>.<timestamp>.<body>")), the key being the base64 after "whsec_".
 */
#ifndef _DOORLOCKD_WEBHOOK_SIGN_H
#define _DOORLOCKD_WEBHOOK_SIGN_H

#include <stddef.h>

#define WEBHOOK_SECRET_PREFIX	"whsec_"
#define WEBHOOK_KEY_MAX		64
/* "v1," and the base64 of a 32-byte digest, with its NUL. */
#define WEBHOOK_SIGNATURE_LEN	(3 + 44 + 1)

/* Decodes @secret into @key; -EINVAL when it is not whsec_<base64>. */
int webhook_secret_decode(const char *secret, unsigned char *key,
			  size_t *key_len);
/* Writes the signature of one delivery into @sig. */
int webhook_sign(const char *secret, const char *msg_id, long long timestamp,
		 const char *body, size_t body_len,
		 char sig[WEBHOOK_SIGNATURE_LEN]);
/* Makes a fresh whsec_ secret of 24 random bytes. */
int webhook_secret_new(char *out, size_t len);

#endif /* _DOORLOCKD_WEBHOOK_SIGN_H */
