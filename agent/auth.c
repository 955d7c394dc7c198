// SPDX-License-Identifier: GPL-2.0
/* Bearer token check; see auth.h. */
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "sha256.h"

const struct config_token *auth_check(const struct config *cfg,
				      const char *header)
{
	unsigned char digest[SHA256_DIGEST_LEN];
	const struct config_token *found = NULL;
	const char *token;
	size_t i;

	if (!header || strncasecmp(header, "Bearer ", 7))
		return NULL;
	token = header + 7;
	while (*token == ' ')
		token++;
	if (!*token)
		return NULL;
	/* Comparing digests keeps the token's length out of the timing. */
	sha256(token, strlen(token), digest);
	for (i = 0; i < cfg->n_tokens; i++)
		if (!ct_memcmp(digest, cfg->tokens[i].sha256,
			       CONFIG_SHA256_LEN))
			found = &cfg->tokens[i];
	return found;
}
