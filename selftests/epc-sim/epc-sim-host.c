// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: host mode, where the controller also plays the root
 * complex, so that a host driver (ntb_hw_epf, pci_endpoint_test) binds to
 * the function in the same kernel.
 *
 * When the controller is started, a root bus in its own PCI domain
 * (0x10000 + controller number) is scanned; its one device, 00.0, has an
 * emulated configuration space made of what the function programmed: the
 * header it wrote, its BARs at their host addresses, an MSI capability
 * with the vectors set_msi offered, an MSI-X capability pointing at the
 * table set_msix placed, interrupt pin 0. Stopping the controller removes
 * the bus.
 *
 * Memory is shared, not copied: a BAR's host address is the physical
 * address of its memory in the pool. The controller checks every
 * invariant this needs and logs a contract violation when one breaks:
 *
 *   set_bar     the memory is in the pool and naturally aligned; once set,
 *               a BAR keeps its size; BARs appear before the host
 *               enumerates. A memory window (a BAR set without memory of
 *               its own) gets pool memory the host reaches it through; a
 *               translation to that memory is the endpoint buffer lent
 *               there, any other parks the window, which then reads as
 *               zeros (the function's parking buffer) until translated
 *   clear_bar   the host device is gone and no buffer lives in the BAR
 *   map_addr    the outbound address is the host address (phys ==
 *               pci_addr): the host driver's coherent buffer is the
 *               chunk itself; or the host address lies in a buffer the
 *               host mapped for streaming DMA, reached by copying (see
 *               epc-sim-stream.c)
 *   raise_irq   the host enabled MSI and the vector, and programmed the
 *               message this bridge composed
 *   allocation  a host buffer matches an outbound chunk of the function,
 *               an endpoint buffer matches a parked window BAR
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>

#include "epc-sim-host.h"

static DEFINE_MUTEX(epc_sim_hosts_lock);
static struct epc_sim_host *epc_sim_hosts[EPC_SIM_HOST_MAX];

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

static struct pci_ops epc_sim_host_pci_ops = {
	.read	= epc_sim_host_cfg_read,
	.write	= epc_sim_host_cfg_write,
};

static void epc_sim_host_reset_cfg(struct epc_sim_host *host)
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

static int epc_sim_host_check_layout(struct epc_sim *sim, enum pci_barno barno,
				     int flags)
{
	struct epc_sim_host *host = sim->host;

	if ((flags & PCI_BASE_ADDRESS_MEM_TYPE_64) &&
	    (barno == BAR_5 || host->bar[barno + 1].size)) {
		epc_sim_violation(sim, "set_bar: 64-bit BAR %d needs BAR %d free",
				  barno, barno + 1);
		return -EINVAL;
	}
	if (barno > BAR_0 && host->bar[barno - 1].size &&
	    (host->bar[barno - 1].flags & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
		epc_sim_violation(sim, "set_bar: BAR %d is the upper half of BAR %d",
				  barno, barno - 1);
		return -EINVAL;
	}
	return 0;
}

static int epc_sim_host_reset_bar(struct epc_sim *sim, struct pci_epf_bar *epf_bar)
{
	struct epc_sim_host_bar *bar = &sim->host->bar[epf_bar->barno];
	phys_addr_t phys = epf_bar->phys_addr;

	if (epf_bar->size != bar->size) {
		epc_sim_violation(sim, "set_bar: BAR %d resized from %llu to %zu while set",
				  epf_bar->barno, bar->size, epf_bar->size);
		return -EINVAL;
	}
	if (phys != bar->hpa && !bar->backing) {
		epc_sim_violation(sim, "set_bar: BAR %d translates to %pa, host sees it at %pa",
				  epf_bar->barno, &phys, &bar->hpa);
		return -EINVAL;
	}
	/* parked away from the lent buffer: the host now reads zeros */
	if (bar->backing && phys != bar->backing)
		memset(bar->backing_virt, 0, bar->size);
	sim->bar[epf_bar->barno].phys = phys;
	return 0;
}

/**
 * epc_sim_host_set_bar() - set a BAR the host will enumerate
 * @sim: the controller; its lock is held
 * @epf_bar: the BAR; its number, size and flags are already checked
 *
 * A BAR with memory keeps that memory's address as its host address. A
 * BAR without (a memory window, parked or not) gets pool memory, which
 * the endpoint's NTB device later receives as its buffer.
 *
 * Return: 0 or a negative errno, with the broken invariant logged.
 */
int epc_sim_host_set_bar(struct epc_sim *sim, struct pci_epf_bar *epf_bar)
{
	struct epc_sim_host *host = sim->host;
	enum pci_barno barno = epf_bar->barno;
	struct epc_sim_host_bar *bar = &host->bar[barno];
	phys_addr_t phys = epf_bar->phys_addr;
	unsigned long flags;
	void *virt = epf_bar->addr;
	int ret;

	if (bar->size)
		return epc_sim_host_reset_bar(sim, epf_bar);
	if (host->bus) {
		epc_sim_violation(sim, "set_bar: BAR %d after the host enumerated",
				  barno);
		return -EBUSY;
	}
	ret = epc_sim_host_check_layout(sim, barno, epf_bar->flags);
	if (ret)
		return ret;
	if (virt && !epc_sim_pool_contains(phys, epf_bar->size)) {
		epc_sim_violation(sim, "set_bar: BAR %d memory at %pa is outside the shared pool",
				  barno, &phys);
		return -EINVAL;
	}
	if (virt && !IS_ALIGNED(phys, epf_bar->size)) {
		epc_sim_violation(sim, "set_bar: BAR %d memory at %pa is not aligned to its size",
				  barno, &phys);
		return -EINVAL;
	}

	/* a memory window: pool memory the host reaches it through */
	if (!virt) {
		bar->backing_virt = epc_sim_pool_alloc(epf_bar->size,
						       &bar->backing);
		if (!bar->backing_virt)
			return -ENOMEM;
		virt = bar->backing_virt;
	}

	bar->size = epf_bar->size;
	bar->hpa = bar->backing ?: phys;
	bar->flags = epf_bar->flags;
	sim->bar[barno].size = epf_bar->size;
	sim->bar[barno].phys = phys;
	sim->bar[barno].flags = epf_bar->flags;
	sim->bar[barno].virt = virt;

	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	host->bar_reg[barno] = lower_32_bits(bar->hpa) |
			       (bar->flags & ~PCI_BASE_ADDRESS_MEM_MASK);
	if (bar->flags & PCI_BASE_ADDRESS_MEM_TYPE_64)
		host->bar_reg[barno + 1] = upper_32_bits(bar->hpa);
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);
	return 0;
}

static void epc_sim_host_orphan(struct epc_sim *sim, struct epc_sim_host_bar *bar)
{
	struct epc_sim_host *host = sim->host;
	int i;

	for (i = 0; i < EPC_SIM_HOST_MAX_LENT; i++) {
		if (!host->orphans[i].size) {
			host->orphans[i].phys = bar->backing;
			host->orphans[i].size = bar->size;
			host->orphans[i].virt = bar->backing_virt;
			return;
		}
	}
	epc_sim_violation(sim, "too many window buffers outlive their BARs; leaking %pa",
			  &bar->backing);
}

/**
 * epc_sim_host_clear_bar() - remove a BAR
 * @sim: the controller; its lock is held
 * @barno: the BAR
 */
void epc_sim_host_clear_bar(struct epc_sim *sim, enum pci_barno barno)
{
	struct epc_sim_host *host = sim->host;
	struct epc_sim_host_bar *bar = &host->bar[barno];
	unsigned long flags;

	if (host->bus)
		epc_sim_violation(sim, "clear_bar: BAR %d while the host device exists",
				  barno);
	if (bar->backing && bar->lent) {
		epc_sim_violation(sim, "clear_bar: BAR %d still holds an endpoint buffer",
				  barno);
		epc_sim_host_orphan(sim, bar);
	} else if (bar->backing) {
		epc_sim_pool_free(bar->backing, bar->size, bar->backing_virt);
	}
	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	if (host->msix_count && host->msix_bir == barno)
		host->msix_count = 0;
	host->bar_reg[barno] = 0;
	if ((bar->flags & PCI_BASE_ADDRESS_MEM_TYPE_64) && barno < BAR_5)
		host->bar_reg[barno + 1] = 0;
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);
	memset(bar, 0, sizeof(*bar));
	memset(&sim->bar[barno], 0, sizeof(sim->bar[barno]));
}

