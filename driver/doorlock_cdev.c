// SPDX-License-Identifier: GPL-2.0
/*
 * doorlock: /dev/doorlockN.
 *
 * ioctl() submits actions and reads state and results; read() returns
 * whole struct doorlock_event records from a queue of the open file's own.
 * A full queue drops its oldest record and flags the next one read. Once
 * the lock is unbound, read() drains what is queued and then fails with
 * ENODEV, poll() reports EPOLLHUP, and ioctl() fails with ENODEV.
 */

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "doorlock.h"

#define DOORLOCK_QUEUE_LEN	64

/* The same layout for 32-bit userspace: 64-bit fields aligned, no holes. */
static_assert(sizeof(struct doorlock_event) == 80);
static_assert(sizeof(struct doorlock_action_req) == 40);
static_assert(sizeof(struct doorlock_status) == 88);
static_assert(sizeof(struct doorlock_result_query) == 56);
static_assert(sizeof(struct doorlock_abort_req) == 24);
static_assert(IS_ALIGNED(sizeof(struct doorlock_event), 8));
static_assert(IS_ALIGNED(sizeof(struct doorlock_action_req), 8));
static_assert(IS_ALIGNED(sizeof(struct doorlock_status), 8));
static_assert(IS_ALIGNED(sizeof(struct doorlock_result_query), 8));
static_assert(IS_ALIGNED(sizeof(struct doorlock_abort_req), 8));

struct doorlock_reader {
	struct list_head node;
	struct doorlock *dl;
	wait_queue_head_t wait;
	struct mutex read_lock; /* one copy-out at a time: peek, copy, consume */
	bool overflow;
	DECLARE_KFIFO(events, struct doorlock_event, DOORLOCK_QUEUE_LEN);
};

void doorlock_readers_push(struct doorlock *dl,
			   const struct doorlock_event *ev)
{
	struct doorlock_reader *r;
	__poll_t key = EPOLLIN | EPOLLRDNORM;

	spin_lock(&dl->readers_lock);
	/* The last event, DEVICE_REMOVED, also wakes those waiting for HUP. */
	if (READ_ONCE(dl->gone))
		key |= EPOLLHUP | EPOLLERR;
	list_for_each_entry(r, &dl->readers, node) {
		if (kfifo_is_full(&r->events)) {
			kfifo_skip(&r->events);
			r->overflow = true;
		}
		kfifo_put(&r->events, *ev);
		wake_up_poll(&r->wait, key);
	}
	spin_unlock(&dl->readers_lock);
}

/*
 * Under readers_lock, so that an open is either refused or listed before
 * the DEVICE_REMOVED that follows, whose wake carries EPOLLHUP. A lock
 * that never started sends no DEVICE_REMOVED: the wake is here.
 */
void doorlock_mark_gone(struct doorlock *dl)
{
	struct doorlock_reader *r;

	spin_lock(&dl->readers_lock);
	WRITE_ONCE(dl->gone, true);
	if (!dl->started)
		list_for_each_entry(r, &dl->readers, node)
			wake_up_poll(&r->wait, EPOLLHUP | EPOLLERR);
	spin_unlock(&dl->readers_lock);
}

static int doorlock_open(struct inode *inode, struct file *file)
{
	struct doorlock *dl = container_of(inode->i_cdev, struct doorlock,
					   cdev);
	struct doorlock_reader *r;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	INIT_KFIFO(r->events);
	init_waitqueue_head(&r->wait);
	mutex_init(&r->read_lock);
	r->dl = dl;

	/* Checked under the lock gone is set under: no reader is missed. */
	spin_lock(&dl->readers_lock);
	if (READ_ONCE(dl->gone)) {
		spin_unlock(&dl->readers_lock);
		kfree(r);
		return -ENODEV;
	}
	list_add_tail(&r->node, &dl->readers);
	spin_unlock(&dl->readers_lock);

	/*
	 * The cdev pins dl->dev while the inode is open; this reference says
	 * outright that r->dl outlives the platform device's unbind.
	 */
	get_device(&dl->dev);
	file->private_data = r;
	return stream_open(inode, file);
}

static int doorlock_file_release(struct inode *inode, struct file *file)
{
	struct doorlock_reader *r = file->private_data;
	struct doorlock *dl = r->dl;

	spin_lock(&dl->readers_lock);
	list_del(&r->node);
	spin_unlock(&dl->readers_lock);
	mutex_destroy(&r->read_lock);
	kfree(r);
	put_device(&dl->dev);
	return 0;
}

/* The oldest event, left queued until it has reached userspace. */
static bool doorlock_reader_peek(struct doorlock_reader *r,
				 struct doorlock_event *ev)
{
	bool got;

	spin_lock(&r->dl->readers_lock);
	got = kfifo_peek(&r->events, ev);
	if (got && r->overflow)
		ev->flags |= DOORLOCK_EVENT_F_OVERFLOW;
	spin_unlock(&r->dl->readers_lock);
	return got;
}

/*
 * Copied out: drop it, unless an overflow already has (a full queue drops
 * its oldest), and with it the overflow flag it carried.
 */
static void doorlock_reader_consume(struct doorlock_reader *r,
				    const struct doorlock_event *ev)
{
	struct doorlock_event head;

	spin_lock(&r->dl->readers_lock);
	if (kfifo_peek(&r->events, &head) && head.seq == ev->seq) {
		kfifo_skip(&r->events);
		if (ev->flags & DOORLOCK_EVENT_F_OVERFLOW)
			r->overflow = false;
	}
	spin_unlock(&r->dl->readers_lock);
}

