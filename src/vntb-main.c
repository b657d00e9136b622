// SPDX-License-Identifier: GPL-2.0
/*
 * vntb: the endpoint function driver and the lifecycle of a function.
 *
 *          mkdir                ln -s (link)             echo 1 > start
 *  (none) -------> created -----------------------> bound ---------------
 *            <-------      <-----------------------      <---------------
 *            rmdir          unlink (rm)                  echo 0 > start
 *
 * created: configfs attributes may be written.
 * bound:   the configuration is frozen into vntb->live; the controller's
 *          resources are allocated and, once the controller is
 *          initialised, programmed; the virtual bus and its NTB device
 *          exist. Starting and stopping the controller does not change
 *          the function's state. A link down from the controller (the
 *          host rebooted or lost the link) forgets what the host set up
 *          and resets the handshake; until the controller's link up
 *          nothing the host writes is answered. The host's next LINK_UP
 *          then brings the link back, with no configfs action.
 *
 * Link and unlink are exact twins: everything link acquires, unlink
 * releases once, in reverse order, so the cycle can repeat forever. This
 * file runs the sequence; each step is another file's:
 *
 *   link:    vntb_epc_setup() (the configuration checked, then the
 *            memory allocated), vntb_ctrl_init(),
 *            then, once the controller is ready, vntb_epc_program() and
 *            vntb_ctrl_start(), then vntb_vbus_create()
 *   unlink:  vntb_ctrl_stop(), vntb_vbus_remove(), vntb_epc_unprogram(),
 *            vntb_epc_teardown()
 *
 * Calls between files go one way: main calls the others, ctrl and ntb
 * call epc, and epc, which owns the controller, calls none of them but
 * the layout.
 *
 *   +----------------+        PCIe        +-----------------------------+
 *   | host           |  <--------------> | endpoint                     |
 *   | NTB clients    |                    |  NTB clients                 |
 *   | ntb_hw_epf     |   ctrl/db/mw BARs  |  virtual NTB dev (vntb-ntb)  |
 *   |                |                    |  virtual PCI bus (vntb-vbus) |
 *   |                |                    |  this function (vntb-main)   |
 *   +----------------+                    +-----------------------------+
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "vntb.h"

/* program the controller and start the poll, unless programmed already */
static int vntb_install(struct vntb *vntb)
{
	int ret;

	if (vntb->programmed)
		return 0;
	ret = vntb_epc_program(vntb);
	if (!ret) {
		vntb->link_lost = false;
		vntb_ctrl_start(vntb);
	}
	return ret;
}

/* stop the poll, and only then clear the BARs it reads */
static void vntb_uninstall(struct vntb *vntb)
{
	vntb_ctrl_stop(vntb);
	vntb_epc_unprogram(vntb);
}

static int vntb_bind(struct pci_epf *epf)
{
	struct vntb *vntb = epf_get_drvdata(epf);
	int ret;

	/* one host interface: a secondary link would bind a second time */
	if (epf->sec_epc) {
		dev_err(&epf->dev, "secondary link to %s refused: a vNTB function has one host interface\n",
			dev_name(&epf->sec_epc->dev));
		return -EOPNOTSUPP;
	}
	if (!epf->epc)
		return 0;

	mutex_lock(&vntb->cfg_lock);
	vntb->live = vntb->cfg;
	ret = vntb_epc_setup(vntb);
	if (ret)
		goto out;
	vntb_ctrl_init(vntb);
	if (vntb_epc_ready(vntb)) {
		ret = vntb_install(vntb);
		if (ret)
			goto err_teardown;
	}
	ret = vntb_vbus_create(vntb);
	if (ret)
		goto err_unprogram;

	vntb->bound = true;
	mutex_unlock(&vntb->cfg_lock);
	return 0;

err_unprogram:
	vntb_uninstall(vntb);
err_teardown:
	vntb_epc_teardown(vntb);
out:
	mutex_unlock(&vntb->cfg_lock);
	return ret;
}

static void vntb_unbind(struct pci_epf *epf)
{
	struct vntb *vntb = epf_get_drvdata(epf);

	/*
	 * The endpoint core unbinds after a bind fails, also the refused
	 * secondary one, while the secondary controller is still set: the
	 * primary link stays as it was.
	 */
	if (epf->sec_epc)
		return;

	mutex_lock(&vntb->cfg_lock);
	if (vntb->bound) {
		/* no command or doorbell reaches the clients being removed */
		vntb_ctrl_stop(vntb);
		vntb_vbus_remove(vntb);
		vntb_epc_unprogram(vntb);
		vntb_epc_teardown(vntb);
		vntb->bound = false;
	}
	mutex_unlock(&vntb->cfg_lock);
}

static int vntb_event_epc_init(struct pci_epf *epf)
{
	struct vntb *vntb = epf_get_drvdata(epf);
	int ret = 0;

	mutex_lock(&vntb->cfg_lock);
	if (vntb->bound)
		ret = vntb_install(vntb);
	mutex_unlock(&vntb->cfg_lock);
	return ret;
}

static void vntb_event_epc_deinit(struct pci_epf *epf)
{
	struct vntb *vntb = epf_get_drvdata(epf);

	mutex_lock(&vntb->cfg_lock);
	if (vntb->bound)
		vntb_uninstall(vntb);
	mutex_unlock(&vntb->cfg_lock);
}

