/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-epc-sim: a software PCI endpoint controller for testing endpoint
 * function drivers without hardware. Shared definitions.
 */
#ifndef EPC_SIM_H
#define EPC_SIM_H

#include <linux/mutex.h>
#include <linux/pci-epc.h>
#include <linux/pci-epf.h>

#define EPC_SIM_MAX_MAPS	16
#define EPC_SIM_MAX_IRQS	32

struct epc_sim_host;

/**
 * enum epc_sim_op - controller operations whose failure can be injected
 */
enum epc_sim_op {
	EPC_SIM_OP_WRITE_HEADER,
	EPC_SIM_OP_SET_BAR,
	EPC_SIM_OP_MAP_ADDR,
	EPC_SIM_OP_SET_MSI,
	EPC_SIM_OP_RAISE_IRQ,
	EPC_SIM_OP_START,
	EPC_SIM_OP_NR,
};

/**
 * struct epc_sim_fault - a pending injected failure
 * @skip: how many calls pass before the failures start
 * @count: how many calls then fail
 * @err: the negative errno they return
 */
struct epc_sim_fault {
	unsigned int skip;
	unsigned int count;
	int err;
};

/**
 * struct epc_sim_bar - what set_bar installed, as the host sees it
 * @size: BAR size; zero when the BAR is not set
 * @phys: inbound translation target
 * @flags: PCI_BASE_ADDRESS_* flags
 * @virt: kernel mapping of the backing memory, NULL when unbacked
 * @remapped: @virt comes from memremap() and is unmapped on clear
 */
struct epc_sim_bar {
	u64 size;
	phys_addr_t phys;
	int flags;
	void *virt;
	bool remapped;
};

/**
 * struct epc_sim_map - one outbound mapping made by map_addr
 * @phys: controller-side address inside the outbound window
 * @pci_addr: host address it reaches
 * @size: length in bytes; zero for a free slot
 * @copied: in host mode, @pci_addr is host RAM the host driver mapped for
 *          streaming DMA: the chunk holds a copy, written back on unmap
 */
struct epc_sim_map {
	phys_addr_t phys;
	u64 pci_addr;
	size_t size;
	bool copied;
};

/**
 * struct epc_sim_bar_view - debugfs handle on one BAR of one controller
 * @sim: the controller
 * @barno: the BAR
 */
struct epc_sim_bar_view {
	struct epc_sim *sim;
	enum pci_barno barno;
};

/**
 * struct epc_sim - one simulated endpoint controller
 * @pdev: platform device that parents the EPC
 * @epc: the endpoint controller registered with the endpoint core
 * @features: what get_features reports
 * @preset: name of the feature preset in use
 * @ob_base: physical base of this controller's outbound window
 * @ob_size: size of the outbound window, zero when it has none
 * @ob_virt: kernel mapping of the outbound window for the host view
 * @lock: protects every field below
 * @header: the configuration header the function wrote
 * @header_written: @header holds data
 * @bar: the six BARs as the host sees them
 * @map: outbound mappings
 * @msi_encoded: MSI Multiple Message Capable field set by set_msi
 * @msix_count: MSI-X vectors set by set_msix
 * @msix_bir: the BAR holding the MSI-X table
 * @msix_offset: offset of the table in that BAR; the PBA follows it
 * @irq_count: interrupts raised per vector (index 0 counts INTx)
 * @started: the controller is started
 * @start_count: successful start calls
 * @stop_count: stop calls
 * @violations: calls that broke the controller's contract
 * @fault: pending injected failures per operation
 * @exhaust: outbound chunks held to exhaust the window
 * @exhaust_count: number of entries in @exhaust
 * @dir: debugfs directory of the host view
 * @bar_view: debugfs handles of the BAR files
 * @host: the root complex side in host mode, else NULL
 */
struct epc_sim {
	struct platform_device *pdev;
	struct pci_epc *epc;
	struct pci_epc_features features;
	const char *preset;
	phys_addr_t ob_base;
	size_t ob_size;
	void *ob_virt;

	struct mutex lock;	/* see @lock above */
	struct pci_epf_header header;
	bool header_written;
	struct epc_sim_bar bar[PCI_STD_NUM_BARS];
	struct epc_sim_map map[EPC_SIM_MAX_MAPS];
	u8 msi_encoded;
	u16 msix_count;
	enum pci_barno msix_bir;
	u32 msix_offset;
	unsigned long irq_count[EPC_SIM_MAX_IRQS + 1];
	bool started;
	unsigned int start_count;
	unsigned int stop_count;
	unsigned int violations;
	struct epc_sim_fault fault[EPC_SIM_OP_NR];
	struct epc_sim_exhaust *exhaust;
	unsigned int exhaust_count;
	struct dentry *dir;
	struct epc_sim_bar_view bar_view[PCI_STD_NUM_BARS];
	struct epc_sim_host *host;
};

/*
 * Host mode builds on x86 only: its root bus hands the PCI core x86's
 * struct pci_sysdata for the PCI domain. Its MSI domain (epc-sim-msi.c) is
 * made with pci_msi_create_irq_domain() up to 6.12, as an MSI parent
 * domain on 7.2. Elsewhere its calls compile away.
 */
#ifdef EPC_SIM_HAVE_HOST_MODE
#define EPC_SIM_HOST_MODE	1
#else
#define EPC_SIM_HOST_MODE	0
#endif

/* the controller also plays the root complex */
static inline bool epc_sim_hosted(const struct epc_sim *sim)
{
	return EPC_SIM_HOST_MODE && sim->host;
}

extern const char *const epc_sim_op_names[EPC_SIM_OP_NR];

int epc_sim_fault_take(struct epc_sim *sim, enum epc_sim_op op);
void epc_sim_violation(struct epc_sim *sim, const char *fmt, ...);
int epc_sim_exhaust_take(struct epc_sim *sim);
void epc_sim_exhaust_release(struct epc_sim *sim);
bool epc_sim_exhaust_overlaps(struct epc_sim *sim, phys_addr_t phys,
			      size_t size);

void epc_sim_hostview_create(struct epc_sim *sim, struct dentry *parent);
void epc_sim_hostview_remove(struct epc_sim *sim);

int epc_sim_features_from_preset(struct epc_sim *sim, const char *name);

#endif
