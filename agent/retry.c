// SPDX-License-Identifier: GPL-2.0
/* The webhook retry schedule; see retry.h. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "retry.h"

#define RETRY_AFTER_CAP_S	(24 * 3600L)

const struct retry_schedule retry_default = {
	.delay_s = { 0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600,
		     10 * 3600 },
	.attempts = 8,
};

long retry_delay(const struct retry_schedule *s, unsigned int attempt)
{
	if (attempt >= s->attempts)
		return -1;
	return s->delay_s[attempt];
}

long retry_after_parse(const char *value, time_t now)
{
	const char *p = value;
	struct tm tm;
	char *end;
	long n;
	time_t t;

	while (*p == ' ')
		p++;
	if (isdigit((unsigned char)*p)) {
		errno = 0;
		n = strtol(p, &end, 10);
		while (*end == ' ')
			end++;
		if (errno || *end)
			return -EINVAL;
		return n > RETRY_AFTER_CAP_S ? RETRY_AFTER_CAP_S : n;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(p, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (!end || *end)
		return -EINVAL;
	t = timegm(&tm);
	if (t <= now)
		return 0;
	return t - now > RETRY_AFTER_CAP_S ? RETRY_AFTER_CAP_S : t - now;
}
