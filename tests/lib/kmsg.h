/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers: the kernel log, read from /dev/kmsg, for a test that must
 * see why the kernel did something (a probe refused for one property and
 * not another reason).
 */
#ifndef _KMSG_H
#define _KMSG_H

#include <stdbool.h>

/* A reader of what the kernel logs from now on; -errno on failure. */
int kmsg_open(void);
/* Whether a record logged since kmsg_open(@fd) contains @needle. */
bool kmsg_seen(int fd, const char *needle);

#endif /* _KMSG_H */
