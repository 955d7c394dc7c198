// SPDX-License-Identifier: GPL-2.0
/* Bearer token check; see auth.h. */
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "auth.h"

const struct config_token *auth_check(const struct config *cfg,
				      const char *header)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	const struct config_token *found = NULL;
	const char *token;
	unsigned int len;
	size_t i;

	if (!header || strncasecmp(header, "Bearer ", 7))
		return NULL;
	token = header + 7;
	while (*token == ' ')
		token++;
	if (!*token)
		return NULL;
	/* Comparing digests keeps the token's length out of the timing. */
	if (!EVP_Digest(token, strlen(token), digest, &len, EVP_sha256(),
			NULL) || len != CONFIG_SHA256_LEN)
		return NULL;
	for (i = 0; i < cfg->n_tokens; i++)
		if (!CRYPTO_memcmp(digest, cfg->tokens[i].sha256,
				   CONFIG_SHA256_LEN))
			found = &cfg->tokens[i];
	return found;
}