/**
 * epc_sim_host_map() - check, and in host mode carry out, an outbound map
 * @sim: the controller; its lock is held
 * @addr: outbound address
 * @pci_addr: host address it should reach
 * @size: bytes
 * @copied: set when the mapping reaches a streaming buffer by copying
 *
 * Either the outbound address is the host address (the host's buffer is
 * the chunk itself), or the host address lies in host RAM the host
 * device mapped for streaming DMA, which the chunk now holds a copy of.
 *
 * Return: 0, or -EINVAL when the host would not see the writes.
 */
int epc_sim_host_map(struct epc_sim *sim, phys_addr_t addr, u64 pci_addr,
		     size_t size, bool *copied)
{
	void *chunk = sim->ob_virt + (addr - sim->ob_base);

	*copied = false;
	if (addr == pci_addr)
		return 0;
	if (!epc_sim_stream_copy(sim->host, chunk, pci_addr, size, false)) {
		*copied = true;
		return 0;
	}
	epc_sim_violation(sim, "map_addr %pa to host 0x%llx+%zu: not a host buffer",
			  &addr, pci_addr, size);
	return -EINVAL;
}

/**
 * epc_sim_host_unmap() - write a copying outbound map back to the host
 * @sim: the controller; its lock is held
 * @map: the mapping being removed
 */
