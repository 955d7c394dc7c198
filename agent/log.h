/* SPDX-License-Identifier: GPL-2.0 */
/*
 * doorlockd's log: one line per message on stderr, with a level. Under
 * systemd (JOURNAL_STREAM set) each line starts with the <N> prefix the
 * journal turns into a priority.
 */
#ifndef _DOORLOCKD_LOG_H
#define _DOORLOCKD_LOG_H

#include <syslog.h>

#include "util.h"

/* Messages above @level (a LOG_* priority) are not printed. */
void log_set_level(int level);
/* "error", "warning", "info" or "debug"; -EINVAL for anything else. */
int log_level_parse(const char *name);
__printf(2, 3) void log_msg(int prio, const char *fmt, ...);

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* _DOORLOCKD_LOG_H */
