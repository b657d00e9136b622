/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-epc-sim: host mode, where the simulated controller also plays the
 * root complex of the function it carries. Shared definitions of
 * epc-sim-host.c and the files it names.
 */
#ifndef EPC_SIM_HOST_H
#define EPC_SIM_HOST_H

#include <linux/dma-map-ops.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/spinlock.h>

#include "epc-sim.h"

#define EPC_SIM_HOST_DOMAIN	0x10000
#define EPC_SIM_HOST_MSI_CAP	0x50
#define EPC_SIM_HOST_MSIX_CAP	0x70
#define EPC_SIM_HOST_MSI_ADDR	0xfeed0000U
#define EPC_SIM_HOST_MAX_LENT	8
#define EPC_SIM_HOST_MAX	8
#define EPC_SIM_HOST_MAX_STREAMS	16

/**
 * struct epc_sim_host_bar - one BAR as the host enumerates it
 * @size: BAR size; zero when the BAR is not set
 * @hpa: host address of the BAR, fixed while the BAR is set
 * @flags: PCI_BASE_ADDRESS_* flags
 * @backing: pool memory the controller allocated for a BAR the function
 *           set without memory of its own (a memory window), or 0
 * @backing_virt: mapping of @backing
 * @lent: @backing is handed out as an endpoint buffer
 * @returned: when @backing was last given back (see epc_sim_host's
 *            @returns), 0 if never
 */
struct epc_sim_host_bar {
	u64 size;
	phys_addr_t hpa;
	int flags;
	phys_addr_t backing;
	void *backing_virt;
	bool lent;
	u64 returned;
};

/**
 * struct epc_sim_host_return - when an outbound chunk was last given back
 * @phys: the chunk
 * @when: the value of epc_sim_host's @returns then
 */
struct epc_sim_host_return {
	phys_addr_t phys;
	u64 when;
};

/**
 * struct epc_sim_host_chunk - an outbound chunk lent to the host driver
 * @phys: physical and host address of the chunk
 * @size: bytes lent
 * @virt: mapping handed to the host driver
 */
struct epc_sim_host_chunk {
	phys_addr_t phys;
	size_t size;
	void *virt;
};

/**
 * struct epc_sim_host_stream - a streaming DMA mapping of the host device
 * @dma: its bus address: the buffer's physical address
 * @virt: the buffer
 * @size: bytes; zero for a free slot
 * @dir: the direction the host driver mapped it for
 */
struct epc_sim_host_stream {
	dma_addr_t dma;
	void *virt;
	size_t size;
	enum dma_data_direction dir;
};

/**
 * struct epc_sim_doorbell - a doorbell register: QEMU's edu device
 *                           (epc-sim-doorbell.c)
 * @regs: its registers
 * @base: their physical address
 * @size: their size
 * @irq: the interrupt a write to its doorbell register raises
 * @rings: interrupts the controller acknowledged
 */
struct epc_sim_doorbell {
	void __iomem *regs;
	phys_addr_t base;
	resource_size_t size;
	int irq;
	atomic_long_t rings;
};

