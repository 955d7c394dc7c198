/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File descriptors watched from the libwebsockets loop (/dev/doorlockN,
 * a GPIO line's events, signals). lws adopts a
 * dup() of the descriptor and closes that copy itself; the caller keeps
 * and closes its own.
 */
#ifndef _DOORLOCKD_FDWATCH_H
#define _DOORLOCKD_FDWATCH_H

#include <libwebsockets.h>

/* Readable: read what is there. A negative return stops the watch. */
typedef int (*fdwatch_read_fn)(void *arg);
/* The watch ended on its own: hang-up, error or a negative read. */
typedef void (*fdwatch_closed_fn)(void *arg);

struct fdwatch;

extern const struct lws_protocols fdwatch_protocol;

int fdwatch_add(struct lws_vhost *vh, int fd, fdwatch_read_fn on_read,
		fdwatch_closed_fn on_closed, void *arg, struct fdwatch **out);
/* Stops the watch; @on_closed is not called. */
void fdwatch_remove(struct fdwatch *w);

#endif /* _DOORLOCKD_FDWATCH_H */
