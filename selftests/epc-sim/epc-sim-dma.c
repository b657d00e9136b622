// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: the shared memory pool of host mode and the DMA operations
 * that hand it out.
 *
 * Host and endpoint run in one kernel, so whatever the host reaches
 * through a BAR and whatever the endpoint reaches through an outbound
 * window must be the same physical memory, outside the page allocator:
 * the range reserved with memmap= on the command line. Host mode uses its
 * upper half as the pool of BAR memory; the lower half stays the
 * controllers' outbound windows.
 *
 * Three sets of DMA operations hand it out:
 *   the controller's parent device    pool pages (pci_epf_alloc_space())
 *   the host device (ntb_hw_epf)      the function's outbound chunks
 *   the endpoint's virtual NTB device the memory of a parked window BAR
 * Streaming mappings are identity mappings: nothing here does real DMA.
 * The host device's are also recorded (epc-sim-stream.c), so that the
 * function can reach them through its outbound window.
 */
#include <linux/bitmap.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "epc-sim-host.h"

static DEFINE_SPINLOCK(epc_sim_pool_lock);
static unsigned long *epc_sim_pool_bitmap;
static phys_addr_t epc_sim_pool_base;
static size_t epc_sim_pool_size;

/**
 * epc_sim_pool_init() - set up the shared pool
 * @base: physical base of the reserved range handed to the pool
 * @size: its size, a multiple of PAGE_SIZE
 *
 * Return: 0 or -ENOMEM.
 */
int epc_sim_pool_init(phys_addr_t base, size_t size)
{
	epc_sim_pool_bitmap = bitmap_zalloc(size >> PAGE_SHIFT, GFP_KERNEL);
	if (!epc_sim_pool_bitmap)
		return -ENOMEM;
	epc_sim_pool_base = base;
	epc_sim_pool_size = size;
	return 0;
}

/**
 * epc_sim_pool_exit() - tear down the shared pool
 */
void epc_sim_pool_exit(void)
{
	bitmap_free(epc_sim_pool_bitmap);
	epc_sim_pool_bitmap = NULL;
	epc_sim_pool_size = 0;
}

/**
 * epc_sim_pool_range() - where the pool lies
 * @base: its physical base
 * @size: its size
 */
void epc_sim_pool_range(phys_addr_t *base, size_t *size)
{
	*base = epc_sim_pool_base;
	*size = epc_sim_pool_size;
}

/**
 * epc_sim_pool_contains() - is a range inside the pool
 * @phys: start of the range
 * @size: its size
 *
 * Return: true when [@phys, @phys + @size) lies in the pool.
 */
bool epc_sim_pool_contains(phys_addr_t phys, u64 size)
{
	return epc_sim_pool_size && phys >= epc_sim_pool_base &&
	       size <= epc_sim_pool_size &&
	       phys - epc_sim_pool_base <= epc_sim_pool_size - size;
}

/**
 * epc_sim_pool_alloc() - allocate zeroed, naturally aligned pool memory
 * @size: bytes; rounded up to a power of two of pages
 * @phys: its physical address
 *
 * Return: a write-back mapping of the memory, or NULL.
 */
void *epc_sim_pool_alloc(size_t size, phys_addr_t *phys)
{
	unsigned long pages = roundup_pow_of_two(PAGE_ALIGN(size) >> PAGE_SHIFT);
	unsigned long nbits = epc_sim_pool_size >> PAGE_SHIFT;
	unsigned long start;
	void *virt;

	if (!epc_sim_pool_bitmap || !size)
		return NULL;
	spin_lock(&epc_sim_pool_lock);
	start = bitmap_find_next_zero_area(epc_sim_pool_bitmap, nbits, 0,
					   pages, pages - 1);
	if (start >= nbits) {
		spin_unlock(&epc_sim_pool_lock);
		return NULL;
	}
	bitmap_set(epc_sim_pool_bitmap, start, pages);
	spin_unlock(&epc_sim_pool_lock);

	*phys = epc_sim_pool_base + ((phys_addr_t)start << PAGE_SHIFT);
	virt = memremap(*phys, pages << PAGE_SHIFT, MEMREMAP_WB);
	if (!virt) {
		epc_sim_pool_free(*phys, size, NULL);
		return NULL;
	}
	memset(virt, 0, pages << PAGE_SHIFT);
	return virt;
}

/**
 * epc_sim_pool_free() - give pool memory back
 * @phys: what epc_sim_pool_alloc() returned in @phys
 * @size: the size it was asked for
 * @virt: its mapping, or NULL
 */
void epc_sim_pool_free(phys_addr_t phys, size_t size, void *virt)
{
	unsigned long pages = roundup_pow_of_two(PAGE_ALIGN(size) >> PAGE_SHIFT);

	if (virt)
		memunmap(virt);
	spin_lock(&epc_sim_pool_lock);
	bitmap_clear(epc_sim_pool_bitmap,
		     (phys - epc_sim_pool_base) >> PAGE_SHIFT, pages);
	spin_unlock(&epc_sim_pool_lock);
}

static dma_addr_t epc_sim_map_page(struct device *dev, struct page *page,
				   unsigned long offset, size_t size,
				   enum dma_data_direction dir,
				   unsigned long attrs)
{
	return page_to_phys(page) + offset;
}