/*
 * The host went away (a reboot, a lost link; a PERST# that also resets
 * the controller comes as epc_deinit instead): the poll stops, what the
 * host set up is forgotten, and the handshake is reset, which tells the
 * endpoint's clients the link is down. Until the link is back nothing
 * the host writes is answered: on hardware none of it could arrive, and
 * a host driver's teardown commands written meanwhile must not be taken
 * for the next host's. Every controller that signals link down (Qualcomm,
 * Rockchip, Layerscape) also signals link up.
 */
static int vntb_event_link_down(struct pci_epf *epf)
{
	struct vntb *vntb = epf_get_drvdata(epf);

	mutex_lock(&vntb->cfg_lock);
	if (vntb->bound && vntb->programmed && !vntb->link_lost) {
		vntb_ctrl_stop(vntb);
		vntb_epc_forget_host(vntb);
		vntb_ctrl_reset(vntb);
		vntb->link_lost = true;
	}
	mutex_unlock(&vntb->cfg_lock);
	return 0;
}

/* the link is back: the poll restarts from a clean handshake */
static int vntb_event_link_up(struct pci_epf *epf)
{
	struct vntb *vntb = epf_get_drvdata(epf);

	mutex_lock(&vntb->cfg_lock);
	if (vntb->bound && vntb->programmed && vntb->link_lost) {
		vntb->link_lost = false;
		vntb_ctrl_start(vntb);
	}
	mutex_unlock(&vntb->cfg_lock);
	return 0;
}

static const struct pci_epc_event_ops vntb_event_ops = {
	.epc_init	= vntb_event_epc_init,
	.epc_deinit	= vntb_event_epc_deinit,
	.link_up	= vntb_event_link_up,
	.link_down	= vntb_event_link_down,
};

/* not const: 6.1's struct pci_epf_driver takes a pointer to a mutable one */
static struct pci_epf_ops vntb_epf_ops = {
	.bind		= vntb_bind,
	.unbind		= vntb_unbind,
	.add_cfs	= vntb_cfs_add,
};

/**
 * vntb_probe() - a function directory was made in configfs
 * @epf: the new function
 *
 * Called through vntb_epf_probe(), the compat header's adapter to the
 * kernel's probe signature.
 *
 * Return: 0 or -ENOMEM.
 */
int vntb_probe(struct pci_epf *epf)
{
	struct vntb *vntb;

	vntb = devm_kzalloc(&epf->dev, sizeof(*vntb), GFP_KERNEL);
	if (!vntb)
		return -ENOMEM;

	vntb->epf = epf;
	mutex_init(&vntb->cfg_lock);
	vntb_epc_init(vntb);
	spin_lock_init(&vntb->ndev_lock);
	vntb_ctrl_setup(vntb);
	vntb_cfs_init_defaults(&vntb->cfg);

	vntb->header.vendorid = PCI_ANY_ID;
	vntb->header.deviceid = PCI_ANY_ID;
	vntb->header.baseclass_code = PCI_BASE_CLASS_MEMORY;
	vntb->header.interrupt_pin = PCI_INTERRUPT_INTA;
	epf->header = &vntb->header;
	vntb_set_event_ops(epf, &vntb_event_ops);
	epf_set_drvdata(epf, vntb);
	vntb_debugfs_add(vntb);
	/*
	 * The function's configfs attributes live in vntb, which goes with
	 * the driver: hold the module until the function is destroyed.
	 */
	__module_get(THIS_MODULE);
	return 0;
}

static void vntb_remove(struct pci_epf *epf)
{
	struct vntb *vntb = epf_get_drvdata(epf);

	vntb_debugfs_remove(vntb);
	module_put(THIS_MODULE);
}

static const struct pci_epf_device_id vntb_ids[] = {
	{ .name = VNTB_DRV_NAME },
	{},
};

static struct pci_epf_driver vntb_driver = {
	.driver.name	= VNTB_DRV_NAME,
	.driver.suppress_bind_attrs = true,
	.probe		= vntb_epf_probe,
	.remove		= vntb_remove,
	.id_table	= vntb_ids,
	.ops		= &vntb_epf_ops,
	.owner		= THIS_MODULE,
};

static int __init vntb_init(void)
{
	int ret;

	ret = vntb_ctrl_init_module();
	if (ret)
		return ret;
	vntb_debugfs_init();

	ret = vntb_vbus_register_driver();
	if (ret)
		goto err_debugfs;
	ret = pci_epf_register_driver(&vntb_driver);
	if (ret)
		goto err_vbus_driver;
	return 0;

err_vbus_driver:
	vntb_vbus_unregister_driver();
err_debugfs:
	vntb_debugfs_exit();
	vntb_ctrl_exit_module();
	return ret;
}
module_init(vntb_init);

static void __exit vntb_exit(void)
{
	pci_epf_unregister_driver(&vntb_driver);
	vntb_vbus_unregister_driver();
	vntb_debugfs_exit();
	vntb_ctrl_exit_module();
}
module_exit(vntb_exit);

MODULE_DESCRIPTION("PCI endpoint virtual NTB function with a reconfigurable lifecycle");
MODULE_LICENSE("GPL");
/*
 * dkms.conf's PACKAGE_VERSION: DKMS installs a module only when its
 * version differs from the kernel's own, which has none
 */
MODULE_VERSION("0.1");
