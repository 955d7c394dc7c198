/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The link to doorlock.ko, through /dev/doorlockN alone: its events from
 * the open file's queue, commands through its ioctls; the descriptor is
 * watched from the lws loop. Whoever may open the device node (its group)
 * sees the lock; the netlink family is for administrators. It finds each
 * configured lock's device by name or label in sysfs, brings it online,
 * notices when it goes and comes back, and resynchronises after the
 * queue overflowed.
 */
#ifndef _DOORLOCKD_DEVICE_LINK_H
#define _DOORLOCKD_DEVICE_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/doorlock.h>

struct agent;
struct lock;

int device_link_start(struct agent *a);
void device_link_stop(struct agent *a);

/*
 * DOORLOCK_IOC_ACTION: 0 with the driver's id for the action in
 * @action_id, the refusal's -errno (-EBUSY, -EPERM, -EIO, -EPROTO: see
 * api_result_from_refusal()), or -ENODEV once the device is gone.
 */
int device_link_submit(struct lock *l, unsigned int action, uint64_t cookie,
		       uint64_t *action_id);
/*
 * DOORLOCK_IOC_RESULT by cookie (the agent's are random, so unique):
 * -ENOENT for a cookie the driver does not know.
 */
int device_link_result(struct lock *l, uint64_t cookie,
		       struct doorlock_result_query *q);
int device_link_status(struct lock *l, struct doorlock_status *st);
/*
 * Whether the device is being removed. The driver ends an action in
 * flight as DOORLOCK_E_ABORTED as it goes; this tells that apart from an
 * abort on suspend or shutdown.
 */
bool device_link_gone(struct lock *l);

#endif /* _DOORLOCKD_DEVICE_LINK_H */