static int epc_sim_map_sg(struct device *dev, struct scatterlist *sgl,
			  int nents, enum dma_data_direction dir,
			  unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = sg_phys(sg);
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

static void *epc_sim_pool_dma_alloc(struct device *dev, size_t size,
				    dma_addr_t *dma, gfp_t gfp,
				    unsigned long attrs)
{
	phys_addr_t phys;
	void *virt;

	virt = epc_sim_pool_alloc(size, &phys);
	if (virt)
		*dma = phys;
	return virt;
}

static void epc_sim_pool_dma_free(struct device *dev, size_t size, void *virt,
				  dma_addr_t dma, unsigned long attrs)
{
	epc_sim_pool_free(dma, size, virt);
}

/* the controller's parent device: BAR memory comes from the pool */
const struct dma_map_ops epc_sim_pool_dma_ops = {
	.alloc		= epc_sim_pool_dma_alloc,
	.free		= epc_sim_pool_dma_free,
	.map_page	= epc_sim_map_page,
	.map_sg		= epc_sim_map_sg,
};

static dma_addr_t epc_sim_host_map_page(struct device *dev, struct page *page,
					unsigned long offset, size_t size,
					enum dma_data_direction dir,
					unsigned long attrs)
{
	dma_addr_t dma = page_to_phys(page) + offset;

	if (epc_sim_stream_map(dev, dma, page_address(page) + offset, size, dir))
		return DMA_MAPPING_ERROR;
	return dma;
}

static void epc_sim_host_unmap_page(struct device *dev, dma_addr_t dma,
				    size_t size, enum dma_data_direction dir,
				    unsigned long attrs)
{
	epc_sim_stream_unmap(dev, dma);
}

static void *epc_sim_host_dma_alloc(struct device *dev, size_t size,
				    dma_addr_t *dma, gfp_t gfp,
				    unsigned long attrs)
{
	return epc_sim_host_lend_outbound(dev, size, dma);
}

static void epc_sim_host_dma_free(struct device *dev, size_t size, void *virt,
				  dma_addr_t dma, unsigned long attrs)
{
	epc_sim_host_return_outbound(dev, dma);
}

/*
 * the host device: its coherent buffers are the function's outbound
 * chunks; its streaming mappings are recorded for the function to reach
 */
const struct dma_map_ops epc_sim_host_dma_ops = {
	.alloc		= epc_sim_host_dma_alloc,
	.free		= epc_sim_host_dma_free,
	.map_page	= epc_sim_host_map_page,
	.unmap_page	= epc_sim_host_unmap_page,
	.map_sg		= epc_sim_map_sg,
};

static void *epc_sim_vntb_dma_alloc(struct device *dev, size_t size,
				    dma_addr_t *dma, gfp_t gfp,
				    unsigned long attrs)
{
	return epc_sim_host_lend_bar(dev, size, dma);
}

static void epc_sim_vntb_dma_free(struct device *dev, size_t size, void *virt,
				  dma_addr_t dma, unsigned long attrs)
{
	epc_sim_host_return_bar(dev, dma);
}

/* the endpoint's virtual NTB device: its buffers are window BARs */
static const struct dma_map_ops epc_sim_vntb_dma_ops = {
	.alloc		= epc_sim_vntb_dma_alloc,
	.free		= epc_sim_vntb_dma_free,
	.map_page	= epc_sim_map_page,
	.map_sg		= epc_sim_map_sg,
};

#define EPC_SIM_VNTB_DRIVER	"pci-vntb"

/*
 * The virtual NTB device of pci-epf-vntb (ours or the in-tree one) is
 * bound to a PCI driver named "pci-vntb"; give it the window allocator
 * just before its probe, and take it back when it is unbound.
 */
static int epc_sim_pci_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct device *dev = data;

	switch (action) {
	case BUS_NOTIFY_BIND_DRIVER:
		if (dev->driver && !strcmp(dev->driver->name, EPC_SIM_VNTB_DRIVER))
			set_dma_ops(dev, &epc_sim_vntb_dma_ops);
		break;
	case BUS_NOTIFY_UNBOUND_DRIVER:
		if (get_dma_ops(dev) == &epc_sim_vntb_dma_ops)
			set_dma_ops(dev, NULL);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block epc_sim_pci_nb = {
	.notifier_call = epc_sim_pci_notify,
};

/**
 * epc_sim_host_notifier_register() - watch for endpoint NTB devices
 *
 * Return: 0 or a negative errno.
 */
int epc_sim_host_notifier_register(void)
{
	return bus_register_notifier(&pci_bus_type, &epc_sim_pci_nb);
}

static int epc_sim_pci_forget(struct device *dev, void *unused)
{
	if (get_dma_ops(dev) == &epc_sim_vntb_dma_ops)
		set_dma_ops(dev, NULL);
	return 0;
}

/**
 * epc_sim_host_notifier_unregister() - stop watching
 *
 * A virtual NTB device still bound (its function linked to a controller
 * that is not ours) gets its default DMA operations back, so that none
 * points into this module once it is gone.
 */
void epc_sim_host_notifier_unregister(void)
{
	bus_unregister_notifier(&pci_bus_type, &epc_sim_pci_nb);
	bus_for_each_dev(&pci_bus_type, NULL, NULL, epc_sim_pci_forget);
}
