// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: software PCI endpoint controllers and their pci_epc_ops.
 *
 * Each controller is a platform device "pci-epc-sim.N" whose EPC shows up
 * in /sys/kernel/config/pci_ep/controllers/. BAR memory is whatever the
 * function allocated; outbound windows are carved from a physical range
 * reserved on the kernel command line (memmap=SIZE$BASE) and split evenly
 * between the controllers:
 *
 *   ob_base                                          ob_base + ob_size
 *   +----------------+----------------+-----+----------------+
 *   | pci-epc-sim.0  | pci-epc-sim.1  | ... | pci-epc-sim.N-1|
 *   +----------------+----------------+-----+----------------+
 *
 * The controllers build and run on every architecture the rig boots; host
 * mode only on x86 (see EPC_SIM_HOST_MODE).
 */
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "epc-sim.h"
#include "epc-sim-compat.h"
#include "epc-sim-host.h"

#define EPC_SIM_DRV_NAME	"pci-epc-sim"
#define EPC_SIM_MAX_CONTROLLERS	8

static unsigned int count = 2;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "number of controllers (1-8)");

static unsigned long long ob_base;
module_param(ob_base, ullong, 0444);
MODULE_PARM_DESC(ob_base, "physical base of the reserved outbound range");

static unsigned long long ob_size;
module_param(ob_size, ullong, 0444);
MODULE_PARM_DESC(ob_size, "size of the reserved outbound range (0: none)");

static char *presets = "generic";
module_param(presets, charp, 0444);
MODULE_PARM_DESC(presets, "comma-separated feature preset per controller");

static bool host;
module_param(host, bool, 0444);
MODULE_PARM_DESC(host, "also play the root complex: host drivers bind to the functions");

static struct platform_device *epc_sim_pdevs[EPC_SIM_MAX_CONTROLLERS];
static struct dentry *epc_sim_debugfs;

static struct epc_sim *to_epc_sim(struct pci_epc *epc)
{
	return epc_get_drvdata(epc);
}

static int epc_sim_write_header(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
				struct pci_epf_header *hdr)
{
	struct epc_sim *sim = to_epc_sim(epc);
	int ret;

	mutex_lock(&sim->lock);
	ret = epc_sim_fault_take(sim, EPC_SIM_OP_WRITE_HEADER);
	if (!ret) {
		sim->header = *hdr;
		sim->header_written = true;
		if (epc_sim_hosted(sim))
			epc_sim_host_set_header(sim, hdr);
	}
	mutex_unlock(&sim->lock);
	return ret;
}

static void epc_sim_bar_unback(struct epc_sim_bar *bar)
{
	if (bar->remapped)
		memunmap(bar->virt);
	memset(bar, 0, sizeof(*bar));
}

