/* SPDX-License-Identifier: GPL-2.0 */
/* Identifiers and times as the API writes them. */
#ifndef _DOORLOCKD_IDS_H
#define _DOORLOCKD_IDS_H

#include <stddef.h>
#include <stdint.h>

#define IDS_ISO8601_LEN	sizeof("2025-05-22T10:45:12Z")

/* @prefix followed by 20 random hex digits ("act_3f9c..."). */
int id_new(char *out, size_t len, const char *prefix);
/* A random non-zero cookie for the driver. */
int cookie_new(uint64_t *cookie);
/* Unix seconds as "2025-05-22T10:45:12Z". */
void time_iso8601(long long t, char out[IDS_ISO8601_LEN]);

#endif /* _DOORLOCKD_IDS_H */
