/* SPDX-License-Identifier: GPL-2.0 */
/* The few kernel idioms doorlockd uses, for userspace. */
#ifndef _DOORLOCKD_UTIL_H
#define _DOORLOCKD_UTIL_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define DL_ATTRIBUTE(x)	__attribute__((x))
#define __printf(a, b)	DL_ATTRIBUTE(format(printf, a, b))
#define fallthrough	__attribute__((__fallthrough__))

#endif /* _DOORLOCKD_UTIL_H */