void epc_sim_host_unmap(struct epc_sim *sim, const struct epc_sim_map *map)
{
	void *chunk = sim->ob_virt + (map->phys - sim->ob_base);

	if (!map->copied)
		return;
	if (epc_sim_stream_copy(sim->host, chunk, map->pci_addr, map->size,
				true))
		epc_sim_violation(sim, "unmap_addr %pa: host unmapped 0x%llx first",
				  &map->phys, map->pci_addr);
}

/* DMA allocations of the host and endpoint devices */

static bool epc_sim_host_busy(struct epc_sim *sim, phys_addr_t phys, size_t size)
{
	struct epc_sim_host *host = sim->host;
	unsigned int i;

	for (i = 0; i < EPC_SIM_HOST_MAX_LENT; i++) {
		struct epc_sim_host_chunk *c = &host->lent[i];

		if (c->size && phys < c->phys + c->size && c->phys < phys + size)
			return true;
	}
	return epc_sim_exhaust_overlaps(sim, phys, size);
}

/* when the outbound chunk at @phys was last given back, 0 if never */
static u64 epc_sim_host_chunk_returned(struct epc_sim_host *host,
				       phys_addr_t phys)
{
	unsigned int i;

	for (i = 0; i < EPC_SIM_HOST_MAX_LENT; i++)
		if (host->chunk_returned[i].when &&
		    host->chunk_returned[i].phys == phys)
			return host->chunk_returned[i].when;
	return 0;
}

static void epc_sim_host_note_chunk_returned(struct epc_sim_host *host,
					     phys_addr_t phys)
{
	struct epc_sim_host_return *slot = &host->chunk_returned[0];
	unsigned int i;

	for (i = 0; i < EPC_SIM_HOST_MAX_LENT; i++) {
		struct epc_sim_host_return *r = &host->chunk_returned[i];

		if (r->phys == phys || !r->when) {
			slot = r;
			break;
		}
		if (r->when < slot->when)
			slot = r;
	}
	slot->phys = phys;
	slot->when = ++host->returns;
}

/*
 * The free outbound chunk given back the longest ago, or never: a host
 * driver that frees one window's buffer and allocates the next window's
 * then gets that window's chunk, not the one just freed
 */
