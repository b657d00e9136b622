// SPDX-License-Identifier: GPL-2.0
/*
 * vntb: the endpoint's virtual PCI bus and the driver of its one device.
 *
 * Each bound function gets a root bus numbered vbus_number with a single
 * device, 00.0, whose configuration space is a read-only template with
 * the vntb_vid/vntb_pid IDs. The device is bound to "pci-vntb" through
 * driver_override, so several functions can coexist with any IDs, and
 * that driver registers one NTB device per PCI device. The NTB device is
 * device-managed: it goes away with the PCI device, from .remove().
 *
 * The bus is created and removed under pci_lock_rescan_remove(), so a
 * concurrent rescan never sees it half built or half removed.
 */
#include <linux/pci.h>
#include <linux/slab.h>

#include "vntb.h"

#define VNTB_VPCI_DRV_NAME	"pci-vntb"
#define VNTB_CFG_DWORDS		16

/**
 * struct vntb_vbus_data - sysdata of a virtual bus
 * @sysdata: what x86 reads through bus->sysdata; must stay first
 * @vntb: the function owning the bus
 * @busn: the bus number resource
 * @cfg: configuration space template of device 00.0
 */
struct vntb_vbus_data {
	struct vntb_arch_sysdata sysdata;
	struct vntb *vntb;
	struct resource busn;
	u32 cfg[VNTB_CFG_DWORDS];
};

static struct pci_ops vntb_vbus_ops;

static struct vntb_vbus_data *to_vbus_data(struct pci_bus *bus)
{
	return bus->sysdata;
}

static int vntb_vbus_read(struct pci_bus *bus, unsigned int devfn, int where,
			  int size, u32 *val)
{
	struct vntb_vbus_data *data = to_vbus_data(bus);
	u32 dword;

	if (devfn)
		return PCIBIOS_DEVICE_NOT_FOUND;
	if (where < 0 || where + size > VNTB_CFG_DWORDS * 4) {
		*val = 0;
		return PCIBIOS_SUCCESSFUL;
	}
	dword = data->cfg[where / 4] >> (8 * (where & 3));
	*val = size == 4 ? dword : dword & (BIT(8 * size) - 1);
	return PCIBIOS_SUCCESSFUL;
}

static int vntb_vbus_write(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 val)
{
	return devfn ? PCIBIOS_DEVICE_NOT_FOUND : PCIBIOS_SUCCESSFUL;
}

static struct pci_ops vntb_vbus_ops = {
	.read	= vntb_vbus_read,
	.write	= vntb_vbus_write,
};

static void vntb_vbus_fill_cfg(struct vntb_vbus_data *data,
			       const struct vntb_config *cfg)
{
	memset(data->cfg, 0, sizeof(data->cfg));
	data->cfg[PCI_VENDOR_ID / 4] = (u32)cfg->pid << 16 | cfg->vid;
	data->cfg[PCI_CLASS_REVISION / 4] = 0xffffffff;
	data->cfg[PCI_CACHE_LINE_SIZE / 4] = 0x40;
}

static void vntb_vbus_release(struct pci_host_bridge *bridge)
{
	kfree(bridge->release_data);
}

/*
 * Remove the root bus and drop the host bridge's last reference, the one
 * pci_scan_root_bus() took when it allocated the bridge: its release
 * frees our sysdata and the resource list. Called under the rescan lock.
 */
static void vntb_vbus_destroy(struct pci_bus *bus)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(bus);

	pci_stop_root_bus(bus);
	pci_remove_root_bus(bus);
	pci_free_host_bridge(bridge);
}

static bool vntb_vbus_has_ntb(struct vntb *vntb)
{
	bool ret;

	spin_lock_irq(&vntb->ndev_lock);
	ret = vntb->ndev;
	spin_unlock_irq(&vntb->ndev_lock);
	return ret;
}

/**
 * vntb_vbus_create() - create the virtual bus and its NTB device
 * @vntb: the bound function
 *
 * The bus is created whole or not at all: if the NTB device does not come
 * up on it, it is removed again.
 *
 * Return: 0, -EBUSY when the bus number is in use in domain 0 (on
 * architectures without generic PCI domains), or another errno.
 */
