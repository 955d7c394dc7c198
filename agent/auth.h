/* SPDX-License-Identifier: GPL-2.0 */
/* Bearer tokens: which configured token, if any, a request carries. */
#ifndef _DOORLOCKD_AUTH_H
#define _DOORLOCKD_AUTH_H

#include "config.h"

/*
 * @header is the Authorization header's value ("Bearer <token>"). Every
 * token is compared, in constant time, whatever matches: the time taken
 * says nothing about how close a guess was. NULL when none matches.
 */
const struct config_token *auth_check(const struct config *cfg,
				      const char *header);

#endif /* _DOORLOCKD_AUTH_H */
