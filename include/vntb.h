/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vntb: PCI endpoint function exposing a Non-Transparent Bridge to the
 * host and a virtual NTB device on a virtual PCI bus to the endpoint.
 * Shared definitions of the driver's files.
 */
#ifndef VNTB_H
#define VNTB_H

#include <linux/atomic.h>
#include <linux/configfs.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/ntb.h>
#include <linux/pci.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>
#include <linux/workqueue.h>

#include "vntb-compat.h"
#include "vntb-regs.h"

#define VNTB_DRV_NAME		"pci_epf_vntb"

#define VNTB_MIN_DB_COUNT	3
#define VNTB_MAX_SPADS		1024
#define VNTB_MSI_VECTORS	16
#define VNTB_BAR_AUTO		(-1)
#define VNTB_POLL_MIN_US	20
#define VNTB_POLL_MAX_US	10000
#define VNTB_POLL_LIMIT_US	1000000

/**
 * enum vntb_region - the regions the function places in BARs
 * @VNTB_REGION_CTRL: the control region and the scratchpads (ctrl_bar)
 * @VNTB_REGION_DB: the doorbell slots (db_bar)
 * @VNTB_REGION_MW1: the first memory window (mw1_bar); window N is
 *                   VNTB_REGION_MW1 + N - 1
 * @VNTB_REGION_NR: the number of regions
 */
enum vntb_region {
	VNTB_REGION_CTRL,
	VNTB_REGION_DB,
	VNTB_REGION_MW1,
	VNTB_REGION_NR = VNTB_REGION_MW1 + VNTB_MAX_MWS,
};

/**
 * struct vntb_config - what configfs sets; applied at the next link
 * @spad_count: scratchpads per side
 * @db_count: doorbell slots, including the two reserved ones
 * @num_mws: memory windows
 * @mw_size: size of each memory window
 * @vbus_number: number of the virtual PCI bus
 * @vid: vendor ID of the virtual NTB device
 * @pid: device ID of the virtual NTB device
 * @bar: BAR per region, or VNTB_BAR_AUTO
 * @poll_min_us: polling interval while the host is active
 * @poll_max_us: polling interval the idle link backs off to
 */
struct vntb_config {
	u32 spad_count;
	u32 db_count;
	u32 num_mws;
	u64 mw_size[VNTB_MAX_MWS];
	u32 vbus_number;
	u16 vid;
	u16 pid;
	int bar[VNTB_REGION_NR];
	u32 poll_min_us;
	u32 poll_max_us;
};

/**
 * struct vntb_mw - one memory window while the function is bound
 * @ob_phys: endpoint-side outbound window the virtual device writes to
 * @ob_virt: its mapping
 * @host_mapped: the host configured @ob_phys with CONFIGURE_MW
 * @trans: the client's buffer behind the window BAR, valid when
 *         @translated; kept across a controller re-init
 * @translated: a client set @trans; otherwise the BAR is parked
 */
struct vntb_mw {
	phys_addr_t ob_phys;
	void __iomem *ob_virt;
	bool host_mapped;
	dma_addr_t trans;
	bool translated;
};

/**
 * struct vntb_layout_refusal - why a configuration cannot be linked
 * @what: the attribute refused, or "controller"
 * @barno: the BAR concerned, or VNTB_BAR_AUTO when none is
 * @why: the reason, for the log
 * @text: room for a reason that names IDs or BARs; @why may point here
 */
struct vntb_layout_refusal {
	const char *what;
	int barno;
	const char *why;
	char text[160];
};

/**
 * struct vntb_poll_stats - what the poll timer saw, for debugfs; written by
 * the timer alone, read without a lock (a torn read is only a stale value)
 * @polls: runs of the timer since the last start
 * @interval_us: the interval the last run armed
 * @active: runs that found a doorbell or a command
 * @active_fast: of @active, the runs that followed an interval of
 *               poll_min_us: the host waited at most that long
 */
struct vntb_poll_stats {
	u64 polls;
	u32 interval_us;
	u64 active;
	u64 active_fast;
};

/**
 * struct vntb_db_irq - host doorbells taken as interrupts (vntb-doorbell.c)
 * @count: doorbells allocated with pci_epf_alloc_doorbell(), in
 *         epf->db_msg; 0 while the doorbells are polled
 * @shared: one interrupt stands for every doorbell
 * @bar: the doorbell BAR's descriptor, translated to the doorbells'
 *       registers; set in the controller instead of the doorbell slots'
 * @enabled: the handler delivers doorbells, between vntb_ctrl_start()
 *           and vntb_ctrl_stop()
 * @irqs: doorbell interrupts delivered, for debugfs
 */
