// SPDX-License-Identifier: GPL-2.0
/*
 * vntb: what the poll timer and the doorbell interrupts saw, in debugfs,
 * for tests and for a look on a board. One directory per function, named
 * after its device:
 *
 *   /sys/kernel/debug/pci-epf-vntb/pci_epf_vntb.0/
 *       polls          runs of the poll timer since the controller started
 *       interval_us    the interval the last run armed
 *       active         runs that found a host doorbell or command
 *       active_fast    of those, the runs that followed an interval of
 *                      poll_min_us (the host waited at most that long)
 *       db_irq_count   host doorbells taken as interrupts, 0 when polled
 *       db_irqs        doorbell interrupts delivered since the link
 *
 * On a busy link active_fast follows active; on an idle one interval_us
 * settles at poll_max_us and polls grows by 1e6 / poll_max_us a second.
 */
#include <linux/debugfs.h>

#include "vntb.h"

static struct dentry *vntb_debugfs_root;

/**
 * vntb_debugfs_init() - create the driver's debugfs directory
 */
void vntb_debugfs_init(void)
{
	vntb_debugfs_root = debugfs_create_dir("pci-epf-vntb", NULL);
}

/**
 * vntb_debugfs_exit() - remove the driver's debugfs directory
 */
void vntb_debugfs_exit(void)
{
	debugfs_remove_recursive(vntb_debugfs_root);
}

/**
 * vntb_debugfs_add() - create a function's directory and files
 * @vntb: the function, at probe
 */
void vntb_debugfs_add(struct vntb *vntb)
{
	struct vntb_poll_stats *stats = &vntb->poll_stats;
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(&vntb->epf->dev), vntb_debugfs_root);
	debugfs_create_u64("polls", 0444, dir, &stats->polls);
	debugfs_create_u32("interval_us", 0444, dir, &stats->interval_us);
	debugfs_create_u64("active", 0444, dir, &stats->active);
	debugfs_create_u64("active_fast", 0444, dir, &stats->active_fast);
	debugfs_create_u32("db_irq_count", 0444, dir, &vntb->db_irq.count);
	debugfs_create_u64("db_irqs", 0444, dir, &vntb->db_irq.irqs);
	vntb->debugfs = dir;
}

/**
 * vntb_debugfs_remove() - remove a function's directory
 * @vntb: the function, at remove
 */
void vntb_debugfs_remove(struct vntb *vntb)
{
	debugfs_remove_recursive(vntb->debugfs);
}
