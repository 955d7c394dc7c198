// SPDX-License-Identifier: GPL-2.0
/* Identifiers and times; see ids.h. */
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

#include "ids.h"

int id_new(char *out, size_t len, const char *prefix)
{
	unsigned char b[10];
	size_t i, n;

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		return -EIO;
	n = snprintf(out, len, "%s", prefix);
	if (n + 2 * sizeof(b) >= len)
		return -ENOSPC;
	for (i = 0; i < sizeof(b); i++, n += 2)
		snprintf(out + n, len - n, "%02x", b[i]);
	return 0;
}

int cookie_new(uint64_t *cookie)
{
	/* SQLite stores signed 64-bit integers: keep the top bit clear. */
	do {
		if (getrandom(cookie, sizeof(*cookie), 0) != sizeof(*cookie))
			return -EIO;
		*cookie &= INT64_MAX;
	} while (!*cookie);
	return 0;
}

void time_iso8601(long long t, char out[IDS_ISO8601_LEN])
{
	time_t tt = t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, IDS_ISO8601_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
