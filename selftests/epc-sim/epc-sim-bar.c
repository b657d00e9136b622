// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: the BARs and outbound mappings of host mode, as the
 * function programs them.
 *
 * A BAR's host address is the physical address of its memory in the
 * shared pool, so the host reaches exactly what the function set; a
 * memory window (a BAR set without memory) is given pool memory of its
 * own, zeroed while parked. An outbound mapping reaches the host's
 * coherent buffer in place, or a streaming buffer by copying. Each
 * operation checks the invariants this needs, as a real controller's
 * address translation would fail silently where they break, and logs a
 * contract violation instead.
 */
#include <linux/io.h>

#include "epc-sim-host.h"

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
 * A BAR with memory keeps that memory's address as its host address, as
 * does a BAR translated into the controller's doorbell registers. Any
 * other BAR without memory (a memory window, parked or not) gets pool
 * memory, which the endpoint's NTB device later receives as its buffer.
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
	bool doorbell;
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
	/* a doorbell BAR: translated into the doorbell's registers */
	doorbell = !virt && epc_sim_doorbell_contains(sim, phys, epf_bar->size);
	if (virt && !epc_sim_pool_contains(phys, epf_bar->size)) {
		epc_sim_violation(sim, "set_bar: BAR %d memory at %pa is outside the shared pool",
				  barno, &phys);
		return -EINVAL;
	}
	if ((virt || doorbell) && !IS_ALIGNED(phys, epf_bar->size)) {
		epc_sim_violation(sim, "set_bar: BAR %d memory at %pa is not aligned to its size",
				  barno, &phys);
		return -EINVAL;
	}

	/* a memory window: pool memory the host reaches it through */
	if (!virt && !doorbell) {
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
