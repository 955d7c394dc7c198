// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module that misbehaves on purpose, so the VM runner's splat
 * detection is itself tested for the reports LKDTM cannot provoke:
 *   kind=leak      allocations nothing points to (kmemleak)
 *   kind=lockdep   two mutexes taken in both orders (lockdep)
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *kind = "";
module_param(kind, charp, 0444);
MODULE_PARM_DESC(kind, "leak or lockdep");

static DEFINE_MUTEX(splat_a);
static DEFINE_MUTEX(splat_b);

/*
 * Many of them: stale copies of the last few pointers can linger on a
 * cached kernel stack, which kmemleak scans, and hide those.
 */
static void splat_leak(void)
{
	void *p;
	int i;

	for (i = 0; i < 32; i++) {
		p = kmalloc(128, GFP_KERNEL);
		if (p)
			memset(p, 0x5a, 128);
	}
}

/* One thread, no deadlock: lockdep reports the inversion all the same. */
static void splat_lock_inversion(void)
{
	mutex_lock(&splat_a);
	mutex_lock(&splat_b);
	mutex_unlock(&splat_b);
	mutex_unlock(&splat_a);

	mutex_lock(&splat_b);
	mutex_lock(&splat_a);
	mutex_unlock(&splat_a);
	mutex_unlock(&splat_b);
}

static int __init splat_init(void)
{
	if (!strcmp(kind, "leak"))
		splat_leak();
	else if (!strcmp(kind, "lockdep"))
		splat_lock_inversion();
	else
		return -EINVAL;
	return 0;
}
module_init(splat_init);

static void __exit splat_exit(void)
{
}
module_exit(splat_exit);

MODULE_DESCRIPTION("doorlock test rig: provokes a leak or a lockdep report");
MODULE_LICENSE("GPL");
