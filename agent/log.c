// SPDX-License-Identifier: GPL-2.0
/* doorlockd's levelled log on stderr; see log.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static int log_level = LOG_INFO;

static const char * const level_names[] = {
	[LOG_ERR] = "error",
	[LOG_WARNING] = "warning",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

void log_set_level(int level)
{
	log_level = level;
}

int log_level_parse(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(level_names); i++)
		if (level_names[i] && !strcmp(name, level_names[i]))
			return i;
	return -EINVAL;
}

void log_msg(int prio, const char *fmt, ...)
{
	static int journal = -1;
	char line[1024];
	va_list ap;

	if (prio > log_level)
		return;
	if (journal < 0)
		journal = !!getenv("JOURNAL_STREAM");
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (journal)
		fprintf(stderr, "<%d>%s\n", prio, line);
	else
		fprintf(stderr, "doorlockd: %s: %s\n",
			prio < LOG_ERR ? "error" :
			level_names[prio] ? level_names[prio] : "notice", line);
}
