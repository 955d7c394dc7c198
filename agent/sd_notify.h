/* SPDX-License-Identifier: GPL-2.0 */
/*
 * systemd's readiness protocol (sd_notify(3)): one datagram of
 * "KEY=value" lines to $NOTIFY_SOCKET. Written here rather than linked
 * from libsystemd, whose dependencies cost the daemon about 1 MiB of
 * resident memory for these few lines.
 */
#ifndef _DOORLOCKD_SD_NOTIFY_H
#define _DOORLOCKD_SD_NOTIFY_H

#include <stdint.h>

#include "util.h"

/* 0 when sent or when not under systemd; -errno on failure. */
__printf(1, 2) int sd_notify_send(const char *fmt, ...);
/* The watchdog interval systemd asks for, in microseconds, or 0. */
uint64_t sd_notify_watchdog_usec(void);

#endif /* _DOORLOCKD_SD_NOTIFY_H */
