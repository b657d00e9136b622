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
 * the bus, in the host's own context, as do the host's events
 * (epc-sim-events.c).
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
 *
 * This file owns the root bus and its lifetime; the configuration space
 * is epc-sim-cfg.c, the BARs and outbound maps epc-sim-bar.c, the memory
 * and DMA operations epc-sim-dma.c and epc-sim-stream.c, the MSI domain
 * epc-sim-msi.c, the virtual NTB device's buffers epc-sim-vntb.c.
 */
#include <linux/debugfs.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>

#include "epc-sim-host.h"

/* protects epc_sim_hosts: the host side of each controller, by id */
DEFINE_MUTEX(epc_sim_hosts_lock);
struct epc_sim_host *epc_sim_hosts[EPC_SIM_HOST_MAX];

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

	pci_lock_rescan_remove();
	if (host->bus) {
		pci_unlock_rescan_remove();
		return 0;
	}
	epc_sim_host_reset_cfg(host);
	pci_add_resource(&resources, &host->busn);
	pci_add_resource(&resources, &host->window);
	if (host->doorbell)
		pci_add_resource(&resources, &host->db_window);

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
 * @sim: the controller; its lock is not held
 *
 * A host driver still bound sees its device removed under it, as on a
 * surprise link down. Runs in the host's own context
 * (epc_sim_host_unplug()), or as the controller goes.
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
		host->unplugs++;
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

	seq_printf(s, "domain %04x\npresent %d\nlink %d\nunplugs %u\nmsi_enabled %u\n",
		   host->sysdata.domain, !!host->bus, !READ_ONCE(host->link_down),
		   host->unplugs, enable ? 1U << mme : 0);
	for (i = 1; i <= EPC_SIM_MAX_IRQS; i++)
		if (host->delivered[i])
			seq_printf(s, "delivered msi%d %lu\n", i,
				   host->delivered[i]);
	if (host->delivered_msix)
		seq_printf(s, "delivered msix %lu\n", host->delivered_msix);
	if (host->doorbell)
		seq_printf(s, "doorbell_rings %ld\n",
			   atomic_long_read(&host->doorbell->rings));
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

	cancel_work_sync(&host->unplug_work);
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
	host->doorbell = epc_sim_doorbell_of(id);
	if (host->doorbell) {
		host->db_window.name = dev_name(dev);
		host->db_window.start = host->doorbell->base;
		host->db_window.end = host->doorbell->base +
				      host->doorbell->size - 1;
		host->db_window.flags = IORESOURCE_MEM;
	}

	ret = epc_sim_msi_create(host, id);
	if (ret) {
		kfree(host);
		return ret;
	}
	/* the pool's DMA operations look the host up */
	sim->host = host;
	set_dma_ops(dev, &epc_sim_pool_dma_ops);
	debugfs_create_file("host", 0444, sim->dir, sim, &epc_sim_host_fops);
	epc_sim_events_create(sim);

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
	ret = epc_sim_vntb_init();
	if (ret)
		goto err_pool;
	ret = epc_sim_doorbell_init();
	if (ret)
		goto err_vntb;
	return 0;

err_vntb:
	epc_sim_vntb_exit();
err_pool:
	epc_sim_pool_exit();
	return ret;
}

/**
 * epc_sim_host_exit() - tear down host mode, after every controller
 */
void epc_sim_host_exit(void)
{
	epc_sim_doorbell_exit();
	epc_sim_vntb_exit();
	epc_sim_pool_exit();
}
