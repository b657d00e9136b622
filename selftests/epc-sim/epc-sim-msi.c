// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: the MSI domain of the simulated root complex.
 *
 * The x86 vector domain gives a PCI device a single MSI vector, and
 * ntb_hw_epf needs at least four. Like the VMD driver, the simulated host
 * bridge has its own MSI domain, a root domain with multi-MSI, so that
 * the host driver gets as many vectors as the function's set_msi offers.
 * The message it composes is the doorbell address EPC_SIM_HOST_MSI_ADDR
 * and, as data, the hardware interrupt number of the first vector. When
 * the function raises MSI n, the controller does what a device does: it
 * takes the message the host wrote into the MSI capability, puts n - 1
 * in the low bits of the data, and the interrupt it names is handled on
 * the spot. MSI-X n takes its message from entry n - 1 of the table the
 * host wrote into the function's BAR, where every vector has its own.
 *
 * Since the PCI core gives each device an MSI domain of its own (7.2),
 * the bridge's domain is their MSI parent instead, as VMD's is: the core
 * builds the device's domain from its own templates and asks the parent
 * which features it allows; the parent numbers the vectors as before.
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/platform_device.h>

#include "epc-sim-host.h"
#include "epc-sim-compat.h"

static void epc_sim_msi_compose(struct irq_data *data, struct msi_msg *msg)
{
	msg->address_hi = 0;
	msg->address_lo = EPC_SIM_HOST_MSI_ADDR;
	msg->data = irqd_to_hwirq(data);
}

#ifdef EPC_SIM_HAVE_MSI_PARENT
static const struct irq_chip epc_sim_msi_chip = {
	.name			= "pci-epc-sim-msi",
	.irq_compose_msi_msg	= epc_sim_msi_compose,
};

/* the device's domain numbered its vectors from its MSI index */
static int epc_sim_msi_alloc(struct irq_domain *domain, unsigned int virq,
			     unsigned int nr_irqs, void *arg)
{
	msi_alloc_info_t *info = arg;
	unsigned int i;

	for (i = 0; i < nr_irqs; i++)
		irq_domain_set_info(domain, virq + i, info->hwirq + i,
				    &epc_sim_msi_chip, domain->host_data,
				    handle_simple_irq, NULL, "simple");
	return 0;
}

static const struct irq_domain_ops epc_sim_msi_domain_ops = {
	.alloc	= epc_sim_msi_alloc,
	.free	= irq_domain_free_irqs_common,
};

/* the device's domain gets the features the parent allows, no more */
static bool epc_sim_msi_init_dev_info(struct device *dev,
				      struct irq_domain *domain,
				      struct irq_domain *real_parent,
				      struct msi_domain_info *info)
{
	const struct msi_parent_ops *pops = real_parent->msi_parent_ops;

	info->flags &= pops->supported_flags;
	info->flags |= pops->required_flags;
	return true;
}

/* a root domain: there is no parent to set an affinity through */
static const struct msi_parent_ops epc_sim_msi_parent_ops = {
	.supported_flags	= MSI_GENERIC_FLAGS_MASK |
				  MSI_FLAG_MULTI_PCI_MSI | MSI_FLAG_PCI_MSIX,
	.required_flags		= MSI_FLAG_USE_DEF_DOM_OPS |
				  MSI_FLAG_NO_AFFINITY,
	.bus_select_token	= DOMAIN_BUS_NEXUS,
	.prefix			= "SIM-",
	.init_dev_msi_info	= epc_sim_msi_init_dev_info,
};

/**
 * epc_sim_msi_create() - create the MSI domain of a host bridge
 * @host: the host side of a controller
 * @id: controller number, names the domain
 *
 * Return: 0 or a negative errno.
 */
int epc_sim_msi_create(struct epc_sim_host *host, int id)
{
	struct irq_domain_info info = {
		.size		= PCI_MSIX_FLAGS_QSIZE + 1,
		.ops		= &epc_sim_msi_domain_ops,
		.host_data	= host,
	};

	info.fwnode = irq_domain_alloc_named_id_fwnode("pci-epc-sim-msi", id);
	if (!info.fwnode)
		return -ENOMEM;
	host->msi_domain = msi_create_parent_irq_domain(&info,
							&epc_sim_msi_parent_ops);
	if (!host->msi_domain) {
		irq_domain_free_fwnode(info.fwnode);
		return -ENOMEM;
	}
	host->msi_fwnode = info.fwnode;
	return 0;
}
#else
/* one hardware interrupt number per MSI vector of the single device */
static void epc_sim_msi_set_desc(msi_alloc_info_t *arg, struct msi_desc *desc)
{
	arg->desc = desc;
	arg->hwirq = desc->msi_index;
}

/**
 * epc_sim_msi_create() - create the MSI domain of a host bridge
 * @host: the host side of a controller
 * @id: controller number, names the domain
 *
 * Return: 0 or a negative errno.
 */
