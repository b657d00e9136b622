// SPDX-License-Identifier: GPL-2.0
/*
 * vntb: the control region protocol with the host.
 *
 * The host writes a command and its argument into the control region and
 * polls command_status; it rings doorbells by writing into the doorbell
 * BAR. Unless the controller turns those writes into interrupts
 * (vntb-doorbell.c), the endpoint sees neither as one: poll_timer, a
 * softirq hrtimer, reads both. It delivers doorbells itself and queues
 * cmd_work for a command, which may sleep. The interval is an eighth of
 * the time since the host was last seen active, within
 * poll_min_us..poll_max_us: a doorbell waits at most 1/8 of the idle time
 * before it, so a link carrying requests and answers keeps a short
 * interval while an idle one settles at poll_max_us. Everything the host
 * writes is untrusted: every command is answered OK or ERROR, and no
 * index or size from the host is used before it is checked.
 *
 * Endpoint-to-host doorbells are MSI vectors. Raising one through the
 * endpoint core may sleep: a client that may sleep too (ntb_tool,
 * ntb_perf) raises it at once, one in atomic context (ntb_transport's
 * transmit path, ntb_pingpong's timer) leaves it to peer_db_work, which
 * runs in a real-time kthread worker.
 *
 * Everything done to the controller (a host window mapped, a vector
 * raised) goes through vntb-epc.c, which owns the controller and its
 * lock; the lifecycle (vntb-main.c) starts and stops the poll.
 */
#include <linux/bitops.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/nospec.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "vntb.h"

/* runs every function's command work */
static struct workqueue_struct *vntb_wq;
/*
 * raises every function's doorbells rung from atomic context; a
 * real-time thread, as a threaded interrupt handler is, so that the
 * host's interrupt does not wait behind the endpoint's other tasks
 */
static struct kthread_worker *vntb_db_worker;

/* the interval is the time since the host was last active divided by this */
#define VNTB_POLL_IDLE_SHARE	8
#define VNTB_POLL_CMD_IDLE_US	200000

static struct device *vntb_dev(struct vntb *vntb)
{
	return &vntb->epf->dev;
}

/**
 * vntb_ctrl_init() - fill the control region after allocation
 * @vntb: the function
 */
void vntb_ctrl_init(struct vntb *vntb)
{
	struct vntb_ctrl *ctrl = vntb->ctrl;
	int i;

	memset(ctrl, 0, vntb->ctrl_size);
	ctrl->num_mws = cpu_to_le32(vntb->live.num_mws);
	ctrl->spad_offset = cpu_to_le32(sizeof(*ctrl));
	ctrl->spad_count = cpu_to_le32(vntb->live.spad_count);
	ctrl->db_entry_size = cpu_to_le32(VNTB_DB_ENTRY_SIZE);
	for (i = 0; i < VNTB_MAX_DB_SLOTS; i++) {
		ctrl->db_data[i] = cpu_to_le32(i + 1);
		ctrl->db_offset[i] = 0;
	}
	memset(vntb->db_slots, 0, VNTB_MAX_DB_SLOTS * VNTB_DB_ENTRY_SIZE);
	vntb_db_irq_write_ctrl(vntb);
}

static void vntb_ctrl_link_event(struct vntb *vntb)
{
	spin_lock_irq(&vntb->ndev_lock);
	if (vntb->ndev)
		ntb_link_event(&vntb->ndev->ntb);
	spin_unlock_irq(&vntb->ndev_lock);
}

/**
 * vntb_ctrl_undelivered_doorbells() - doorbells rung but not yet polled
 * @vntb: the function, with its doorbell BAR allocated
 *
 * Reads the doorbell slots without clearing them, so that a read of the
 * doorbell register sees a ring at once, as on hardware; the poll still
 * delivers each ring as an event unless a client clears it first.
 *
 * Return: the doorbell bits whose slot the host wrote.
 */
