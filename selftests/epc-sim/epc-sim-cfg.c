// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: the configuration space of the host device.
 *
 * On hardware the controller answers the root complex's configuration
 * requests from registers the function programmed through the EPC: its
 * header, its BARs (sized by the host writing all ones), the MSI and
 * MSI-X capabilities it offered. Here the same registers sit in struct
 * epc_sim_host, under its cfg_lock, and the root bus of host mode
 * (epc-sim-host.c) reads and writes them through epc_sim_host_pci_ops.
 * Device 00.0 is the only device; offsets beyond the 256-byte space are
 * refused.
 */
#include <linux/bitfield.h>

#include "epc-sim-host.h"

static struct epc_sim_host *to_host(struct pci_bus *bus)
{
	return container_of(bus->sysdata, struct epc_sim_host, sysdata);
}

/* configuration space, under cfg_lock */

static u32 epc_sim_host_msi_flags(struct epc_sim_host *host)
{
	return (host->msi_enable ? PCI_MSI_FLAGS_ENABLE : 0) |
	       FIELD_PREP(PCI_MSI_FLAGS_QMASK, host->msi_mmc) |
	       FIELD_PREP(PCI_MSI_FLAGS_QSIZE, host->msi_mme) |
	       PCI_MSI_FLAGS_64BIT;
}

static u32 epc_sim_host_msix_read(struct epc_sim_host *host, int reg)
{
	u32 table = host->msix_offset | host->msix_bir;
	u32 pba = (host->msix_offset + host->msix_count * PCI_MSIX_ENTRY_SIZE) |
		  host->msix_bir;
	u16 ctrl = (host->msix_count - 1) |
		   (host->msix_enable ? PCI_MSIX_FLAGS_ENABLE : 0) |
		   (host->msix_masked ? PCI_MSIX_FLAGS_MASKALL : 0);

	switch (reg - EPC_SIM_HOST_MSIX_CAP) {
	case 0:
		return PCI_CAP_ID_MSIX | ctrl << 16;
	case PCI_MSIX_TABLE:
		return table;
	case PCI_MSIX_PBA:
		return pba;
	}
	return 0;
}

static u32 epc_sim_host_cfg_read_dword(struct epc_sim_host *host, int reg)
{
	const struct pci_epf_header *h = &host->header;
	int msi = EPC_SIM_HOST_MSI_CAP;
	int msix = EPC_SIM_HOST_MSIX_CAP;
	bool caps = host->msi_capable || host->msix_count;

	if (host->msix_count && reg >= msix && reg <= msix + PCI_MSIX_PBA)
		return epc_sim_host_msix_read(host, reg);

	switch (reg) {
	case PCI_VENDOR_ID:
		return host->header_written ? h->vendorid | h->deviceid << 16 :
					      ~0U;
	case PCI_COMMAND:
		return host->command | (caps ? PCI_STATUS_CAP_LIST << 16 : 0);
	case PCI_CLASS_REVISION:
		return h->revid | h->progif_code << 8 | h->subclass_code << 16 |
		       h->baseclass_code << 24;
	case PCI_CACHE_LINE_SIZE:
		return host->cache_line | host->latency << 8;
	case PCI_BASE_ADDRESS_0 ... PCI_BASE_ADDRESS_5:
		return host->bar_reg[(reg - PCI_BASE_ADDRESS_0) / 4];
	case PCI_SUBSYSTEM_VENDOR_ID:
		return h->subsys_vendor_id | h->subsys_id << 16;
	case PCI_CAPABILITY_LIST:
		return host->msi_capable ? msi : host->msix_count ? msix : 0;
	case PCI_INTERRUPT_LINE:
		return host->irq_line;
	}
	if (!host->msi_capable)
		return 0;
	if (reg == msi)
		return PCI_CAP_ID_MSI | (host->msix_count ? msix << 8 : 0) |
		       epc_sim_host_msi_flags(host) << 16;
	if (reg == msi + PCI_MSI_ADDRESS_LO)
		return lower_32_bits(host->msi_addr);
	if (reg == msi + PCI_MSI_ADDRESS_HI)
		return upper_32_bits(host->msi_addr);
	if (reg == msi + PCI_MSI_DATA_64)
		return host->msi_data;
	return 0;
}

static void epc_sim_host_bar_write(struct epc_sim_host *host, int i, u32 val)
{
	struct epc_sim_host_bar *bar = &host->bar[i];
	struct epc_sim_host_bar *low = i ? &host->bar[i - 1] : NULL;

	if (bar->size)
		host->bar_reg[i] = (val & lower_32_bits(~(bar->size - 1)) &
				    PCI_BASE_ADDRESS_MEM_MASK) |
				   (bar->flags & ~PCI_BASE_ADDRESS_MEM_MASK);
	else if (low && low->size && (low->flags & PCI_BASE_ADDRESS_MEM_TYPE_64))
		host->bar_reg[i] = val & upper_32_bits(~(low->size - 1));
}

