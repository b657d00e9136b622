// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: the one part of the controller that knows pci-epf-vntb.
 *
 * On hardware the endpoint's NTB client allocates a buffer in endpoint
 * RAM and the function points a window BAR's inbound translation at it, so
 * what the host writes through the BAR lands in the buffer. Here a
 * window BAR is pool memory fixed when the BAR is set (epc-sim-bar.c),
 * so the buffers of the function's virtual NTB device are that memory:
 * the device gets DMA operations lending the memory of a parked window
 * BAR of the controller carrying the function. The device is found by
 * the name of the PCI driver both pci-epf-vntb drivers, ours and the
 * in-tree one, bind it to.
 */
#include <linux/pci.h>
#include <linux/platform_device.h>

#include "epc-sim-host.h"

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

/*
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
static void *epc_sim_host_lend_bar(struct device *dev, size_t size,
				   dma_addr_t *dma)
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
		virt = epc_sim_host_lend_window(host, size, dma);
		if (!virt)
			last = host;
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

		if (!bar->backing || bar->backing != dma)
			continue;
		/* the BAR keeps its memory: the host still reaches it */
		if (!bar->lent) {
			dev_err(&host->sim->pdev->dev,
				"window buffer %pad of BAR %d freed twice\n",
				&dma, i);
			return true;
		}
		bar->lent = false;
		bar->returned = ++host->returns;
		return true;
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
 * epc_sim_host_lend_window() - a window buffer from one controller
 * @host: the host side of the controller
 * @size: bytes
 * @dma: the buffer's address
 *
 * A window buffer is a parked window BAR's memory, when one is large
 * enough: the virtual NTB device's, and, where the NTB API has
 * get_dma_dev, ntb_transport's, allocated against the controller's
 * device the function names.
 *
 * Return: a mapping of the buffer, or NULL when no window BAR is parked.
 */
void *epc_sim_host_lend_window(struct epc_sim_host *host, size_t size,
			       dma_addr_t *dma)
{
	void *virt;

	mutex_lock(&host->sim->lock);
	virt = epc_sim_host_lend_bar_of(host, size, dma);
	mutex_unlock(&host->sim->lock);
	return virt;
}

/**
 * epc_sim_host_return_window() - give back what
 * epc_sim_host_lend_window() lent
 * @host: the host side of the controller
 * @dma: the buffer's address
 *
 * A window BAR's memory given back twice, as two of a client's cleanups
 * racing free it, is reported and kept: the BAR still maps it.
 *
 * Return: whether @dma was a window BAR's memory, lent or given back.
 */
bool epc_sim_host_return_window(struct epc_sim_host *host, dma_addr_t dma)
{
	bool found;

	mutex_lock(&host->sim->lock);
	found = epc_sim_host_return_bar_of(host, dma);
	mutex_unlock(&host->sim->lock);
	return found;
}

/*
 * epc_sim_host_return_bar() - DMA free of the endpoint's NTB device
 * @dev: the virtual NTB device of the function
 * @dma: the buffer's address
 */
static void epc_sim_host_return_bar(struct device *dev, dma_addr_t dma)
{
	bool found = false;
	int i;

	mutex_lock(&epc_sim_hosts_lock);
	for (i = 0; i < ARRAY_SIZE(epc_sim_hosts) && !found; i++) {
		struct epc_sim_host *host = epc_sim_hosts[i];

		if (!host)
			continue;
		found = epc_sim_host_return_window(host, dma);
	}
	mutex_unlock(&epc_sim_hosts_lock);
	if (!found)
		dev_err(dev, "pci-epc-sim: frees buffer %pad, which was not lent\n",
			&dma);
}

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
#ifdef EPC_SIM_HAVE_DMA_MAP_PHYS
	.map_phys	= epc_sim_map_phys,
#else
	.map_page	= epc_sim_map_page,
#endif
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
 * epc_sim_vntb_init() - watch for endpoint NTB devices
 *
 * Return: 0 or a negative errno.
 */
int epc_sim_vntb_init(void)
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
 * epc_sim_vntb_exit() - stop watching
 *
 * A virtual NTB device still bound (its function linked to a controller
 * that is not ours) gets its default DMA operations back, so that none
 * points into this module once it is gone.
 */
void epc_sim_vntb_exit(void)
{
	bus_unregister_notifier(&pci_bus_type, &epc_sim_pci_nb);
	bus_for_each_dev(&pci_bus_type, NULL, NULL, epc_sim_pci_forget);
}