u64 vntb_ctrl_undelivered_doorbells(struct vntb *vntb)
{
	u64 bits = 0;
	u32 slot;

	for (slot = VNTB_DB_FIRST_SLOT; slot < vntb->live.db_count; slot++)
		if (READ_ONCE(vntb->db_slots[slot]))
			bits |= BIT_ULL(slot - VNTB_DB_FIRST_SLOT);
	return bits;
}

/* empty the slots of @bits: their rings are neither read nor polled again */
static void vntb_ctrl_empty_slots(struct vntb *vntb, u64 bits)
{
	u32 slot;

	for (slot = VNTB_DB_FIRST_SLOT; slot < vntb->live.db_count; slot++)
		if (bits & BIT_ULL(slot - VNTB_DB_FIRST_SLOT))
			WRITE_ONCE(vntb->db_slots[slot], 0);
}

/**
 * vntb_ctrl_clear_doorbells() - clear doorbells for a client
 * @vntb: the function, with its doorbell BAR allocated
 * @bits: the doorbell bits to clear
 *
 * As a hardware doorbell register is cleared whether or not its
 * interrupt was handled, a ring still in its slot is cleared there too:
 * the poll neither delivers it nor sets it again afterwards. Any context.
 */
void vntb_ctrl_clear_doorbells(struct vntb *vntb, u64 bits)
{
	unsigned long flags;

	spin_lock_irqsave(&vntb->db_lock, flags);
	vntb_ctrl_empty_slots(vntb, bits);
	atomic64_andnot(bits, &vntb->db_bits);
	spin_unlock_irqrestore(&vntb->db_lock, flags);
}

/* tell the clients which doorbells the host rang; any context */
static void vntb_ctrl_notify(struct vntb *vntb, u64 bits)
{
	unsigned long flags, pending = bits;
	int bit;

	spin_lock_irqsave(&vntb->ndev_lock, flags);
	if (vntb->ndev)
		for_each_set_bit(bit, &pending, VNTB_MAX_DB_SLOTS)
			ntb_db_event(&vntb->ndev->ntb, bit);
	spin_unlock_irqrestore(&vntb->ndev_lock, flags);
}

/**
 * vntb_ctrl_deliver_doorbells() - tell the clients the host rang
 * @vntb: the function
 * @bits: the doorbells rung
 *
 * From a doorbell interrupt: any context.
 */
void vntb_ctrl_deliver_doorbells(struct vntb *vntb, u64 bits)
{
	atomic64_or(bits, &vntb->db_bits);
	vntb_ctrl_notify(vntb, bits);
}

/* from poll_timer: true when the host rang a doorbell */
static bool vntb_ctrl_poll_doorbells(struct vntb *vntb)
{
	unsigned long flags;
	u64 bits;

	/* none rang, or they are interrupts and nothing lands in the slots */
	if (vntb->db_irq.count || !vntb_ctrl_undelivered_doorbells(vntb))
		return false;
	/* taken and set as one, so that a client's clear cannot fall between */
	spin_lock_irqsave(&vntb->db_lock, flags);
	bits = vntb_ctrl_undelivered_doorbells(vntb);
	vntb_ctrl_empty_slots(vntb, bits);
	atomic64_or(bits, &vntb->db_bits);
	spin_unlock_irqrestore(&vntb->db_lock, flags);
	if (!bits)
		return false;
	vntb_ctrl_notify(vntb, bits);
	return true;
}

static u16 vntb_ctrl_refuse(struct vntb *vntb, u32 cmd, u32 arg,
			    const char *why)
{
	dev_err_ratelimited(vntb_dev(vntb), "host command %u (argument %#x) refused: %s\n",
			    cmd, arg, why);
	return VNTB_STATUS_ERROR;
}