static int epc_sim_set_bar(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			   struct pci_epf_bar *epf_bar)
{
	struct epc_sim *sim = to_epc_sim(epc);
	enum pci_barno barno = epf_bar->barno;
	struct epc_sim_bar *bar;
	u64 fixed;
	int ret;

	mutex_lock(&sim->lock);
	ret = epc_sim_fault_take(sim, EPC_SIM_OP_SET_BAR);
	if (ret)
		goto out;

	if (epc_sim_bar_reserved(&sim->features, barno)) {
		epc_sim_violation(sim, "set_bar on reserved BAR %d", barno);
		ret = -EINVAL;
		goto out;
	}
	fixed = epc_sim_bar_fixed_size(&sim->features, barno);
	if (fixed && epf_bar->size != fixed) {
		epc_sim_violation(sim, "BAR %d is fixed at %llu bytes, got %zu",
				  barno, fixed, epf_bar->size);
		ret = -EINVAL;
		goto out;
	}
	if (epc_sim_bar_only_64bit(&sim->features, barno) &&
	    !(epf_bar->flags & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
		epc_sim_violation(sim, "BAR %d is 64-bit only", barno);
		ret = -EINVAL;
		goto out;
	}
	if (!is_power_of_2(epf_bar->size)) {
		epc_sim_violation(sim, "BAR %d size %zu is not a power of two",
				  barno, epf_bar->size);
		ret = -EINVAL;
		goto out;
	}

	/*
	 * A translation covers the whole BAR, and address 0 is a real target
	 * on hardware (DWC's BAR-match iATU takes it as one): the host would
	 * then reach the endpoint's memory from 0.
	 */
	if (!epf_bar->addr && !epf_bar->phys_addr)
		epc_sim_violation(sim, "set_bar: BAR %d translated to address 0",
				  barno);

	if (epc_sim_hosted(sim)) {
		ret = epc_sim_host_set_bar(sim, epf_bar);
		goto out;
	}
	bar = &sim->bar[barno];
	epc_sim_bar_unback(bar);
	bar->size = epf_bar->size;
	bar->phys = epf_bar->phys_addr;
	bar->flags = epf_bar->flags;
	if (epf_bar->addr) {
		bar->virt = epf_bar->addr;
	} else if (epf_bar->phys_addr) {
		bar->virt = memremap(epf_bar->phys_addr, epf_bar->size,
				     MEMREMAP_WB);
		bar->remapped = !!bar->virt;
	}
out:
	mutex_unlock(&sim->lock);
	return ret;
}

static void epc_sim_clear_bar(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			      struct pci_epf_bar *epf_bar)
{
	struct epc_sim *sim = to_epc_sim(epc);
	struct epc_sim_bar *bar = &sim->bar[epf_bar->barno];

	/* a host removing its device after a stop still maps the BAR */
	if (epc_sim_hosted(sim))
		epc_sim_host_settle(sim);
	mutex_lock(&sim->lock);
	if (!bar->size)
		epc_sim_violation(sim, "clear_bar of BAR %d, which is not set",
				  epf_bar->barno);
	if (epc_sim_hosted(sim))
		epc_sim_host_clear_bar(sim, epf_bar->barno);
	else
		epc_sim_bar_unback(bar);
	mutex_unlock(&sim->lock);
}

static bool epc_sim_in_window(struct epc_sim *sim, phys_addr_t phys,
			      size_t size)
{
	return sim->ob_size && phys >= sim->ob_base && size <= sim->ob_size &&
	       phys - sim->ob_base <= sim->ob_size - size;
}

static int epc_sim_map_addr(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			    phys_addr_t addr, u64 pci_addr, size_t size)
{
	struct epc_sim *sim = to_epc_sim(epc);
	struct epc_sim_map *free = NULL;
	bool copied = false;
	int ret, i;

	mutex_lock(&sim->lock);
	ret = epc_sim_fault_take(sim, EPC_SIM_OP_MAP_ADDR);
	if (ret)
		goto out;

	if (!epc_sim_in_window(sim, addr, size)) {
		epc_sim_violation(sim, "map_addr %pa+%zu outside the window",
				  &addr, size);
		ret = -EINVAL;
		goto out;
	}
	if (epc_sim_hosted(sim)) {
		ret = epc_sim_host_map(sim, addr, pci_addr, size, &copied);
		if (ret)
			goto out;
	}
	for (i = 0; i < EPC_SIM_MAX_MAPS; i++) {
		struct epc_sim_map *map = &sim->map[i];

		if (!map->size) {
			free = free ?: map;
			continue;
		}
		if (map->phys == addr) {
			epc_sim_violation(sim, "map_addr %pa mapped twice", &addr);
			ret = -EBUSY;
			goto out;
		}
	}
	if (!free) {
		ret = -ENOSPC;
		goto out;
	}
	free->phys = addr;
	free->pci_addr = pci_addr;
	free->size = size;
	free->copied = copied;
out:
	mutex_unlock(&sim->lock);
	return ret;
}

static void epc_sim_unmap_addr(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			       phys_addr_t addr)
{
	struct epc_sim *sim = to_epc_sim(epc);
	int i;

	mutex_lock(&sim->lock);
	for (i = 0; i < EPC_SIM_MAX_MAPS; i++) {
		if (sim->map[i].size && sim->map[i].phys == addr) {
			if (epc_sim_hosted(sim))
				epc_sim_host_unmap(sim, &sim->map[i]);
			memset(&sim->map[i], 0, sizeof(sim->map[i]));
			goto out;
		}
	}
	epc_sim_violation(sim, "unmap_addr %pa, which is not mapped", &addr);
out:
	mutex_unlock(&sim->lock);
}

static int epc_sim_set_msi(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			   u8 arg)
{
	struct epc_sim *sim = to_epc_sim(epc);
	u8 encoded = EPC_SIM_MSI_MMC(arg);
	int ret;

	mutex_lock(&sim->lock);
	ret = epc_sim_fault_take(sim, EPC_SIM_OP_SET_MSI);
	if (!ret)
		sim->msi_encoded = encoded;
	if (!ret && epc_sim_hosted(sim))
		epc_sim_host_set_msi(sim, encoded);
	mutex_unlock(&sim->lock);
	return ret;
}

static int epc_sim_get_msi(struct pci_epc *epc, u8 func_no, u8 vfunc_no)
{
	struct epc_sim *sim = to_epc_sim(epc);

	return sim->features.msi_capable ? EPC_SIM_MSI_OP(sim->msi_encoded) :
					   -EINVAL;
}

static int epc_sim_set_msix(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			    u16 nr_irqs, enum pci_barno bir, u32 offset)
{
	struct epc_sim *sim = to_epc_sim(epc);

	mutex_lock(&sim->lock);
	sim->msix_count = EPC_SIM_MSIX_COUNT(nr_irqs);
	sim->msix_bir = bir;
	sim->msix_offset = offset;
	if (epc_sim_hosted(sim))
		epc_sim_host_set_msix(sim);
	mutex_unlock(&sim->lock);
	return 0;
}

static int epc_sim_get_msix(struct pci_epc *epc, u8 func_no, u8 vfunc_no)
{
	struct epc_sim *sim = to_epc_sim(epc);

	return sim->msix_count ? EPC_SIM_MSIX_OP(sim->msix_count) : -EINVAL;
}

static int epc_sim_raise_irq(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			     EPC_SIM_IRQ_TYPE type, u16 interrupt_num)
{
	struct epc_sim *sim = to_epc_sim(epc);
	unsigned int vectors;
	int ret;

	mutex_lock(&sim->lock);
	ret = epc_sim_fault_take(sim, EPC_SIM_OP_RAISE_IRQ);
	if (ret)
		goto out;

	if (type == EPC_SIM_IRQ_INTX) {
		sim->irq_count[0]++;
		goto out;
	}
	vectors = type == EPC_SIM_IRQ_MSI ? 1U << sim->msi_encoded :
					    sim->msix_count;
	if (!interrupt_num || interrupt_num > vectors ||
	    interrupt_num > EPC_SIM_MAX_IRQS) {
		epc_sim_violation(sim, "raise_irq vector %u of %u", interrupt_num,
				  vectors);
		ret = -EINVAL;
		goto out;
	}
	sim->irq_count[interrupt_num]++;
	if (epc_sim_hosted(sim) && type == EPC_SIM_IRQ_MSI)
		ret = epc_sim_msi_deliver(sim->host, interrupt_num);
	else if (epc_sim_hosted(sim) && type == EPC_SIM_IRQ_MSIX)
		ret = epc_sim_msix_deliver(sim->host, interrupt_num);
out:
	mutex_unlock(&sim->lock);
	return ret;
}

static int epc_sim_start(struct pci_epc *epc)
{
	struct epc_sim *sim = to_epc_sim(epc);
	int ret;

	mutex_lock(&sim->lock);
	ret = epc_sim_fault_take(sim, EPC_SIM_OP_START);
	if (!ret) {
		sim->started = true;
		sim->start_count++;
	}
	mutex_unlock(&sim->lock);
	if (!ret && epc_sim_hosted(sim))
		ret = epc_sim_host_start(sim);
	return ret;
}

/* the link goes down: the host removes its device in its own time */
static void epc_sim_stop(struct pci_epc *epc)
{
	struct epc_sim *sim = to_epc_sim(epc);

	if (epc_sim_hosted(sim))
		epc_sim_host_unplug(sim);
	mutex_lock(&sim->lock);
	sim->started = false;
	sim->stop_count++;
	mutex_unlock(&sim->lock);
}

static const struct pci_epc_features *
epc_sim_get_features(struct pci_epc *epc, u8 func_no, u8 vfunc_no)
{
	return &to_epc_sim(epc)->features;
}

static const struct pci_epc_ops epc_sim_ops = {
	.write_header	= epc_sim_write_header,
	.set_bar	= epc_sim_set_bar,
	.clear_bar	= epc_sim_clear_bar,
	.map_addr	= epc_sim_map_addr,
	.unmap_addr	= epc_sim_unmap_addr,
	.set_msi	= epc_sim_set_msi,
	.get_msi	= epc_sim_get_msi,
	.set_msix	= epc_sim_set_msix,
	.get_msix	= epc_sim_get_msix,
	.raise_irq	= epc_sim_raise_irq,
	.start		= epc_sim_start,
	.stop		= epc_sim_stop,
	.get_features	= epc_sim_get_features,
#ifdef EPC_SIM_HAVE_AUX_DOORBELL
	.get_aux_resources_count = epc_sim_aux_resources_count,
	.get_aux_resources = epc_sim_aux_resources,
#endif
	/*
	 * No .owner: the endpoint core's configfs takes a reference on the
	 * owner for each controller it lists, which would pin this module
	 * forever. The controllers die with the module; tests unlink their
	 * functions before unloading it.
	 */
};

static const char *epc_sim_preset_of(unsigned int id)
{
	static char name[32];
	const char *p = presets;
	unsigned int i;
	size_t len;

	for (i = 0; i < id && strchr(p, ','); i++)
		p = strchr(p, ',') + 1;
	len = strcspn(p, ",");
	strscpy(name, p, min(len + 1, sizeof(name)));
	return name;
}

/* undoes the probe, before the EPC itself goes */
static void epc_sim_release(void *data)
{
	struct epc_sim *sim = data;

	epc_sim_hostview_remove(sim);
	epc_sim_exhaust_release(sim);
	if (sim->ob_virt) {
		memunmap(sim->ob_virt);
		pci_epc_mem_exit(sim->epc);
	}
}

static int epc_sim_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	/* in host mode the upper half of the range is the shared pool */
	size_t slice = rounddown((host ? ob_size / 2 : ob_size) / count, SZ_1M);
	struct epc_sim *sim;
	int ret;

	sim = devm_kzalloc(dev, sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	sim->pdev = pdev;
	mutex_init(&sim->lock);

	ret = epc_sim_features_from_preset(sim, epc_sim_preset_of(pdev->id));
	if (ret) {
		dev_err(dev, "unknown feature preset '%s'\n",
			epc_sim_preset_of(pdev->id));
		return ret;
	}

	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	sim->epc = devm_pci_epc_create(dev, &epc_sim_ops);
	if (IS_ERR(sim->epc))
		return PTR_ERR(sim->epc);
	epc_sim_set_epc_release(sim->epc);
	epc_set_drvdata(sim->epc, sim);
	sim->epc->max_functions = 1;

	if (slice) {
		sim->ob_base = ob_base + pdev->id * slice;
		sim->ob_size = slice;
		ret = pci_epc_mem_init(sim->epc, sim->ob_base, sim->ob_size,
				       PAGE_SIZE);
		if (ret)
			return ret;
		sim->ob_virt = memremap(sim->ob_base, sim->ob_size, MEMREMAP_WB);
		if (!sim->ob_virt) {
			pci_epc_mem_exit(sim->epc);
			return -ENOMEM;
		}
	}

	platform_set_drvdata(pdev, sim);
	epc_sim_hostview_create(sim, epc_sim_debugfs);
	ret = devm_add_action_or_reset(dev, epc_sim_release, sim);
	if (ret)
		return ret;
	if (EPC_SIM_HOST_MODE && host) {
		ret = epc_sim_host_create(sim);
		if (ret)
			return ret;
	}
	pci_epc_init_notify(sim->epc);
	dev_info(dev, "preset %s, outbound %pa+%zu\n", sim->preset,
		 &sim->ob_base, sim->ob_size);
	return 0;
}

static struct platform_driver epc_sim_driver = {
	.probe		= epc_sim_probe,
	.driver		= {
		.name	= EPC_SIM_DRV_NAME,
	},
};

static void epc_sim_unregister_devices(void)
{
	int i;

	for (i = EPC_SIM_MAX_CONTROLLERS - 1; i >= 0; i--) {
		platform_device_unregister(epc_sim_pdevs[i]);
		epc_sim_pdevs[i] = NULL;
	}
}

static int __init epc_sim_init(void)
{
	struct platform_device *pdev;
	unsigned int i;
	int ret;

	if (!count || count > EPC_SIM_MAX_CONTROLLERS) {
		pr_err(EPC_SIM_DRV_NAME ": count %u out of range 1-%d\n", count,
		       EPC_SIM_MAX_CONTROLLERS);
		return -EINVAL;
	}

	if (host && !EPC_SIM_HOST_MODE) {
		pr_err(EPC_SIM_DRV_NAME ": host mode needs x86 and pci_msi_create_irq_domain() (up to 6.12)\n");
		return -EOPNOTSUPP;
	}
	if (EPC_SIM_HOST_MODE && host) {
		ret = epc_sim_host_init(ob_base + ob_size / 2, ob_size / 2);
		if (ret)
			return ret;
	}
	epc_sim_debugfs = debugfs_create_dir(EPC_SIM_DRV_NAME, NULL);
	ret = platform_driver_register(&epc_sim_driver);
	if (ret)
		goto err_debugfs;

	for (i = 0; i < count; i++) {
		pdev = platform_device_register_simple(EPC_SIM_DRV_NAME, i,
						       NULL, 0);
		if (IS_ERR(pdev)) {
			ret = PTR_ERR(pdev);
			goto err_devices;
		}
		epc_sim_pdevs[i] = pdev;
		if (!platform_get_drvdata(pdev)) {
			ret = -ENODEV;
			goto err_devices;
		}
	}
	return 0;

err_devices:
	epc_sim_unregister_devices();
	platform_driver_unregister(&epc_sim_driver);
err_debugfs:
	debugfs_remove_recursive(epc_sim_debugfs);
	if (EPC_SIM_HOST_MODE && host)
		epc_sim_host_exit();
	return ret;
}
module_init(epc_sim_init);

static void __exit epc_sim_exit(void)
{
	epc_sim_unregister_devices();
	platform_driver_unregister(&epc_sim_driver);
	debugfs_remove_recursive(epc_sim_debugfs);
	if (EPC_SIM_HOST_MODE && host)
		epc_sim_host_exit();
}
module_exit(epc_sim_exit);

MODULE_DESCRIPTION("Software PCI endpoint controller for function driver tests");
MODULE_LICENSE("GPL");
