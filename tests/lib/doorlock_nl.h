/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace side of the "doorlock" generic netlink family (libnl): events
 * from the "events" group, the device dump, results by cookie. Shared by
 * doorlockctl, doorlockd and the tests. Functions return 0 or -errno.
 */
#ifndef _DOORLOCK_NL_H
#define _DOORLOCK_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/doorlock.h>

struct doorlock_nl;

struct doorlock_nl_device {
	uint32_t device;
	char label[64];
	uint32_t bolt_state;
	uint32_t last_error;
	uint32_t action;
	uint32_t seq;
	uint64_t action_id;
	uint64_t cookie;
	bool enabled;
};

typedef void (*doorlock_nl_event_fn)(const struct doorlock_event *ev,
				     const char *label, void *arg);

/*
 * Connects and resolves the family (-ENOENT when doorlock.ko is not
 * loaded). With @on_event, also joins the events group; its socket is
 * non-blocking and doorlock_nl_fd() is what to poll.
 */
int doorlock_nl_open(struct doorlock_nl **out, doorlock_nl_event_fn on_event,
		     void *arg);
void doorlock_nl_close(struct doorlock_nl *nl);
/* The events socket's receive buffer, in bytes (the kernel doubles it). */
int doorlock_nl_set_rcvbuf(struct doorlock_nl *nl, int bytes);
int doorlock_nl_fd(const struct doorlock_nl *nl);
/*
 * Delivers the events one read of the socket brings; call it again while
 * doorlock_nl_fd() polls readable. -ENOBUFS: the kernel dropped events
 * (socket overrun); resynchronise from the dump and the results.
 */
int doorlock_nl_recv(struct doorlock_nl *nl);
/* Lists up to @max locks into @devs; their number lands in @n. */
int doorlock_nl_dump(struct doorlock_nl *nl, struct doorlock_nl_device *devs,
		     size_t max, size_t *n);
/* How the newest action @cookie of lock @device ended (-ENOENT: none). */
int doorlock_nl_result(struct doorlock_nl *nl, uint32_t device,
		       uint64_t cookie, struct doorlock_result_query *q);
/* How action @action_id of lock @device ended (-ENOENT: not recent). */
int doorlock_nl_result_id(struct doorlock_nl *nl, uint32_t device,
			  uint64_t action_id, struct doorlock_result_query *q);

#endif /* _DOORLOCK_NL_H */
