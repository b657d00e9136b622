// SPDX-License-Identifier: GPL-2.0
/*
 * vntb-splat-probe: a test module that trips one bug detector on purpose
 * when loaded, so the rig can show that each detector's report turns a
 * run red. The detector is chosen with the mode parameter:
 *
 *   warn     WARN() once
 *   kasan    read one byte past a kmalloc() buffer
 *   lockdep  take two mutexes in both orders, one after the other
 *   hung     block a kthread uninterruptibly until the module is removed
 *   leak     kmalloc() a buffer and forget it
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *mode = "warn";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "detector to trip: warn, kasan, lockdep, hung or leak");

static DEFINE_MUTEX(splat_probe_a);
static DEFINE_MUTEX(splat_probe_b);
static struct task_struct *splat_probe_task;

static int splat_probe_kasan(void)
{
	char *buf = kmalloc(16, GFP_KERNEL);
	size_t past = 16;

	if (!buf)
		return -ENOMEM;
	OPTIMIZER_HIDE_VAR(past);
	pr_info("vntb-splat-probe: byte past the buffer: %d\n",
		READ_ONCE(buf[past]));
	kfree(buf);
	return 0;
}

static int splat_probe_lockdep(void)
{
	mutex_lock(&splat_probe_a);
	mutex_lock(&splat_probe_b);
	mutex_unlock(&splat_probe_b);
	mutex_unlock(&splat_probe_a);

	mutex_lock(&splat_probe_b);
	mutex_lock(&splat_probe_a);
	mutex_unlock(&splat_probe_a);
	mutex_unlock(&splat_probe_b);
	return 0;
}

/* asleep, uninterruptibly, until kthread_stop() wakes it */
static int splat_probe_block(void *unused)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_UNINTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int splat_probe_hung(void)
{
	splat_probe_task = kthread_run(splat_probe_block, NULL,
				       "vntb-splat-hung");
	return PTR_ERR_OR_ZERO(splat_probe_task);
}

static int splat_probe_leak(void)
{
	void *buf = kmalloc(64, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	pr_info("vntb-splat-probe: leaking 64 bytes\n");
	return 0;
}

static int __init vntb_splat_probe_init(void)
{
	if (!strcmp(mode, "warn")) {
		WARN(1, "vntb-splat-probe: deliberate warning\n");
		return 0;
	}
	if (!strcmp(mode, "kasan"))
		return splat_probe_kasan();
	if (!strcmp(mode, "lockdep"))
		return splat_probe_lockdep();
	if (!strcmp(mode, "hung"))
		return splat_probe_hung();
	if (!strcmp(mode, "leak"))
		return splat_probe_leak();
	pr_err("vntb-splat-probe: mode %s: unknown\n", mode);
	return -EINVAL;
}
module_init(vntb_splat_probe_init);

static void __exit vntb_splat_probe_exit(void)
{
	if (splat_probe_task)
		kthread_stop(splat_probe_task);
}
module_exit(vntb_splat_probe_exit);

MODULE_DESCRIPTION("Trips one bug detector on purpose, for the rig's detector self-tests");
MODULE_LICENSE("GPL");