static phys_addr_t epc_sim_host_find_chunk(struct epc_sim *sim, size_t size)
{
	struct pci_epc_mem *mem = sim->epc->mem;
	size_t psz = mem->window.page_size;
	unsigned int pages = DIV_ROUND_UP(size, psz);
	unsigned int step = roundup_pow_of_two(pages);
	phys_addr_t phys, found = 0;
	u64 when, found_when = U64_MAX;
	unsigned int p;

	mutex_lock(&mem->lock);
	for (p = 0; p + pages <= mem->pages; p += step) {
		if (find_next_zero_bit(mem->bitmap, p + pages, p) < p + pages)
			continue;
		phys = mem->window.phys_base + (phys_addr_t)p * psz;
		if (epc_sim_host_busy(sim, phys, pages * psz))
			continue;
		when = epc_sim_host_chunk_returned(sim->host, phys);
		if (when < found_when) {
			found = phys;
			found_when = when;
		}
	}
	mutex_unlock(&mem->lock);
	return found;
}

/**
 * epc_sim_host_lend_outbound() - DMA allocation of the host device
 * @dev: the host device
 * @size: bytes
 * @dma: the buffer's host address
 *
 * The buffer is an outbound chunk the function allocated, large enough
 * and not lent yet, so that the function's outbound writes land in it:
 * of those, the one given back the longest ago, lowest first.
 *
 * Return: a mapping of the buffer, or NULL.
 */
void *epc_sim_host_lend_outbound(struct device *dev, size_t size,
				 dma_addr_t *dma)
{
	struct epc_sim_host *host = to_host(to_pci_dev(dev)->bus);
	struct epc_sim *sim = host->sim;
	struct epc_sim_host_chunk *slot = NULL;
	phys_addr_t phys;
	void *virt = NULL;
	int i;

	mutex_lock(&sim->lock);
	for (i = 0; i < EPC_SIM_HOST_MAX_LENT && !slot; i++)
		if (!host->lent[i].size)
			slot = &host->lent[i];
	phys = sim->epc->mem ? epc_sim_host_find_chunk(sim, size) : 0;
	if (!slot || !phys) {
		epc_sim_violation(sim, "host buffer of %zu bytes: no free outbound chunk",
				  size);
		goto out;
	}
	virt = memremap(phys, size, MEMREMAP_WB);
	if (!virt)
		goto out;
	memset(virt, 0, size);
	slot->phys = phys;
	slot->size = size;
	slot->virt = virt;
	*dma = phys;
out:
	mutex_unlock(&sim->lock);
	return virt;
}

/**
 * epc_sim_host_return_outbound() - DMA free of the host device
 * @dev: the host device
 * @dma: the buffer's host address
 */
void epc_sim_host_return_outbound(struct device *dev, dma_addr_t dma)
{
	struct epc_sim_host *host = to_host(to_pci_dev(dev)->bus);
	struct epc_sim *sim = host->sim;
	int i;

	mutex_lock(&sim->lock);
	for (i = 0; i < EPC_SIM_HOST_MAX_LENT; i++) {
		struct epc_sim_host_chunk *c = &host->lent[i];

		if (c->size && c->phys == dma) {
			memunmap(c->virt);
			memset(c, 0, sizeof(*c));
			epc_sim_host_note_chunk_returned(host, dma);
			goto out;
		}
	}
	epc_sim_violation(sim, "host frees buffer %pad, which was not lent", &dma);
out:
	mutex_unlock(&sim->lock);
}

/* the parked window BAR given back the longest ago, or never */
static void *epc_sim_host_lend_bar_of(struct epc_sim_host *host, size_t size,
				      dma_addr_t *dma)
{
	struct epc_sim_host_bar *found = NULL;
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct epc_sim_host_bar *bar = &host->bar[i];

		if (bar->size && bar->backing && !bar->lent &&
		    bar->size >= size &&
		    (!found || bar->returned < found->returned))
			found = bar;
	}
	if (!found)
		return NULL;
	found->lent = true;
	memset(found->backing_virt, 0, size);
	*dma = found->backing;
	return found->backing_virt;
}

