/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-epc-sim: differences between the kernels the simulated controller
 * builds against. EPC_SIM_HAVE_* come from greps of the kernel's headers
 * in Kbuild:
 *
 *   EPC_SIM_HAVE_...   6.1  6.12  what it tells
 *   EPC_IRQ_ENUM        y    -    raise_irq takes enum pci_epc_irq_type
 *   EPC_BAR_DESC        -    y    features describe BARs by type
 *   MSI_NO_AFFINITY     -    y    an MSI domain can say it sets no affinity
 *   EPC_DEINIT          -    y    functions get epc_deinit events
 *   EPC_LINKDOWN        -    y    pci_epc_linkdown() tells functions
 *   DMA_MAP_PHYS        -    -    DMA ops map physical addresses, not
 *                                 pages (7.2: y)
 *   MSI_PARENT          -    -    the PCI core makes each device's MSI
 *                                 domain under its bus's MSI parent
 *                                 domain (7.2: y)
 *   AUX_DOORBELL        -    -    controllers offer a doorbell register
 *                                 as an auxiliary resource (7.2: y, in
 *                                 host mode; epc-sim-doorbell.c)
 *
 * and, from greps of the core's pci-epc-core.c, EPC_SIM_NEED_EPC_RELEASE
 * (6.1: y, 6.12: -) when it gives the controller device no release
 * function, EPC_SIM_MSIX_OP_LESS_ONE (6.1: y, 6.12: -) when it passes
 * set_msix the vector count less one, EPC_SIM_IRQ_OPS_ENCODED (6.1, 6.12:
 * y, 7.2: -) when set_msi and get_msi carry the Multiple Message field
 * (log2 of the vectors) and get_msix the table size less one.
 */
#ifndef EPC_SIM_COMPAT_H
#define EPC_SIM_COMPAT_H

#include <linux/bits.h>
#include <linux/irq.h>
#include <linux/log2.h>
#include <linux/msi.h>
#include <linux/pci-epc.h>

#ifdef EPC_SIM_HAVE_EPC_IRQ_ENUM
#define EPC_SIM_IRQ_TYPE	enum pci_epc_irq_type
#define EPC_SIM_IRQ_INTX	PCI_EPC_IRQ_LEGACY
#define EPC_SIM_IRQ_MSI		PCI_EPC_IRQ_MSI
#define EPC_SIM_IRQ_MSIX	PCI_EPC_IRQ_MSIX
#else
#define EPC_SIM_IRQ_TYPE	unsigned int
#define EPC_SIM_IRQ_INTX	PCI_IRQ_INTX
#define EPC_SIM_IRQ_MSI		PCI_IRQ_MSI
#define EPC_SIM_IRQ_MSIX	PCI_IRQ_MSIX
#endif

/* the MSI-X vector count from what set_msix receives */
#ifdef EPC_SIM_MSIX_OP_LESS_ONE
#define EPC_SIM_MSIX_COUNT(n)	((n) + 1)
#else
#define EPC_SIM_MSIX_COUNT(n)	(n)
#endif

/*
 * The MSI Multiple Message field from what set_msi receives, and what
 * get_msi and get_msix return for it and for the MSI-X table size
 */
#ifdef EPC_SIM_IRQ_OPS_ENCODED
#define EPC_SIM_MSI_MMC(arg)		(arg)
#define EPC_SIM_MSI_OP(mmc)		(mmc)
#define EPC_SIM_MSIX_OP(count)		((count) - 1)
#else
#define EPC_SIM_MSI_MMC(arg)		order_base_2(arg)
#define EPC_SIM_MSI_OP(mmc)		(1 << (mmc))
#define EPC_SIM_MSIX_OP(count)		(count)
#endif

#ifdef EPC_SIM_HAVE_EPC_BAR_DESC
static inline bool epc_sim_bar_reserved(const struct pci_epc_features *f,
					enum pci_barno bar)
{
	return f->bar[bar].type == BAR_RESERVED;
}

/* the BAR's hardware-fixed size, 0 when the function chooses it */
static inline u64 epc_sim_bar_fixed_size(const struct pci_epc_features *f,
					 enum pci_barno bar)
{
	return f->bar[bar].type == BAR_FIXED ? f->bar[bar].fixed_size : 0;
}

static inline bool epc_sim_bar_only_64bit(const struct pci_epc_features *f,
					  enum pci_barno bar)
{
	return f->bar[bar].only_64bit;
}

static inline void epc_sim_reserve_bar(struct pci_epc_features *f,
				       enum pci_barno bar)
{
	f->bar[bar].type = BAR_RESERVED;
}

static inline void epc_sim_fix_bar(struct pci_epc_features *f,
				   enum pci_barno bar, u64 size)
{
	f->bar[bar].type = BAR_FIXED;
	f->bar[bar].fixed_size = size;
}
#else
static inline bool epc_sim_bar_reserved(const struct pci_epc_features *f,
					enum pci_barno bar)
{
	return f->reserved_bar & BIT(bar);
}

static inline u64 epc_sim_bar_fixed_size(const struct pci_epc_features *f,
					 enum pci_barno bar)
{
	return f->bar_fixed_size[bar];
}

static inline bool epc_sim_bar_only_64bit(const struct pci_epc_features *f,
					  enum pci_barno bar)
{
	return f->bar_fixed_64bit & BIT(bar);
}

static inline void epc_sim_reserve_bar(struct pci_epc_features *f,
				       enum pci_barno bar)
{
	f->reserved_bar |= BIT(bar);
}

static inline void epc_sim_fix_bar(struct pci_epc_features *f,
				   enum pci_barno bar, u64 size)
{
	f->bar_fixed_size[bar] = size;
}
#endif

/*
 * The host bridge's MSI domain is a root domain: there is no parent to set
 * an affinity through. MSI_FLAG_NO_AFFINITY says so; without it the
 * default chip ops install msi_domain_set_affinity(), which follows the
 * missing parent, unless the chip has a setter of its own. That one
 * refuses, as the core does for a chip without a setter.
 */
#ifdef EPC_SIM_HAVE_MSI_NO_AFFINITY
#define EPC_SIM_MSI_NO_AFFINITY	MSI_FLAG_NO_AFFINITY

static inline void epc_sim_msi_chip_no_affinity(struct irq_chip *chip)
{
}
#else
#define EPC_SIM_MSI_NO_AFFINITY	0

static inline int epc_sim_msi_refuse_affinity(struct irq_data *data,
					      const struct cpumask *mask,
					      bool force)
{
	return -EINVAL;
}

static inline void epc_sim_msi_chip_no_affinity(struct irq_chip *chip)
{
	chip->irq_set_affinity = epc_sim_msi_refuse_affinity;
}
#endif

#ifdef EPC_SIM_NEED_EPC_RELEASE
/*
 * pci_epc_destroy() frees the controller itself right after unregistering
 * its device, which has no release function, so the driver core warns
 * whenever a controller goes away. In-tree controllers never go away; this
 * one does on every unload. An empty release keeps the core's own freeing.
 */
static inline void epc_sim_epc_release(struct device *dev)
{
}

static inline void epc_sim_set_epc_release(struct pci_epc *epc)
{
	epc->dev.release = epc_sim_epc_release;
}
#else
static inline void epc_sim_set_epc_release(struct pci_epc *epc)
{
}
#endif

#endif
