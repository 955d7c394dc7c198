/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers around /dev/doorlockN. Each returns 0 or -errno.
 */
#ifndef _LOCKDEV_H
#define _LOCKDEV_H

#include <stdint.h>

#include <linux/doorlock.h>

int lockdev_open(unsigned int id, int flags);
/*
 * Submits an action: 0 when accepted, with the driver's id for it in
 * @action_id (may be NULL), or the refusal's -errno.
 */
int lockdev_action(int fd, uint32_t action, uint64_t cookie,
		   uint64_t *action_id);
int lockdev_status(int fd, struct doorlock_status *st);
/* The result of the newest action with @cookie. */
int lockdev_result(int fd, uint64_t cookie, struct doorlock_result_query *q);
/* The result of action @action_id. */
int lockdev_result_id(int fd, uint64_t action_id,
		      struct doorlock_result_query *q);
/* Reads one event, waiting up to @timeout_ms (-ETIMEDOUT). */
int lockdev_next(int fd, struct doorlock_event *ev, int timeout_ms);
/* Reads events until one of @type comes; earlier ones are dropped. */
int lockdev_wait_type(int fd, uint32_t type, struct doorlock_event *ev,
		      int timeout_ms);
/* Reads events until the ACTION_COMPLETED of @cookie comes. */
int lockdev_wait_done(int fd, uint64_t cookie, struct doorlock_event *ev,
		      int timeout_ms);
/* Reads until @quiet_ms pass with no event; returns how many came. */
int lockdev_drain(int fd, int quiet_ms);

#endif /* _LOCKDEV_H */