static bool doorlock_reader_ready(struct doorlock_reader *r)
{
	bool ready;

	spin_lock(&r->dl->readers_lock);
	ready = !kfifo_is_empty(&r->events) || READ_ONCE(r->dl->gone);
	spin_unlock(&r->dl->readers_lock);
	return ready;
}

/* Copies out what is queued, as whole records; 0 when nothing is. */
static ssize_t doorlock_read_locked(struct doorlock_reader *r,
				    char __user *buf, size_t count)
{
	struct doorlock_event ev;
	size_t done = 0;

	while (count - done >= sizeof(ev) && doorlock_reader_peek(r, &ev)) {
		/* A fault leaves the event queued for the next read. */
		if (copy_to_user(buf + done, &ev, sizeof(ev)))
			return done ? done : -EFAULT;
		doorlock_reader_consume(r, &ev);
		done += sizeof(ev);
	}
	return done;
}

/*
 * read_lock covers only the copying, never the wait: a non-blocking read
 * beside a blocked one gets what is queued, or EAGAIN, at once.
 */
static ssize_t doorlock_read(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	struct doorlock_reader *r = file->private_data;
	ssize_t ret;

	if (count < sizeof(struct doorlock_event))
		return -EINVAL;
	for (;;) {
		if (mutex_lock_interruptible(&r->read_lock))
			return -ERESTARTSYS;
		ret = doorlock_read_locked(r, buf, count);
		mutex_unlock(&r->read_lock);
		if (ret)
			return ret;
		if (READ_ONCE(r->dl->gone))
			return -ENODEV;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(r->wait,
					       doorlock_reader_ready(r));
		if (ret)
			return ret;
	}
}

static __poll_t doorlock_poll(struct file *file, poll_table *wait)
{
	struct doorlock_reader *r = file->private_data;
	__poll_t mask = 0;
	bool empty;

	poll_wait(file, &r->wait, wait);
	spin_lock(&r->dl->readers_lock);
	empty = kfifo_is_empty(&r->events);
	spin_unlock(&r->dl->readers_lock);
	if (!empty)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(r->dl->gone))
		mask |= EPOLLHUP | EPOLLERR;
	return mask;
}

static long doorlock_ioctl_action(struct file *file, struct doorlock *dl,
				  void __user *arg)
{
	struct doorlock_action_req req;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!req.cookie || req.action_id || req.flags ||
	    memchr_inv(req.reserved, 0, sizeof(req.reserved)))
		return -EINVAL;
	if (req.action != DOORLOCK_ACTION_LOCK &&
	    req.action != DOORLOCK_ACTION_UNLOCK)
		return -EINVAL;
	ret = doorlock_submit(dl, req.action, req.cookie, &req.action_id);
	if (ret)
		return ret;
	/* Accepted: a caller that cannot read its id still has its cookie. */
	return copy_to_user(arg, &req, sizeof(req)) ? -EFAULT : 0;
}

static long doorlock_ioctl_abort(struct file *file, struct doorlock *dl,
				 void __user *arg)
{
	struct doorlock_abort_req req;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!req.action_id || req.flags ||
	    memchr_inv(req.reserved, 0, sizeof(req.reserved)))
		return -EINVAL;
	return doorlock_abort(dl, req.action_id);
}

static long doorlock_ioctl_status(struct doorlock *dl, void __user *arg)
{
	struct doorlock_status st;

	doorlock_get_status(dl, &st);
	return copy_to_user(arg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long doorlock_ioctl_result(struct doorlock *dl, void __user *arg)
{
	struct doorlock_result_query q;
	int ret;

	if (copy_from_user(&q, arg, sizeof(q)))
		return -EFAULT;
	if ((q.flags & ~DOORLOCK_RESULT_F_BY_COOKIE) ||
	    memchr_inv(q.reserved, 0, sizeof(q.reserved)))
		return -EINVAL;
	/* The key not used must be zero: room to give it a meaning later. */
	if (q.flags & DOORLOCK_RESULT_F_BY_COOKIE ? q.action_id : q.cookie)
		return -EINVAL;
	ret = doorlock_get_result(dl, &q);
	if (ret)
		return ret;
	return copy_to_user(arg, &q, sizeof(q)) ? -EFAULT : 0;
}

static long doorlock_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct doorlock_reader *r = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (READ_ONCE(r->dl->gone))
		return -ENODEV;
	switch (cmd) {
	case DOORLOCK_IOC_ACTION:
		return doorlock_ioctl_action(file, r->dl, uarg);
	case DOORLOCK_IOC_STATUS:
		return doorlock_ioctl_status(r->dl, uarg);
	case DOORLOCK_IOC_RESULT:
		return doorlock_ioctl_result(r->dl, uarg);
	case DOORLOCK_IOC_ABORT:
		return doorlock_ioctl_abort(file, r->dl, uarg);
	default:
		return -ENOTTY;
	}
}

const struct file_operations doorlock_fops = {
	.owner = THIS_MODULE,
	.open = doorlock_open,
	.release = doorlock_file_release,
	.read = doorlock_read,
	.poll = doorlock_poll,
	.unlocked_ioctl = doorlock_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};
