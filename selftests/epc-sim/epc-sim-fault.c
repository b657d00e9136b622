// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: fault injection and contract checking.
 *
 * A test arms "the next N calls of operation X fail with errno E" through
 * debugfs, or exhausts the outbound window so that the function's next
 * pci_epc_mem_alloc_addr() fails. Calls that break the controller contract
 * (clearing a BAR that is not set, unmapping an address that is not mapped,
 * ...) are counted as violations and logged, never WARNed, so that a
 * misbehaving function can be observed without failing the run.
 */
#include <linux/pci-epc.h>
#include <linux/platform_device.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "epc-sim.h"

#define EPC_SIM_MAX_EXHAUST	64

/**
 * struct epc_sim_exhaust - one outbound chunk held by the controller
 * @phys: physical address of the chunk
 * @virt: its mapping, as returned by pci_epc_mem_alloc_addr()
 * @size: its size
 */
struct epc_sim_exhaust {
	phys_addr_t phys;
	void __iomem *virt;
	size_t size;
};

/**
 * epc_sim_fault_take() - consume one armed failure of an operation
 * @sim: controller; its lock is held
 * @op: the operation being called
 *
 * Return: 0 when the call should proceed, else the armed negative errno.
 */
int epc_sim_fault_take(struct epc_sim *sim, enum epc_sim_op op)
{
	struct epc_sim_fault *fault = &sim->fault[op];

	lockdep_assert_held(&sim->lock);
	if (!fault->count)
		return 0;
	if (fault->skip) {
		fault->skip--;
		return 0;
	}
	fault->count--;
	return fault->err;
}

/**
 * epc_sim_violation() - record a call that broke the controller contract
 * @sim: controller; its lock is held
 * @fmt: printf-style description of the violation
 */
void epc_sim_violation(struct epc_sim *sim, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	lockdep_assert_held(&sim->lock);
	sim->violations++;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_info(&sim->pdev->dev, "contract violation: %pV\n", &vaf);
	va_end(args);
}

/**
 * epc_sim_exhaust_release() - give back the outbound chunks held
 * @sim: controller; its lock is held or the controller is going away
 */
void epc_sim_exhaust_release(struct epc_sim *sim)
{
	unsigned int i;

	for (i = 0; i < sim->exhaust_count; i++)
		pci_epc_mem_free_addr(sim->epc, sim->exhaust[i].phys,
				      sim->exhaust[i].virt,
				      sim->exhaust[i].size);
	kfree(sim->exhaust);
	sim->exhaust = NULL;
	sim->exhaust_count = 0;
}

/**
 * epc_sim_exhaust_take() - allocate all free outbound space
 * @sim: controller; its lock is held
 *
 * Takes the largest chunks that still fit, halving the size on each
 * failure, so a few allocations cover the whole window.
 *
 * Return: 0, or -ENOMEM when the bookkeeping cannot be allocated.
 */
int epc_sim_exhaust_take(struct epc_sim *sim)
{
	size_t size = sim->ob_size ? rounddown_pow_of_two(sim->ob_size) : 0;
	struct epc_sim_exhaust *chunk;

	if (sim->exhaust)
		return 0;
	sim->exhaust = kcalloc(EPC_SIM_MAX_EXHAUST, sizeof(*sim->exhaust),
			       GFP_KERNEL);
	if (!sim->exhaust)
		return -ENOMEM;
	while (size >= PAGE_SIZE && sim->exhaust_count < EPC_SIM_MAX_EXHAUST) {
		chunk = &sim->exhaust[sim->exhaust_count];
		chunk->virt = pci_epc_mem_alloc_addr(sim->epc, &chunk->phys,
						     size);
		if (!chunk->virt) {
			size /= 2;
			continue;
		}
		chunk->size = size;
		sim->exhaust_count++;
	}
	return 0;
}

/**
 * epc_sim_exhaust_overlaps() - does a range overlap a held outbound chunk
 * @sim: controller; its lock is held
 * @phys: start of the range
 * @size: its size
 *
 * Return: true when some chunk held by epc_sim_exhaust_take() overlaps.
 */
bool epc_sim_exhaust_overlaps(struct epc_sim *sim, phys_addr_t phys,
			      size_t size)
{
	unsigned int i;

	for (i = 0; i < sim->exhaust_count; i++)
		if (phys < sim->exhaust[i].phys + sim->exhaust[i].size &&
		    sim->exhaust[i].phys < phys + size)
			return true;
	return false;
}