/* the host whose controller carries the function that parents @pdev's bus */
static struct epc_sim_host *epc_sim_host_of_vbus(struct pci_dev *pdev)
{
	struct device *parent = pci_find_host_bridge(pdev->bus)->dev.parent;
	struct epc_sim_host *owner = NULL;
	struct pci_epf *epf;
	int i;

	lockdep_assert_held(&epc_sim_hosts_lock);
	for (i = 0; i < ARRAY_SIZE(epc_sim_hosts) && parent && !owner; i++) {
		struct pci_epc *epc;

		if (!epc_sim_hosts[i])
			continue;
		epc = epc_sim_hosts[i]->sim->epc;
		mutex_lock(&epc->list_lock);
		list_for_each_entry(epf, &epc->pci_epf, list)
			if (&epf->dev == parent)
				owner = epc_sim_hosts[i];
		mutex_unlock(&epc->list_lock);
	}
	return owner;
}

/**
 * epc_sim_host_lend_bar() - DMA allocation of the endpoint's NTB device
 * @dev: the virtual NTB device of the function
 * @size: bytes
 * @dma: the buffer's address
 *
 * The buffer is the memory of a parked window BAR, large enough and not
 * lent yet, so that what the host writes through that BAR lands in the
 * buffer: of those, the one given back the longest ago, lowest first.
 * The BAR is one of the controller whose function created the device's
 * bus (ours parents the bus to the function), or, when that cannot be
 * told (the in-tree function's bus has no parent), of any controller in
 * host mode.
 *
 * Return: a mapping of the buffer, or NULL.
 */
void *epc_sim_host_lend_bar(struct device *dev, size_t size, dma_addr_t *dma)
{
	struct epc_sim_host *owner, *last = NULL;
	void *virt = NULL;
	int i;

	mutex_lock(&epc_sim_hosts_lock);
	owner = epc_sim_host_of_vbus(to_pci_dev(dev));
	for (i = 0; i < ARRAY_SIZE(epc_sim_hosts) && !virt; i++) {
		struct epc_sim_host *host = epc_sim_hosts[i];

		if (!host || (owner && host != owner))
			continue;
		mutex_lock(&host->sim->lock);
		virt = epc_sim_host_lend_bar_of(host, size, dma);
		if (!virt)
			last = host;
		mutex_unlock(&host->sim->lock);
	}
	if (!virt && last) {
		mutex_lock(&last->sim->lock);
		epc_sim_violation(last->sim, "%s buffer of %zu bytes: no parked window BAR",
				  dev_name(dev), size);
		mutex_unlock(&last->sim->lock);
	}
	mutex_unlock(&epc_sim_hosts_lock);
	return virt;
}

static bool epc_sim_host_return_bar_of(struct epc_sim_host *host,
				       dma_addr_t dma)
{
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct epc_sim_host_bar *bar = &host->bar[i];

		if (bar->backing && bar->lent && bar->backing == dma) {
			bar->lent = false;
			bar->returned = ++host->returns;
			return true;
		}
	}
	for (i = 0; i < EPC_SIM_HOST_MAX_LENT; i++) {
		struct epc_sim_host_chunk *c = &host->orphans[i];

		if (c->size && c->phys == dma) {
			epc_sim_pool_free(c->phys, c->size, c->virt);
			memset(c, 0, sizeof(*c));
			return true;
		}
	}
	return false;
}

/**
 * epc_sim_host_return_bar() - DMA free of the endpoint's NTB device
 * @dev: the virtual NTB device of the function
 * @dma: the buffer's address
 */
void epc_sim_host_return_bar(struct device *dev, dma_addr_t dma)
{
	bool found = false;
	int i;

	mutex_lock(&epc_sim_hosts_lock);
	for (i = 0; i < ARRAY_SIZE(epc_sim_hosts) && !found; i++) {
		struct epc_sim_host *host = epc_sim_hosts[i];

		if (!host)
			continue;
		mutex_lock(&host->sim->lock);
		found = epc_sim_host_return_bar_of(host, dma);
		mutex_unlock(&host->sim->lock);
	}
	mutex_unlock(&epc_sim_hosts_lock);
	if (!found)
		dev_err(dev, "pci-epc-sim: frees buffer %pad, which was not lent\n",
			&dma);
}