int epc_sim_msi_create(struct epc_sim_host *host, int id)
{
	host->msi_fwnode = irq_domain_alloc_named_id_fwnode("pci-epc-sim-msi",
							    id);
	if (!host->msi_fwnode)
		return -ENOMEM;

	host->msi_chip.name = "pci-epc-sim-msi";
	host->msi_chip.irq_compose_msi_msg = epc_sim_msi_compose;
	epc_sim_msi_chip_no_affinity(&host->msi_chip);
	host->msi_ops.set_desc = epc_sim_msi_set_desc;
	host->msi_info.flags = MSI_FLAG_USE_DEF_DOM_OPS |
			       MSI_FLAG_USE_DEF_CHIP_OPS |
			       MSI_FLAG_MULTI_PCI_MSI | MSI_FLAG_PCI_MSIX |
			       EPC_SIM_MSI_NO_AFFINITY;
	host->msi_info.ops = &host->msi_ops;
	host->msi_info.chip = &host->msi_chip;
	host->msi_info.chip_data = host;
	host->msi_info.handler = handle_simple_irq;
	host->msi_info.handler_name = "simple";

	host->msi_domain = pci_msi_create_irq_domain(host->msi_fwnode,
						     &host->msi_info, NULL);
	if (!host->msi_domain) {
		irq_domain_free_fwnode(host->msi_fwnode);
		host->msi_fwnode = NULL;
		return -ENOMEM;
	}
	return 0;
}

#endif

/**
 * epc_sim_msi_destroy() - remove the MSI domain of a host bridge
 * @host: the host side of a controller; its root bus is gone
 */
void epc_sim_msi_destroy(struct epc_sim_host *host)
{
	if (!host->msi_domain)
		return;
	irq_domain_remove(host->msi_domain);
	irq_domain_free_fwnode(host->msi_fwnode);
	host->msi_domain = NULL;
	host->msi_fwnode = NULL;
}

/**
 * epc_sim_msi_deliver() - send MSI vector @vector to the host driver
 * @host: the host side of a controller; the controller lock is held
 * @vector: MSI vector, 1-based as in raise_irq
 *
 * The message is read under the configuration lock, the interrupt is
 * handled after it is dropped: free_irq() writes the configuration space
 * with the interrupt's descriptor locked. The descriptor is looked up and
 * handled with interrupts disabled, an RCU read-side section, so an
 * interrupt freed meanwhile is not used after it is gone.
 *
 * Return: 0, or -EIO when the host did not enable the vector or did not
 * program the message, with the reason logged as a contract violation.
 */
int epc_sim_msi_deliver(struct epc_sim_host *host, unsigned int vector)
{
	struct epc_sim *sim = host->sim;
	unsigned int enabled;
	unsigned long flags;
	u16 data;
	u64 addr;

	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	enabled = host->msi_enable ? 1U << host->msi_mme : 0;
	addr = host->msi_addr;
	data = host->msi_data;
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);

	if (vector > enabled) {
		epc_sim_violation(sim, "raise_irq MSI %u, the host enabled %u vectors",
				  vector, enabled);
		return -EIO;
	}
	if (addr != EPC_SIM_HOST_MSI_ADDR ||
	    generic_handle_domain_irq_safe(host->msi_domain,
					   data | (vector - 1))) {
		epc_sim_violation(sim, "raise_irq MSI %u: message 0x%llx/0x%x, no interrupt",
				  vector, addr, data);
		return -EIO;
	}
	host->delivered[vector]++;
	return 0;
}

/**
 * epc_sim_msix_deliver() - send MSI-X vector @vector to the host driver
 * @host: the host side of a controller; the controller lock is held
 * @vector: MSI-X vector, 1-based as in raise_irq
 *
 * The message is the table entry the host wrote into the BAR that holds
 * the table; a masked entry, or a function masked as a whole, is not
 * sent (the controller keeps no pending bits).
 *
 * Return: 0, or -EIO when the host did not enable MSI-X, masked the
 * vector or did not program its message, with the reason logged as a
 * contract violation.
 */
int epc_sim_msix_deliver(struct epc_sim_host *host, unsigned int vector)
{
	struct epc_sim *sim = host->sim;
	const __le32 *entry;
	bool enabled, masked;
	unsigned long flags;
	u32 data, ctrl;
	u64 addr;
	size_t at;

	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	enabled = host->msix_enable && vector <= host->msix_count;
	masked = host->msix_masked;
	at = host->msix_offset + (vector - 1) * PCI_MSIX_ENTRY_SIZE;
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);

	if (!enabled || masked) {
		epc_sim_violation(sim, "raise_irq MSI-X %u, the host %s it",
				  vector, enabled ? "masked" : "did not enable");
		return -EIO;
	}
	if (!sim->bar[sim->msix_bir].virt ||
	    at + PCI_MSIX_ENTRY_SIZE > sim->bar[sim->msix_bir].size) {
		epc_sim_violation(sim, "raise_irq MSI-X %u: entry outside BAR %d",
				  vector, sim->msix_bir);
		return -EIO;
	}
	entry = sim->bar[sim->msix_bir].virt + at;
	addr = le32_to_cpu(READ_ONCE(entry[0])) |
	       (u64)le32_to_cpu(READ_ONCE(entry[1])) << 32;
	data = le32_to_cpu(READ_ONCE(entry[2]));
	ctrl = le32_to_cpu(READ_ONCE(entry[3]));
	if (ctrl & PCI_MSIX_ENTRY_CTRL_MASKBIT) {
		epc_sim_violation(sim, "raise_irq MSI-X %u, the host masked it",
				  vector);
		return -EIO;
	}
	if (addr != EPC_SIM_HOST_MSI_ADDR ||
	    generic_handle_domain_irq_safe(host->msi_domain, data)) {
		epc_sim_violation(sim, "raise_irq MSI-X %u: message 0x%llx/0x%x, no interrupt",
				  vector, addr, data);
		return -EIO;
	}
	host->delivered_msix++;
	return 0;
}