/**
 * struct epc_sim_host - the root complex side of one controller
 * @sysdata: what x86 reads through the root bus's sysdata; first member
 * @sim: the controller
 * @bus: the root bus while the host device is presented, else NULL
 * @unplug_work: the host removing its device, in its own context, as
 *               after a link down (epc-sim-events.c)
 * @event_lock: serialises the host's events (host_link, host_reboot, perst)
 * @link_down: the link is down (host_link): a start presents nothing
 * @unplugs: host devices removed so far
 * @busn: bus number resource of @bus
 * @window: memory window of @bus: the shared pool
 * @doorbell: the controller's doorbell, or NULL
 * @db_window: memory window of @bus over @doorbell's registers, where a
 *             doorbell BAR translated into them lies
 * @bar: the BARs as the host enumerates them; under the controller lock
 * @lent: outbound chunks lent to the host driver; under the controller lock
 * @orphans: BAR backings cleared while lent, freed when given back
 * @returns: buffers given back so far; a count that orders them
 * @chunk_returned: the last outbound chunks given back, and when
 * @stream_lock: protects @streams; host drivers map from any context
 * @streams: live streaming mappings of the host device
 * @msi_domain: MSI domain of @bus
 * @msi_fwnode: its firmware node
 * @msi_info: its domain info, before MSI parent domains
 * @msi_ops: its domain ops, before MSI parent domains
 * @msi_chip: its interrupt chip, before MSI parent domains
 * @delivered: MSI vectors delivered to the host driver
 * @delivered_msix: MSI-X messages delivered to the host driver
 * @cfg_lock: protects the configuration registers below; taken under the
 *            PCI core's raw config lock, so it is raw as well
 * @header: the header the function wrote
 * @header_written: @header holds data
 * @bar_reg: the BAR registers, as sized and written by the host
 * @command: the command register
 * @cache_line: cache line size register
 * @latency: latency timer register
 * @irq_line: interrupt line register
 * @msi_mmc: MSI Multiple Message Capable, from set_msi
 * @msi_capable: the controller offers MSI
 * @msi_enable: MSI enable bit written by the host
 * @msi_mme: MSI Multiple Message Enable written by the host
 * @msi_addr: MSI address written by the host
 * @msi_data: MSI data written by the host
 * @msix_count: MSI-X table size from set_msix; 0: no MSI-X capability
 * @msix_bir: BAR of the MSI-X table
 * @msix_offset: offset of the table in it; the PBA follows the table
 * @msix_enable: MSI-X enable bit written by the host
 * @msix_masked: MSI-X function mask bit written by the host
 */
struct epc_sim_host {
#ifdef CONFIG_X86
	struct pci_sysdata sysdata;
#endif
	struct epc_sim *sim;
	struct pci_bus *bus;
	struct work_struct unplug_work;
	struct mutex event_lock;	/* see @event_lock above */
	bool link_down;
	unsigned int unplugs;
	struct resource busn;
	struct resource window;
	struct epc_sim_doorbell *doorbell;
	struct resource db_window;
	struct epc_sim_host_bar bar[PCI_STD_NUM_BARS];
	struct epc_sim_host_chunk lent[EPC_SIM_HOST_MAX_LENT];
	struct epc_sim_host_chunk orphans[EPC_SIM_HOST_MAX_LENT];
	u64 returns;
	struct epc_sim_host_return chunk_returned[EPC_SIM_HOST_MAX_LENT];
	spinlock_t stream_lock;	/* see @stream_lock above */
	struct epc_sim_host_stream streams[EPC_SIM_HOST_MAX_STREAMS];

	struct irq_domain *msi_domain;
	struct fwnode_handle *msi_fwnode;
#ifndef EPC_SIM_HAVE_MSI_PARENT
	struct msi_domain_info msi_info;
	struct msi_domain_ops msi_ops;
	struct irq_chip msi_chip;
#endif
	unsigned long delivered[EPC_SIM_MAX_IRQS + 1];
	unsigned long delivered_msix;

	raw_spinlock_t cfg_lock;	/* see @cfg_lock above */
	struct pci_epf_header header;
	bool header_written;
	u32 bar_reg[PCI_STD_NUM_BARS];
	u16 command;
	u8 cache_line;
	u8 latency;
	u8 irq_line;
	u8 msi_mmc;
	bool msi_capable;
	bool msi_enable;
	u8 msi_mme;
	u64 msi_addr;
	u16 msi_data;
	u16 msix_count;
	enum pci_barno msix_bir;
	u32 msix_offset;
	bool msix_enable;
	bool msix_masked;
};

#ifdef CONFIG_X86
/* the root complex side of the controller a host device sits under */
static inline struct epc_sim_host *epc_sim_host_of(struct pci_dev *pdev)
{
	return container_of(pdev->bus->sysdata, struct epc_sim_host, sysdata);
}
#endif

/* epc-sim-host.c: the controllers in host mode, by id, under the lock */
extern struct mutex epc_sim_hosts_lock;
extern struct epc_sim_host *epc_sim_hosts[EPC_SIM_HOST_MAX];
int epc_sim_host_init(phys_addr_t base, size_t size);
void epc_sim_host_exit(void);
int epc_sim_host_create(struct epc_sim *sim);
int epc_sim_host_present(struct epc_sim *sim);
void epc_sim_host_withdraw(struct epc_sim *sim);