struct vntb_db_irq {
	u32 count;
	bool shared;
	struct pci_epf_bar bar;
	bool enabled;
	u64 irqs;
};

struct vntb_ntb;

/**
 * struct vntb - one vNTB endpoint function
 *
 * Fields are grouped by the file that owns them; others read them.
 *
 * @epf: the endpoint function
 * @cfg_lock: serialises configfs writes, link, unlink and controller
 *            events; protects @cfg, @bound and @link_lost
 * @bound: linked to a controller; @cfg is frozen
 * @link_lost: the controller signalled link down and not yet link up:
 *             the function answers nothing the host writes meanwhile
 * @live: configuration in force while bound, a copy of @cfg
 *
 * @group: its configfs group
 * @cfg: configuration from configfs
 * @header: configuration header of this function (configfs writes here)
 *
 * @bar: BAR chosen for each region while bound
 * @ctrl: control region (start of the control BAR's memory)
 * @ctrl_size: size of the control region including the scratchpads
 * @db_slots: doorbell BAR memory
 * @mw: memory windows
 * @park: zeroed memory behind every window BAR no client translates, as
 *        large as the largest window: a parked BAR reaches nothing else
 * @park_phys: its DMA address
 * @park_size: its size
 * @epc_lock: protects @programmed, @mw, @peer_vectors and the function's
 *            BAR descriptors against the command work, the NTB clients
 *            and controller events
 * @programmed: the controller holds our BARs, MSI and header; written
 *              under both @cfg_lock and @epc_lock, read under either
 * @peer_vectors: MSI vectors the host configured with CONFIGURE_DOORBELL;
 *                written under @epc_lock, read without it to refuse a ring
 *                early
 *
 * @peer_db_lock: orders queueing @peer_db_work against disabling it
 * @peer_db_enabled: doorbells to the host may be raised or queued;
 *                   written under both @peer_db_lock and @epc_lock, read
 *                   under either
 * @poll_timer: polls the doorbell BAR and the command word, and queues
 *              @cmd_work for a command; started by vntb_ctrl_start(),
 *              cancelled by vntb_ctrl_stop() before @cmd_work
 * @poll_active: when the host was last seen ringing or commanding; only
 *               @poll_timer touches it once started
 * @poll_stats: what @poll_timer saw, reset by vntb_ctrl_start()
 * @cmd_work: executes the host's command
 * @db_lock: orders the poll moving rings from @db_slots into @db_bits
 *           against a client clearing both
 * @db_bits: doorbells the host rang and the endpoint did not clear
 * @peer_db_pending: doorbell bits to raise towards the host
 * @peer_db_work: raises @peer_db_pending for a caller that may not sleep,
 *                as raise_irq may
 * @db_irq: host doorbells as interrupts, when the controller offers them
 *
 * @ndev_lock: protects @ndev against the virtual device's removal; taken
 *             from @poll_timer's softirq context and from the doorbell
 *             interrupt
 * @ndev: the virtual NTB device while its PCI driver is bound
 * @vbus: the virtual PCI bus while bound
 *
 * @debugfs: the function's debugfs directory
 */
struct vntb {
	/* vntb-main.c: the function and its lifecycle */
	struct pci_epf *epf;
	struct mutex cfg_lock;		/* see @cfg_lock above */
	bool bound;
	bool link_lost;
	struct vntb_config live;

	/* vntb-cfs.c: what configfs sets */
	struct config_group group;
	struct vntb_config cfg;
	struct pci_epf_header header;

	/* vntb-epc.c: the controller and what is programmed into it */
	enum pci_barno bar[VNTB_REGION_NR];
	struct vntb_ctrl *ctrl;
	size_t ctrl_size;
	__le32 *db_slots;
	struct vntb_mw mw[VNTB_MAX_MWS];
	void *park;
	dma_addr_t park_phys;
	size_t park_size;
	struct mutex epc_lock;		/* see @epc_lock above */
	bool programmed;
	u32 peer_vectors;

	/* vntb-ctrl.c: the poll, the host's commands, the doorbells */
	spinlock_t peer_db_lock;	/* see @peer_db_lock above */
	bool peer_db_enabled;
	struct hrtimer poll_timer;
	ktime_t poll_active;
	struct vntb_poll_stats poll_stats;
	struct work_struct cmd_work;
	spinlock_t db_lock;		/* see @db_lock above */
	atomic64_t db_bits;
	atomic64_t peer_db_pending;
	struct kthread_work peer_db_work;
	struct vntb_db_irq db_irq;

	/* vntb-vbus.c and vntb-ntb.c: the virtual bus and NTB device */
	spinlock_t ndev_lock;		/* see @ndev_lock above */
	struct vntb_ntb *ndev;
	struct pci_bus *vbus;