/* presenting and withdrawing the host device */

/**
 * epc_sim_host_present() - scan the root bus and let host drivers bind
 * @sim: the controller, just started; its lock is not held
 *
 * Return: 0 or a negative errno.
 */
int epc_sim_host_present(struct epc_sim *sim)
{
	struct epc_sim_host *host = sim->host;
	struct pci_dev *pdev;
	struct pci_bus *bus;
	LIST_HEAD(resources);

	if (host->bus)
		return 0;
	epc_sim_host_reset_cfg(host);
	pci_add_resource(&resources, &host->busn);
	pci_add_resource(&resources, &host->window);

	pci_lock_rescan_remove();
	bus = pci_create_root_bus(&sim->pdev->dev, 0, &epc_sim_host_pci_ops,
				  &host->sysdata, &resources);
	if (!bus) {
		pci_unlock_rescan_remove();
		pci_free_resource_list(&resources);
		return -ENOMEM;
	}
	dev_set_msi_domain(&bus->dev, host->msi_domain);
	pci_scan_child_bus(bus);
	list_for_each_entry(pdev, &bus->devices, bus_list)
		set_dma_ops(&pdev->dev, &epc_sim_host_dma_ops);
	pci_bus_claim_resources(bus);
	host->bus = bus;
	pci_bus_add_devices(bus);
	pci_unlock_rescan_remove();
	return 0;
}

/**
 * epc_sim_host_withdraw() - remove the root bus and its device
 * @sim: the controller, being stopped; its lock is not held
 *
 * A host driver still bound sees its device removed under it, as on a
 * surprise link down.
 */
void epc_sim_host_withdraw(struct epc_sim *sim)
{
	struct epc_sim_host *host = sim->host;
	unsigned int left;
	int i;

	pci_lock_rescan_remove();
	if (host->bus) {
		struct pci_host_bridge *bridge = pci_find_host_bridge(host->bus);

		pci_stop_root_bus(host->bus);
		pci_remove_root_bus(host->bus);
		/* the reference pci_create_root_bus() allocated it with */
		pci_free_host_bridge(bridge);
		host->bus = NULL;
	}
	pci_unlock_rescan_remove();

	mutex_lock(&sim->lock);
	left = epc_sim_stream_forget_all(host);
	if (left)
		epc_sim_violation(sim, "%u streaming mappings live after the host device left",
				  left);
	for (i = 0; i < EPC_SIM_HOST_MAX_LENT; i++) {
		struct epc_sim_host_chunk *c = &host->lent[i];

		if (!c->size)
			continue;
		epc_sim_violation(sim, "host buffer %pa still lent after the host device left",
				  &c->phys);
		memunmap(c->virt);
		memset(c, 0, sizeof(*c));
	}
	mutex_unlock(&sim->lock);
}