/* epc-sim-events.c */
void epc_sim_events_create(struct epc_sim *sim);
int epc_sim_host_start(struct epc_sim *sim);
void epc_sim_host_unplug(struct epc_sim *sim);
void epc_sim_host_settle(struct epc_sim *sim);

/* epc-sim-cfg.c */
extern struct pci_ops epc_sim_host_pci_ops;
void epc_sim_host_reset_cfg(struct epc_sim_host *host);
void epc_sim_host_set_header(struct epc_sim *sim,
			     const struct pci_epf_header *hdr);
void epc_sim_host_set_msi(struct epc_sim *sim, u8 encoded);
void epc_sim_host_set_msix(struct epc_sim *sim);

/* epc-sim-bar.c */
int epc_sim_host_set_bar(struct epc_sim *sim, struct pci_epf_bar *epf_bar);
void epc_sim_host_clear_bar(struct epc_sim *sim, enum pci_barno barno);
int epc_sim_host_map(struct epc_sim *sim, phys_addr_t addr, u64 pci_addr,
		     size_t size, bool *copied);
void epc_sim_host_unmap(struct epc_sim *sim, const struct epc_sim_map *map);

/* epc-sim-dma.c */
int epc_sim_pool_init(phys_addr_t base, size_t size);
void epc_sim_pool_exit(void);
bool epc_sim_pool_contains(phys_addr_t phys, u64 size);
void *epc_sim_pool_alloc(size_t size, phys_addr_t *phys);
void epc_sim_pool_free(phys_addr_t phys, size_t size, void *virt);
void epc_sim_pool_range(phys_addr_t *base, size_t *size);
dma_addr_t epc_sim_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
#ifndef EPC_SIM_HAVE_DMA_MAP_PHYS
dma_addr_t epc_sim_map_page(struct device *dev, struct page *page,
			    unsigned long offset, size_t size,
			    enum dma_data_direction dir, unsigned long attrs);
#endif
int epc_sim_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		   enum dma_data_direction dir, unsigned long attrs);
extern const struct dma_map_ops epc_sim_pool_dma_ops;
extern const struct dma_map_ops epc_sim_host_dma_ops;

/* epc-sim-vntb.c */
int epc_sim_vntb_init(void);
void epc_sim_vntb_exit(void);
void *epc_sim_host_lend_window(struct epc_sim_host *host, size_t size,
			       dma_addr_t *dma);
bool epc_sim_host_return_window(struct epc_sim_host *host, dma_addr_t dma);

/* epc-sim-stream.c */
int epc_sim_stream_map(struct device *dev, dma_addr_t dma, void *virt,
		       size_t size, enum dma_data_direction dir);
void epc_sim_stream_unmap(struct device *dev, dma_addr_t dma);
int epc_sim_stream_copy(struct epc_sim_host *host, void *chunk, u64 pci_addr,
			size_t size, bool to_host);
unsigned int epc_sim_stream_forget_all(struct epc_sim_host *host);

/* epc-sim-doorbell.c: 7.2's auxiliary resources, else no doorbell */
#ifdef EPC_SIM_HAVE_AUX_DOORBELL
int epc_sim_doorbell_init(void);
void epc_sim_doorbell_exit(void);
struct epc_sim_doorbell *epc_sim_doorbell_of(int id);
bool epc_sim_doorbell_contains(struct epc_sim *sim, phys_addr_t phys,
			       u64 size);
int epc_sim_aux_resources_count(struct pci_epc *epc, u8 func_no, u8 vfunc_no);
int epc_sim_aux_resources(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			  struct pci_epc_aux_resource *res, int num);
#else
static inline int epc_sim_doorbell_init(void)
{
	return 0;
}

static inline void epc_sim_doorbell_exit(void)
{
}

static inline struct epc_sim_doorbell *epc_sim_doorbell_of(int id)
{
	return NULL;
}

static inline bool epc_sim_doorbell_contains(struct epc_sim *sim,
					     phys_addr_t phys, u64 size)
{
	return false;
}
#endif

/* epc-sim-msi.c */
int epc_sim_msi_create(struct epc_sim_host *host, int id);
void epc_sim_msi_destroy(struct epc_sim_host *host);
int epc_sim_msi_deliver(struct epc_sim_host *host, unsigned int vector);
int epc_sim_msix_deliver(struct epc_sim_host *host, unsigned int vector);

#endif
