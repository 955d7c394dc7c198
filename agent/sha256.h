/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): all the cryptography
 * doorlockd needs without TLS. Its own, so that a daemon without TLS
 * never loads OpenSSL's providers (about 3 MiB of resident memory).
 */
#ifndef _DOORLOCKD_SHA256_H
#define _DOORLOCKD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN	32
#define SHA256_BLOCK_LEN	64

struct sha256 {
	uint32_t h[8];
	uint64_t len;			/* bytes so far */
	unsigned char buf[SHA256_BLOCK_LEN];
	size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char out[SHA256_DIGEST_LEN]);
void sha256(const void *data, size_t len,
	    unsigned char out[SHA256_DIGEST_LEN]);

struct hmac_sha256 {
	struct sha256 inner;
	struct sha256 outer;
};

void hmac_sha256_init(struct hmac_sha256 *c, const void *key, size_t len);
void hmac_sha256_update(struct hmac_sha256 *c, const void *data, size_t len);
void hmac_sha256_final(struct hmac_sha256 *c,
		       unsigned char out[SHA256_DIGEST_LEN]);

/* 0 when equal; the time taken depends on @len only. */
int ct_memcmp(const void *a, const void *b, size_t len);

#endif /* _DOORLOCKD_SHA256_H */