static void epc_sim_host_cfg_write_dword(struct epc_sim_host *host, int reg,
					 u32 val)
{
	int msi = EPC_SIM_HOST_MSI_CAP;
	u16 ctrl;

	switch (reg) {
	case PCI_COMMAND:
		host->command = val & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
				       PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
				       PCI_COMMAND_SERR |
				       PCI_COMMAND_INTX_DISABLE);
		return;
	case PCI_CACHE_LINE_SIZE:
		host->cache_line = val;
		host->latency = val >> 8;
		return;
	case PCI_BASE_ADDRESS_0 ... PCI_BASE_ADDRESS_5:
		epc_sim_host_bar_write(host, (reg - PCI_BASE_ADDRESS_0) / 4, val);
		return;
	case PCI_INTERRUPT_LINE:
		host->irq_line = val;
		return;
	}
	if (host->msix_count && reg == EPC_SIM_HOST_MSIX_CAP) {
		ctrl = val >> 16;
		host->msix_enable = ctrl & PCI_MSIX_FLAGS_ENABLE;
		host->msix_masked = ctrl & PCI_MSIX_FLAGS_MASKALL;
		return;
	}
	if (!host->msi_capable)
		return;
	if (reg == msi) {
		ctrl = val >> 16;
		host->msi_enable = ctrl & PCI_MSI_FLAGS_ENABLE;
		host->msi_mme = min_t(u8, FIELD_GET(PCI_MSI_FLAGS_QSIZE, ctrl),
				      host->msi_mmc);
	} else if (reg == msi + PCI_MSI_ADDRESS_LO) {
		host->msi_addr = (host->msi_addr & ~0xffffffffULL) | (val & ~3U);
	} else if (reg == msi + PCI_MSI_ADDRESS_HI) {
		host->msi_addr = lower_32_bits(host->msi_addr) | (u64)val << 32;
	} else if (reg == msi + PCI_MSI_DATA_64) {
		host->msi_data = val;
	}
}

static int epc_sim_host_cfg_read(struct pci_bus *bus, unsigned int devfn,
				 int where, int size, u32 *val)
{
	struct epc_sim_host *host = to_host(bus);
	unsigned long flags;
	u32 dword;

	if (devfn || where < 0 || where + size > PCI_CFG_SPACE_SIZE) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	dword = epc_sim_host_cfg_read_dword(host, where & ~3);
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);

	dword >>= 8 * (where & 3);
	*val = size == 4 ? dword : dword & (BIT(8 * size) - 1);
	return PCIBIOS_SUCCESSFUL;
}

static int epc_sim_host_cfg_write(struct pci_bus *bus, unsigned int devfn,
				  int where, int size, u32 val)
{
	struct epc_sim_host *host = to_host(bus);
	int shift = 8 * (where & 3);
	unsigned long flags;
	u32 mask, dword;

	if (devfn || where < 0 || where + size > PCI_CFG_SPACE_SIZE)
		return PCIBIOS_DEVICE_NOT_FOUND;
	mask = (size == 4 ? ~0U : (u32)BIT(8 * size) - 1) << shift;

	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	dword = epc_sim_host_cfg_read_dword(host, where & ~3);
	/* status is write-one-to-clear: never write back what was read */
	if ((where & ~3) == PCI_COMMAND)
		dword &= 0xffff;
	dword = (dword & ~mask) | ((val << shift) & mask);
	epc_sim_host_cfg_write_dword(host, where & ~3, dword);
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);
	return PCIBIOS_SUCCESSFUL;
}

/* the root bus's configuration accessors (epc-sim-host.c) */
struct pci_ops epc_sim_host_pci_ops = {
	.read	= epc_sim_host_cfg_read,
	.write	= epc_sim_host_cfg_write,
};

/**
 * epc_sim_host_reset_cfg() - the registers as after a reset
 * @host: the host side, about to be enumerated
 *
 * What the host wrote is forgotten; the BARs read back their host
 * addresses, as the controller set them.
 */
void epc_sim_host_reset_cfg(struct epc_sim_host *host)
{
	unsigned long flags;
	int i;

	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	host->command = 0;
	host->cache_line = 0;
	host->latency = 0;
	host->irq_line = 0;
	host->msi_enable = false;
	host->msi_mme = 0;
	host->msi_addr = 0;
	host->msi_data = 0;
	host->msix_enable = false;
	host->msix_masked = false;
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct epc_sim_host_bar *bar = &host->bar[i];

		if (!bar->size)
			continue;
		host->bar_reg[i] = lower_32_bits(bar->hpa) |
				   (bar->flags & ~PCI_BASE_ADDRESS_MEM_MASK);
		if ((bar->flags & PCI_BASE_ADDRESS_MEM_TYPE_64) &&
		    i + 1 < PCI_STD_NUM_BARS)
			host->bar_reg[i + 1] = upper_32_bits(bar->hpa);
	}
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);
}

/* what the function programs, under the controller lock */

/**
 * epc_sim_host_set_header() - show the function's header to the host
 * @sim: the controller; its lock is held
 * @hdr: the header the function wrote
 */
void epc_sim_host_set_header(struct epc_sim *sim,
			     const struct pci_epf_header *hdr)
{
	struct epc_sim_host *host = sim->host;
	unsigned long flags;

	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	host->header = *hdr;
	host->header_written = true;
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);
}

/**
 * epc_sim_host_set_msi() - offer MSI vectors in the MSI capability
 * @sim: the controller; its lock is held
 * @encoded: log2 of the vectors, as set_msi passes it
 */
void epc_sim_host_set_msi(struct epc_sim *sim, u8 encoded)
{
	struct epc_sim_host *host = sim->host;
	unsigned long flags;

	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	host->msi_mmc = min_t(u8, encoded, 5);
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);
}

/**
 * epc_sim_host_set_msix() - offer MSI-X in the MSI-X capability
 * @sim: the controller, its MSI-X table set; its lock is held
 *
 * The capability lasts until the BAR holding the table is cleared.
 */
void epc_sim_host_set_msix(struct epc_sim *sim)
{
	struct epc_sim_host *host = sim->host;
	unsigned long flags;

	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	host->msix_count = sim->msix_count;
	host->msix_bir = sim->msix_bir;
	host->msix_offset = sim->msix_offset;
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);
}

