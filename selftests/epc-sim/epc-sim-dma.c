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
 *   the controller's parent device    pool pages (pci_epf_alloc_space()),
 *                                     or the memory of a parked window
 *                                     BAR (an NTB client's buffer, where
 *                                     ntb_get_dma_dev() names it)
 *   the host device (ntb_hw_epf)      the function's outbound chunks
 *   the endpoint's virtual NTB device the memory of a parked window BAR
 *                                     (epc-sim-vntb.c)
 * Streaming mappings are identity mappings: nothing here does real DMA.
 * The host device's are also recorded (epc-sim-stream.c), so that the
 * function can reach them through its outbound window.
 */
#include <linux/bitmap.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/platform_device.h>
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

/**
 * epc_sim_map_phys() - identity streaming mapping
 * @dev: the device mapping
 * @phys: the buffer's physical address
 * @size: bytes
 * @dir: direction
 * @attrs: DMA attributes
 *
 * Return: @phys: nothing here does real DMA.
 */
dma_addr_t epc_sim_map_phys(struct device *dev, phys_addr_t phys, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	return phys;
}

#ifndef EPC_SIM_HAVE_DMA_MAP_PHYS
/**
 * epc_sim_map_page() - epc_sim_map_phys() for kernels whose ops map pages
 * @dev: the device mapping
 * @page: the page
 * @offset: offset in it
 * @size: bytes
 * @dir: direction
 * @attrs: DMA attributes
 *
 * Return: the physical address of @offset in @page.
 */
dma_addr_t epc_sim_map_page(struct device *dev, struct page *page,
			    unsigned long offset, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	return epc_sim_map_phys(dev, page_to_phys(page) + offset, size, dir,
				attrs);
}
#endif

/**
 * epc_sim_map_sg() - identity streaming mapping of a scatterlist
 * @dev: the device mapping
 * @sgl: the list
 * @nents: its entries
 * @dir: direction
 * @attrs: DMA attributes
 *
 * Return: @nents, each entry mapped at its physical address.
 */
int epc_sim_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		   enum dma_data_direction dir, unsigned long attrs)
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
	struct epc_sim *sim = platform_get_drvdata(to_platform_device(dev));
	phys_addr_t phys;
	void *virt;

	virt = epc_sim_host_lend_window(sim->host, size, dma);
	if (virt)
		return virt;
	virt = epc_sim_pool_alloc(size, &phys);
	if (virt)
		*dma = phys;
	return virt;
}

static void epc_sim_pool_dma_free(struct device *dev, size_t size, void *virt,
				  dma_addr_t dma, unsigned long attrs)
{
	struct epc_sim *sim = platform_get_drvdata(to_platform_device(dev));

	if (!epc_sim_host_return_window(sim->host, dma))
		epc_sim_pool_free(dma, size, virt);
}

/*
 * the controller's parent device: BAR memory comes from the pool, and an
 * NTB client's window buffer is a parked window BAR's memory
 * (epc_sim_host_lend_window())
 */
const struct dma_map_ops epc_sim_pool_dma_ops = {
	.alloc		= epc_sim_pool_dma_alloc,
	.free		= epc_sim_pool_dma_free,
#ifdef EPC_SIM_HAVE_DMA_MAP_PHYS
	.map_phys	= epc_sim_map_phys,
#else
	.map_page	= epc_sim_map_page,
#endif
	.map_sg		= epc_sim_map_sg,
};

/* the host device's coherent buffers: outbound chunks of the function */

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

/*
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
static void *epc_sim_host_lend_outbound(struct device *dev, size_t size,
					dma_addr_t *dma)
{
	struct epc_sim_host *host = epc_sim_host_of(to_pci_dev(dev));
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

/*
 * epc_sim_host_return_outbound() - DMA free of the host device
 * @dev: the host device
 * @dma: the buffer's host address
 */
static void epc_sim_host_return_outbound(struct device *dev, dma_addr_t dma)
{
	struct epc_sim_host *host = epc_sim_host_of(to_pci_dev(dev));
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

static dma_addr_t epc_sim_host_map_phys(struct device *dev, phys_addr_t phys,
					size_t size,
					enum dma_data_direction dir,
					unsigned long attrs)
{
	if (epc_sim_stream_map(dev, phys, phys_to_virt(phys), size, dir))
		return DMA_MAPPING_ERROR;
	return phys;
}

#ifndef EPC_SIM_HAVE_DMA_MAP_PHYS
static dma_addr_t epc_sim_host_map_page(struct device *dev, struct page *page,
					unsigned long offset, size_t size,
					enum dma_data_direction dir,
					unsigned long attrs)
{
	return epc_sim_host_map_phys(dev, page_to_phys(page) + offset, size,
				     dir, attrs);
}
#endif

static void epc_sim_host_dma_unmap(struct device *dev, dma_addr_t dma,
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
#ifdef EPC_SIM_HAVE_DMA_MAP_PHYS
	.map_phys	= epc_sim_host_map_phys,
	.unmap_phys	= epc_sim_host_dma_unmap,
#else
	.map_page	= epc_sim_host_map_page,
	.unmap_page	= epc_sim_host_dma_unmap,
#endif
	.map_sg		= epc_sim_map_sg,
};
