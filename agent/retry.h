/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When to try a webhook delivery again: the README's schedule (at
 * once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), stretched by a
 * receiver's Retry-After.
 */
#ifndef _DOORLOCKD_RETRY_H
#define _DOORLOCKD_RETRY_H

#include <stddef.h>
#include <time.h>

#define RETRY_MAX_ATTEMPTS	16

struct retry_schedule {
	unsigned int delay_s[RETRY_MAX_ATTEMPTS];
	size_t attempts;
};

extern const struct retry_schedule retry_default;

/*
 * Seconds to wait before attempt @attempt (0 = the first), or -1 once the
 * schedule is spent and the delivery has failed for good.
 */
long retry_delay(const struct retry_schedule *s, unsigned int attempt);
/*
 * The wait a Retry-After header asks for (delta-seconds or an HTTP date),
 * capped at a day; -EINVAL when it is neither.
 */
long retry_after_parse(const char *value, time_t now);

#endif /* _DOORLOCKD_RETRY_H */