static int epc_sim_host_show(struct seq_file *s, void *unused)
{
	struct epc_sim *sim = s->private;
	struct epc_sim_host *host = sim->host;
	unsigned long flags;
	bool enable;
	u8 mme;
	int i;

	mutex_lock(&sim->lock);
	raw_spin_lock_irqsave(&host->cfg_lock, flags);
	enable = host->msi_enable;
	mme = host->msi_mme;
	raw_spin_unlock_irqrestore(&host->cfg_lock, flags);

	seq_printf(s, "domain %04x\npresent %d\nmsi_enabled %u\n",
		   host->sysdata.domain, !!host->bus, enable ? 1U << mme : 0);
	for (i = 1; i <= EPC_SIM_MAX_IRQS; i++)
		if (host->delivered[i])
			seq_printf(s, "delivered msi%d %lu\n", i,
				   host->delivered[i]);
	if (host->delivered_msix)
		seq_printf(s, "delivered msix %lu\n", host->delivered_msix);
	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		if (host->bar[i].size)
			seq_printf(s, "bar%d hpa=%pa size=0x%llx parked=%d lent=%d\n",
				   i, &host->bar[i].hpa, host->bar[i].size,
				   !!host->bar[i].backing && !sim->bar[i].phys,
				   host->bar[i].lent);
	for (i = 0; i < EPC_SIM_HOST_MAX_LENT; i++)
		if (host->lent[i].size)
			seq_printf(s, "lent %pa size=0x%zx\n",
				   &host->lent[i].phys, host->lent[i].size);
	mutex_unlock(&sim->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(epc_sim_host);

/* undoes epc_sim_host_create(), before the host view and the EPC go */
static void epc_sim_host_release(void *data)
{
	struct epc_sim *sim = data;
	struct epc_sim_host *host = sim->host;
	int i;

	epc_sim_host_withdraw(sim);
	mutex_lock(&epc_sim_hosts_lock);
	epc_sim_hosts[sim->pdev->id] = NULL;
	mutex_unlock(&epc_sim_hosts_lock);

	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		if (host->bar[i].backing)
			epc_sim_pool_free(host->bar[i].backing,
					  host->bar[i].size,
					  host->bar[i].backing_virt);
	for (i = 0; i < EPC_SIM_HOST_MAX_LENT; i++)
		if (host->orphans[i].size)
			epc_sim_pool_free(host->orphans[i].phys,
					  host->orphans[i].size,
					  host->orphans[i].virt);
	epc_sim_msi_destroy(host);
	set_dma_ops(&sim->pdev->dev, NULL);
	sim->host = NULL;
	kfree(host);
}

/**
 * epc_sim_host_create() - give a controller its host side
 * @sim: the controller, being probed, with its host view created
 *
 * Return: 0 or a negative errno.
 */
int epc_sim_host_create(struct epc_sim *sim)
{
	struct device *dev = &sim->pdev->dev;
	struct epc_sim_host *host;
	phys_addr_t base;
	size_t size;
	int id = sim->pdev->id;
	int ret;

	if (id < 0 || id >= ARRAY_SIZE(epc_sim_hosts))
		return -EINVAL;
	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return -ENOMEM;
	host->sim = sim;
	host->sysdata.domain = EPC_SIM_HOST_DOMAIN + id;
	host->sysdata.node = NUMA_NO_NODE;
	host->msi_capable = sim->features.msi_capable;
	raw_spin_lock_init(&host->cfg_lock);
	spin_lock_init(&host->stream_lock);

	epc_sim_pool_range(&base, &size);
	host->busn.name = dev_name(dev);
	host->busn.start = 0;
	host->busn.end = 0;
	host->busn.flags = IORESOURCE_BUS;
	host->window.name = dev_name(dev);
	host->window.start = base;
	host->window.end = base + size - 1;
	host->window.flags = IORESOURCE_MEM;

	ret = epc_sim_msi_create(host, id);
	if (ret) {
		kfree(host);
		return ret;
	}
	set_dma_ops(dev, &epc_sim_pool_dma_ops);
	sim->host = host;
	debugfs_create_file("host", 0444, sim->dir, sim, &epc_sim_host_fops);

	mutex_lock(&epc_sim_hosts_lock);
	epc_sim_hosts[id] = host;
	mutex_unlock(&epc_sim_hosts_lock);
	return devm_add_action_or_reset(dev, epc_sim_host_release, sim);
}

/**
 * epc_sim_host_init() - set up host mode for the module
 * @base: physical base of the shared pool
 * @size: its size
 *
 * Return: 0 or a negative errno.
 */
int epc_sim_host_init(phys_addr_t base, size_t size)
{
	int ret;

	if (!size) {
		pr_err("pci-epc-sim: host mode needs ob_base and ob_size\n");
		return -EINVAL;
	}
	ret = epc_sim_pool_init(base, size);
	if (ret)
		return ret;
	ret = epc_sim_host_notifier_register();
	if (ret)
		epc_sim_pool_exit();
	return ret;
}

/**
 * epc_sim_host_exit() - tear down host mode, after every controller
 */
void epc_sim_host_exit(void)
{
	epc_sim_host_notifier_unregister();
	epc_sim_pool_exit();
}