static u16 vntb_ctrl_configure_doorbell(struct vntb *vntb, u32 arg)
{
	u32 vectors = arg & VNTB_DB_ARG_COUNT;

	if (!vectors || vectors > VNTB_MAX_DB_SLOTS)
		return vntb_ctrl_refuse(vntb, VNTB_CMD_CONFIGURE_DOORBELL, arg,
					"vector count out of range 1-32");
	if (arg & VNTB_DB_ARG_MSIX)
		return vntb_ctrl_refuse(vntb, VNTB_CMD_CONFIGURE_DOORBELL, arg,
					"MSI-X doorbells are not offered");
	vntb_epc_set_peer_vectors(vntb, vectors);
	return VNTB_STATUS_OK;
}

static u16 vntb_ctrl_teardown_doorbell(struct vntb *vntb)
{
	vntb_epc_set_peer_vectors(vntb, 0);
	return VNTB_STATUS_OK;
}

static u16 vntb_ctrl_configure_mw(struct vntb *vntb, u32 idx)
{
	u64 addr = le64_to_cpu(READ_ONCE(vntb->ctrl->addr));
	u64 size = le64_to_cpu(READ_ONCE(vntb->ctrl->size));
	u16 status = VNTB_STATUS_OK;
	int ret;

	if (idx >= vntb->live.num_mws)
		return vntb_ctrl_refuse(vntb, VNTB_CMD_CONFIGURE_MW, idx,
					"no such memory window");
	idx = array_index_nospec(idx, vntb->live.num_mws);
	if (!size || size > vntb->live.mw_size[idx])
		return vntb_ctrl_refuse(vntb, VNTB_CMD_CONFIGURE_MW, idx,
					"size is zero or larger than the window");
	if (addr + size < addr)
		return vntb_ctrl_refuse(vntb, VNTB_CMD_CONFIGURE_MW, idx,
					"address range wraps around");

	ret = vntb_epc_map_host_window(vntb, idx, addr, size);
	if (ret)
		status = vntb_ctrl_refuse(vntb, VNTB_CMD_CONFIGURE_MW, idx,
					  "controller could not map the window");
	return status;
}

static u16 vntb_ctrl_teardown_mw(struct vntb *vntb, u32 idx)
{
	if (idx >= vntb->live.num_mws)
		return vntb_ctrl_refuse(vntb, VNTB_CMD_TEARDOWN_MW, idx,
					"no such memory window");
	idx = array_index_nospec(idx, vntb->live.num_mws);
	vntb_epc_unmap_host_window(vntb, idx);
	return VNTB_STATUS_OK;
}

static u16 vntb_ctrl_set_link(struct vntb *vntb, bool up)
{
	WRITE_ONCE(vntb->ctrl->link_status,
		   cpu_to_le16(up ? VNTB_LINK_UP : 0));
	vntb_ctrl_link_event(vntb);
	return VNTB_STATUS_OK;
}

static u16 vntb_ctrl_execute(struct vntb *vntb, u32 cmd, u32 arg)
{
	switch (cmd) {
	case VNTB_CMD_CONFIGURE_DOORBELL:
		return vntb_ctrl_configure_doorbell(vntb, arg);
	case VNTB_CMD_TEARDOWN_DOORBELL:
		return vntb_ctrl_teardown_doorbell(vntb);
	case VNTB_CMD_CONFIGURE_MW:
		return vntb_ctrl_configure_mw(vntb, arg);
	case VNTB_CMD_TEARDOWN_MW:
		return vntb_ctrl_teardown_mw(vntb, arg);
	case VNTB_CMD_LINK_UP:
		return vntb_ctrl_set_link(vntb, true);
	case VNTB_CMD_LINK_DOWN:
		return vntb_ctrl_set_link(vntb, false);
	default:
		return vntb_ctrl_refuse(vntb, cmd, arg, "unknown command");
	}
}

static void vntb_ctrl_poll_command(struct vntb *vntb)
{
	struct vntb_ctrl *ctrl = vntb->ctrl;
	u32 cmd, arg;
	u16 status;

	cmd = le32_to_cpu(READ_ONCE(ctrl->command));
	if (!cmd)
		return;
	/* the host wrote the argument, address and size before the command */
	dma_rmb();
	arg = le32_to_cpu(READ_ONCE(ctrl->argument));
	WRITE_ONCE(ctrl->command, 0);
	WRITE_ONCE(ctrl->argument, 0);

	status = vntb_ctrl_execute(vntb, cmd, arg);
	/* the host may act on the status at once: publish the results first */
	dma_wmb();
	WRITE_ONCE(ctrl->command_status, cpu_to_le16(status));
}