	/* vntb-debugfs.c */
	struct dentry *debugfs;
};

/**
 * struct vntb_ntb - the virtual NTB device, one per virtual PCI device
 * @ntb: NTB core device
 * @vntb: the function it belongs to
 */
struct vntb_ntb {
	struct ntb_dev ntb;
	struct vntb *vntb;
};

/* vntb-cfs.c */
void vntb_cfs_init_defaults(struct vntb_config *cfg);
struct config_group *vntb_cfs_add(struct pci_epf *epf,
				  struct config_group *group);

/* vntb-epc.c */
void vntb_epc_init(struct vntb *vntb);
bool vntb_epc_ready(struct vntb *vntb);
int vntb_epc_setup(struct vntb *vntb);
void vntb_epc_teardown(struct vntb *vntb);
int vntb_epc_program(struct vntb *vntb);
void vntb_epc_unprogram(struct vntb *vntb);
void vntb_epc_forget_host(struct vntb *vntb);
int vntb_epc_set_mw_trans(struct vntb *vntb, int idx, dma_addr_t addr);
int vntb_epc_clear_mw_trans(struct vntb *vntb, int idx);
u64 vntb_epc_mw_align(struct vntb *vntb, int idx);
int vntb_epc_map_host_window(struct vntb *vntb, int idx, u64 addr, u64 size);
void vntb_epc_unmap_host_window(struct vntb *vntb, int idx);
void vntb_epc_set_peer_vectors(struct vntb *vntb, u32 vectors);
void vntb_epc_peer_db_enable(struct vntb *vntb, bool enable);
int vntb_epc_raise_peer(struct vntb *vntb, unsigned long bits);

/* vntb-layout.c */
int vntb_layout_check(const struct vntb_config *cfg,
		      const struct pci_epf_header *header,
		      const struct pci_epc_features *features,
		      enum pci_barno *bar,
		      struct vntb_layout_refusal *refusal);
void vntb_layout_describe(const struct vntb_config *cfg,
			  const struct pci_epf_header *header,
			  const enum pci_barno *bar, char *buf, size_t len);
const char *vntb_layout_region_name(int region);
u64 vntb_layout_db_valid_mask(u32 db_count);
size_t vntb_layout_ctrl_size(u32 spad_count);
int vntb_layout_check_mw(u64 size, u64 fixed_size, const char **why);

/* vntb-ctrl.c */
int vntb_ctrl_init_module(void);
void vntb_ctrl_exit_module(void);
void vntb_ctrl_setup(struct vntb *vntb);
void vntb_ctrl_init(struct vntb *vntb);
void vntb_ctrl_reset(struct vntb *vntb);
void vntb_ctrl_start(struct vntb *vntb);
void vntb_ctrl_stop(struct vntb *vntb);
int vntb_ctrl_ring_peer(struct vntb *vntb, u64 bits);
u64 vntb_ctrl_undelivered_doorbells(struct vntb *vntb);
void vntb_ctrl_clear_doorbells(struct vntb *vntb, u64 bits);
void vntb_ctrl_deliver_doorbells(struct vntb *vntb, u64 bits);

/* vntb-doorbell.c: without pci_epf_alloc_doorbell(), doorbells are polled */
#ifdef VNTB_HAVE_EPF_DOORBELL
void vntb_db_irq_setup(struct vntb *vntb,
		       const struct pci_epc_features *features);
void vntb_db_irq_teardown(struct vntb *vntb);
void vntb_db_irq_write_ctrl(struct vntb *vntb);
void vntb_db_irq_enable(struct vntb *vntb);
void vntb_db_irq_disable(struct vntb *vntb);
#else
static inline void vntb_db_irq_setup(struct vntb *vntb,
				     const struct pci_epc_features *features)
{
}

static inline void vntb_db_irq_teardown(struct vntb *vntb)
{
}

static inline void vntb_db_irq_write_ctrl(struct vntb *vntb)
{
}

static inline void vntb_db_irq_enable(struct vntb *vntb)
{
}

static inline void vntb_db_irq_disable(struct vntb *vntb)
{
}
#endif

/* vntb-vbus.c */
int vntb_vbus_create(struct vntb *vntb);
void vntb_vbus_remove(struct vntb *vntb);
int vntb_vbus_register_driver(void);
void vntb_vbus_unregister_driver(void);

/* vntb-debugfs.c */
void vntb_debugfs_init(void);
void vntb_debugfs_exit(void);
void vntb_debugfs_add(struct vntb *vntb);
void vntb_debugfs_remove(struct vntb *vntb);

/* vntb-ntb.c */
extern const struct ntb_dev_ops vntb_ntb_ops;

#endif