int vntb_vbus_create(struct vntb *vntb)
{
	u32 nr = vntb->live.vbus_number;
	struct vntb_vbus_data *data;
	struct pci_bus *bus;
	LIST_HEAD(resources);
	int ret = 0;

	data = kzalloc(sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	data->vntb = vntb;
	data->busn.name = "vntb bus";
	data->busn.start = nr;
	data->busn.end = nr;
	data->busn.flags = IORESOURCE_BUS;
	vntb_vbus_fill_cfg(data, &vntb->live);
	pci_add_resource(&resources, &data->busn);

	pci_lock_rescan_remove();
	/*
	 * Without generic PCI domains (x86) every virtual bus is in domain 0,
	 * where the number must be free; with them (arm64) each gets a
	 * domain of its own from the PCI core.
	 */
	if (!IS_ENABLED(CONFIG_PCI_DOMAINS_GENERIC) && pci_find_bus(0, nr)) {
		dev_err(&vntb->epf->dev, "vbus_number %u: bus already exists\n",
			nr);
		ret = -EBUSY;
		goto err_unlock;
	}
	bus = pci_scan_root_bus(&vntb->epf->dev, nr, &vntb_vbus_ops, data,
				&resources);
	if (!bus) {
		dev_err(&vntb->epf->dev, "vbus_number %u: cannot create bus\n",
			nr);
		ret = -ENOMEM;
		goto err_unlock;
	}
	pci_set_host_bridge_release(pci_find_host_bridge(bus),
				    vntb_vbus_release, data);
	pci_bus_add_devices(bus);
	if (!vntb_vbus_has_ntb(vntb)) {
		dev_err(&vntb->epf->dev, "vbus_number %u: no NTB device: its probe failed\n",
			nr);
		ret = -ENODEV;
		goto err_remove;
	}
	vntb->vbus = bus;
	pci_unlock_rescan_remove();
	return 0;

err_remove:
	vntb_vbus_destroy(bus);
	pci_unlock_rescan_remove();
	return ret;

err_unlock:
	pci_unlock_rescan_remove();
	pci_free_resource_list(&resources);
	kfree(data);
	return ret;
}

/**
 * vntb_vbus_remove() - remove the virtual bus and everything on it
 * @vntb: the bound function
 */
void vntb_vbus_remove(struct vntb *vntb)
{
	pci_lock_rescan_remove();
	vntb_vbus_destroy(vntb->vbus);
	pci_unlock_rescan_remove();
	vntb->vbus = NULL;
}

static int vntb_vpci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vntb_ntb *ndev;
	struct vntb *vntb;
	int ret;

	if (pdev->bus->ops != &vntb_vbus_ops)
		return -ENODEV;
	vntb = to_vbus_data(pdev->bus)->vntb;

	ndev = devm_kzalloc(&pdev->dev, sizeof(*ndev), GFP_KERNEL);
	if (!ndev)
		return -ENOMEM;
	ndev->vntb = vntb;
	ndev->ntb.pdev = pdev;
	ndev->ntb.topo = NTB_TOPO_NONE;
	ndev->ntb.ops = &vntb_ntb_ops;

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	ret = ntb_register_device(&ndev->ntb);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, ndev);

	spin_lock_irq(&vntb->ndev_lock);
	vntb->ndev = ndev;
	spin_unlock_irq(&vntb->ndev_lock);
	return 0;
}

static void vntb_vpci_remove(struct pci_dev *pdev)
{
	struct vntb_ntb *ndev = pci_get_drvdata(pdev);
	struct vntb *vntb = ndev->vntb;

	spin_lock_irq(&vntb->ndev_lock);
	vntb->ndev = NULL;
	spin_unlock_irq(&vntb->ndev_lock);
	ntb_unregister_device(&ndev->ntb);
}

static struct pci_driver vntb_vpci_driver = {
	.name		= VNTB_VPCI_DRV_NAME,
	.probe		= vntb_vpci_probe,
	.remove		= vntb_vpci_remove,
};

/* reserve each device added to one of our buses for our driver */
static int vntb_vbus_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	if (action != BUS_NOTIFY_ADD_DEVICE || pdev->bus->ops != &vntb_vbus_ops)
		return NOTIFY_DONE;
	if (vntb_set_driver_override(pdev, VNTB_VPCI_DRV_NAME))
		pci_err(pdev, "cannot reserve it for %s\n", VNTB_VPCI_DRV_NAME);
	return NOTIFY_OK;
}

static struct notifier_block vntb_vbus_nb = {
	.notifier_call	= vntb_vbus_notify,
};

/**
 * vntb_vbus_register_driver() - register the virtual device's PCI driver
 * and the notifier that reserves our devices for it
 *
 * Return: 0 or a negative errno.
 */
int vntb_vbus_register_driver(void)
{
	int ret;

	ret = bus_register_notifier(&pci_bus_type, &vntb_vbus_nb);
	if (ret)
		return ret;
	ret = pci_register_driver(&vntb_vpci_driver);
	if (ret)
		bus_unregister_notifier(&pci_bus_type, &vntb_vbus_nb);
	return ret;
}

/**
 * vntb_vbus_unregister_driver() - unregister the virtual device's driver
 * and the notifier
 */
void vntb_vbus_unregister_driver(void)
{
	pci_unregister_driver(&vntb_vpci_driver);
	bus_unregister_notifier(&pci_bus_type, &vntb_vbus_nb);
}