static void vntb_ctrl_cmd_work(struct work_struct *work)
{
	vntb_ctrl_poll_command(container_of(work, struct vntb, cmd_work));
}

/*
 * Where doorbells are interrupts the poll looks for commands only, which
 * come in bursts while the host's driver sets the link up or down: idle,
 * it backs off to VNTB_POLL_CMD_IDLE_US at least, a fifth of the second
 * ntb_hw_epf waits for a command's status.
 */
static u32 vntb_ctrl_poll_max_us(struct vntb *vntb)
{
	if (vntb->db_irq.count)
		return max_t(u32, vntb->live.poll_max_us, VNTB_POLL_CMD_IDLE_US);
	return vntb->live.poll_max_us;
}

static enum hrtimer_restart vntb_ctrl_poll(struct hrtimer *timer)
{
	struct vntb *vntb = container_of(timer, struct vntb, poll_timer);
	struct vntb_poll_stats *stats = &vntb->poll_stats;
	ktime_t now = ktime_get();
	bool active = vntb_ctrl_poll_doorbells(vntb);
	u64 idle_us, interval_us;

	if (READ_ONCE(vntb->ctrl->command)) {
		queue_work(vntb_wq, &vntb->cmd_work);
		active = true;
	}
	if (active) {
		vntb->poll_active = now;
		WRITE_ONCE(stats->active, stats->active + 1);
		if (stats->interval_us == vntb->live.poll_min_us)
			WRITE_ONCE(stats->active_fast, stats->active_fast + 1);
	}
	idle_us = ktime_us_delta(now, vntb->poll_active);
	interval_us = clamp_t(u64, idle_us / VNTB_POLL_IDLE_SHARE,
			      vntb->live.poll_min_us, vntb_ctrl_poll_max_us(vntb));
	WRITE_ONCE(stats->polls, stats->polls + 1);
	WRITE_ONCE(stats->interval_us, interval_us);
	hrtimer_forward(timer, now, ns_to_ktime(interval_us * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

/* raise the pending doorbells towards the host; raise_irq may sleep */
static void vntb_ctrl_peer_db_work(struct kthread_work *work)
{
	struct vntb *vntb = container_of(work, struct vntb, peer_db_work);

	vntb_epc_raise_peer(vntb, atomic64_xchg(&vntb->peer_db_pending, 0));
}

/*
 * Whether the caller may sleep, as might_sleep() would judge it: not in
 * atomic context, interrupts on, outside an RCU read side. A kernel that
 * does not count preemption cannot tell (preemptible() is then false),
 * and every ring is deferred.
 */
static bool vntb_ctrl_may_sleep(void)
{
	return preemptible() && !rcu_preempt_depth();
}

/**
 * vntb_ctrl_ring_peer() - ring doorbells of the host, from any context
 * @vntb: the function
 * @bits: doorbell bits, already limited to the valid ones
 *
 * Raises them at once when the caller may sleep, else from peer_db_work.
 *
 * Return: 0, or -ENOTCONN when the function is not in the controller or
 * the host has configured no doorbells (it is gone, or not yet there).
 */
int vntb_ctrl_ring_peer(struct vntb *vntb, u64 bits)
{
	unsigned long flags;
	int ret = -ENOTCONN;

	if (vntb_ctrl_may_sleep())
		return vntb_epc_raise_peer(vntb, bits);
	spin_lock_irqsave(&vntb->peer_db_lock, flags);
	if (vntb->peer_db_enabled && READ_ONCE(vntb->peer_vectors)) {
		atomic64_or(bits, &vntb->peer_db_pending);
		kthread_queue_work(vntb_db_worker, &vntb->peer_db_work);
		ret = 0;
	}
	spin_unlock_irqrestore(&vntb->peer_db_lock, flags);
	return ret;
}

/**
 * vntb_ctrl_setup() - initialise the polling timer and the works
 * @vntb: the function, at probe
 */
void vntb_ctrl_setup(struct vntb *vntb)
{
	spin_lock_init(&vntb->peer_db_lock);
	spin_lock_init(&vntb->db_lock);
	vntb_hrtimer_setup(&vntb->poll_timer, vntb_ctrl_poll, CLOCK_MONOTONIC,
			   HRTIMER_MODE_REL_SOFT);
	INIT_WORK(&vntb->cmd_work, vntb_ctrl_cmd_work);
	kthread_init_work(&vntb->peer_db_work, vntb_ctrl_peer_db_work);
	atomic64_set(&vntb->db_bits, 0);
	atomic64_set(&vntb->peer_db_pending, 0);
}

/**
 * vntb_ctrl_reset() - restart the handshake from scratch
 * @vntb: the function, its poll stopped or not yet started
 *
 * Clears the command, its status and the link status, so that nothing
 * the host wrote before is answered. A link that was up goes down for
 * the endpoint's clients.
 */
void vntb_ctrl_reset(struct vntb *vntb)
{
	bool was_up = le16_to_cpu(READ_ONCE(vntb->ctrl->link_status)) &
		      VNTB_LINK_UP;

	WRITE_ONCE(vntb->ctrl->command, 0);
	WRITE_ONCE(vntb->ctrl->command_status, 0);
	WRITE_ONCE(vntb->ctrl->link_status, 0);
	if (was_up)
		vntb_ctrl_link_event(vntb);
}

/**
 * vntb_ctrl_start() - reset the handshake fields and start polling
 * @vntb: the function, programmed into the controller
 */
void vntb_ctrl_start(struct vntb *vntb)
{
	vntb_ctrl_reset(vntb);
	vntb_epc_peer_db_enable(vntb, true);
	vntb_db_irq_enable(vntb);
	vntb->poll_active = ktime_get();
	memset(&vntb->poll_stats, 0, sizeof(vntb->poll_stats));
	hrtimer_start(&vntb->poll_timer, 0, HRTIMER_MODE_REL_SOFT);
}

/**
 * vntb_ctrl_stop() - stop polling and raising, and wait for both works
 * @vntb: the function
 *
 * The timer goes first, as it queues the command work. On return neither
 * the timer nor a work runs or is queued, and none can be until
 * vntb_ctrl_start().
 */
void vntb_ctrl_stop(struct vntb *vntb)
{
	vntb_db_irq_disable(vntb);
	hrtimer_cancel(&vntb->poll_timer);
	cancel_work_sync(&vntb->cmd_work);
	vntb_epc_peer_db_enable(vntb, false);
	kthread_cancel_work_sync(&vntb->peer_db_work);
}

/**
 * vntb_ctrl_init_module() - create the workqueue of the commands and the
 *                           worker of the doorbells
 *
 * Return: 0 or a negative errno.
 */
int vntb_ctrl_init_module(void)
{
	vntb_wq = alloc_workqueue("vntb", WQ_MEM_RECLAIM | WQ_HIGHPRI |
				  VNTB_WQ_PERCPU, 0);
	if (!vntb_wq)
		return -ENOMEM;
	vntb_db_worker = kthread_run_worker(0, "vntb-db");
	if (IS_ERR(vntb_db_worker)) {
		destroy_workqueue(vntb_wq);
		return PTR_ERR(vntb_db_worker);
	}
	sched_set_fifo(vntb_db_worker->task);
	return 0;
}

/**
 * vntb_ctrl_exit_module() - destroy both, once no function is left
 */
void vntb_ctrl_exit_module(void)
{
	kthread_destroy_worker(vntb_db_worker);
	destroy_workqueue(vntb_wq);
}
