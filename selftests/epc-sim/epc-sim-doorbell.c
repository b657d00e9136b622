// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: a doorbell the host rings with one register write that
 * raises an interrupt on the endpoint, with no software in between, as
 * on hardware: a controller's embedded doorbell register, or the MSI
 * translator (an ITS) a platform MSI doorbell writes into.
 *
 * The register is QEMU's "edu" device (-device edu, run-qemu.sh): a
 * write at 0x60 ORs the value into its interrupt status and raises its
 * interrupt, an MSI here (the guest's INTx routing, without ACPI, is not
 * to be relied on); the status is acknowledged at 0x64. With
 * doorbell=1, controller N in host mode takes the Nth edu device and
 * offers its register as the one PCI_EPC_AUX_DOORBELL_MMIO resource of
 * get_aux_resources(), the embedded doorbell of pci_epf_alloc_doorbell():
 * one interrupt for every doorbell. A doorbell BAR the function
 * translates into the edu device's registers is what the host sees.
 *
 * The controller's own handler, requested first on the shared interrupt,
 * acknowledges the status and counts the rings (doorbell_rings in the
 * host file); the function's handler runs after it.
 */
#include <linux/interrupt.h>
#include <linux/pci.h>

#include "epc-sim-host.h"

#define EPC_SIM_EDU_VENDOR	0x1234
#define EPC_SIM_EDU_DEVICE	0x11e8
#define EPC_SIM_EDU_STATUS	0x24
#define EPC_SIM_EDU_RAISE	0x60
#define EPC_SIM_EDU_ACK		0x64
#define EPC_SIM_EDU_BAR		0

static bool doorbell;
module_param(doorbell, bool, 0444);
MODULE_PARM_DESC(doorbell, "host mode: offer QEMU's edu devices as doorbells, one per controller");

/* the edu devices bound, in probe order */
static struct epc_sim_doorbell *epc_sim_doorbells[EPC_SIM_HOST_MAX];
static unsigned int epc_sim_doorbell_count;
static DEFINE_MUTEX(epc_sim_doorbell_lock);

static irqreturn_t epc_sim_doorbell_ack(int irq, void *data)
{
	struct epc_sim_doorbell *db = data;
	u32 status = readl(db->regs + EPC_SIM_EDU_STATUS);

	if (!status)
		return IRQ_NONE;
	writel(status, db->regs + EPC_SIM_EDU_ACK);
	atomic_long_inc(&db->rings);
	return IRQ_HANDLED;
}

static int epc_sim_doorbell_probe(struct pci_dev *pdev,
				  const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct epc_sim_doorbell *db;
	int ret;

	db = devm_kzalloc(dev, sizeof(*db), GFP_KERNEL);
	if (!db)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	/*
	 * Mapped, not requested: the host driver requests the doorbell BAR,
	 * which lies inside these registers
	 */
	db->regs = pcim_iomap(pdev, EPC_SIM_EDU_BAR, 0);
	if (!db->regs)
		return -ENOMEM;
	/* an MSI is a write of the device's: it needs bus mastering */
	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	db->irq = pci_irq_vector(pdev, 0);
	db->base = pci_resource_start(pdev, EPC_SIM_EDU_BAR);
	db->size = pci_resource_len(pdev, EPC_SIM_EDU_BAR);
	ret = devm_request_irq(dev, db->irq, epc_sim_doorbell_ack, IRQF_SHARED,
			       "pci-epc-sim doorbell", db);
	if (ret)
		return ret;

	mutex_lock(&epc_sim_doorbell_lock);
	if (epc_sim_doorbell_count < ARRAY_SIZE(epc_sim_doorbells))
		epc_sim_doorbells[epc_sim_doorbell_count++] = db;
	mutex_unlock(&epc_sim_doorbell_lock);
	return 0;
}

static const struct pci_device_id epc_sim_doorbell_ids[] = {
	{ PCI_DEVICE(EPC_SIM_EDU_VENDOR, EPC_SIM_EDU_DEVICE) },
	{ }
};

static struct pci_driver epc_sim_doorbell_driver = {
	.name		= "pci-epc-sim-doorbell",
	.id_table	= epc_sim_doorbell_ids,
	.probe		= epc_sim_doorbell_probe,
	/* the controllers hold their doorbell until the module goes */
	.driver.suppress_bind_attrs = true,
};

/**
 * epc_sim_doorbell_init() - bind the edu devices, when doorbell=1
 *
 * Return: 0 or a negative errno.
 */
int epc_sim_doorbell_init(void)
{
	return doorbell ? pci_register_driver(&epc_sim_doorbell_driver) : 0;
}

/**
 * epc_sim_doorbell_exit() - unbind them, after every controller
 */
void epc_sim_doorbell_exit(void)
{
	if (doorbell)
		pci_unregister_driver(&epc_sim_doorbell_driver);
}

/**
 * epc_sim_doorbell_of() - the doorbell of a controller
 * @id: the controller's number
 *
 * Return: the @id-th edu device, or NULL when there is none or
 * doorbell=0.
 */
struct epc_sim_doorbell *epc_sim_doorbell_of(int id)
{
	struct epc_sim_doorbell *db = NULL;

	mutex_lock(&epc_sim_doorbell_lock);
	if (id < epc_sim_doorbell_count)
		db = epc_sim_doorbells[id];
	mutex_unlock(&epc_sim_doorbell_lock);
	return db;
}

/**
 * epc_sim_doorbell_contains() - does a BAR translate into the doorbell
 * @sim: the controller
 * @phys: the BAR's translation
 * @size: the BAR's size
 *
 * Return: true when the whole BAR lies in the edu device's registers.
 */
bool epc_sim_doorbell_contains(struct epc_sim *sim, phys_addr_t phys,
			       u64 size)
{
	struct epc_sim_doorbell *db = sim->host->doorbell;

	return db && phys >= db->base && size <= db->size &&
	       phys - db->base <= db->size - size;
}

/**
 * epc_sim_aux_resources_count() - get_aux_resources_count
 * @epc: the controller
 * @func_no: the function
 * @vfunc_no: the virtual function
 *
 * Return: 1 when the controller has a doorbell, else 0.
 */
int epc_sim_aux_resources_count(struct pci_epc *epc, u8 func_no, u8 vfunc_no)
{
	struct epc_sim *sim = epc_get_drvdata(epc);

	return epc_sim_hosted(sim) && sim->host->doorbell;
}

/**
 * epc_sim_aux_resources() - get_aux_resources: the doorbell register
 * @epc: the controller
 * @func_no: the function
 * @vfunc_no: the virtual function
 * @res: where to describe it
 * @num: entries in @res
 *
 * Return: 0, or -ENODEV when the controller has no doorbell.
 */
int epc_sim_aux_resources(struct pci_epc *epc, u8 func_no, u8 vfunc_no,
			  struct pci_epc_aux_resource *res, int num)
{
	struct epc_sim *sim = epc_get_drvdata(epc);
	struct epc_sim_doorbell *db;

	if (!epc_sim_hosted(sim) || !sim->host->doorbell)
		return -ENODEV;
	db = sim->host->doorbell;
	res[0] = (struct pci_epc_aux_resource) {
		.type = PCI_EPC_AUX_DOORBELL_MMIO,
		.phys_addr = db->base + EPC_SIM_EDU_RAISE,
		.size = sizeof(u32),
		.bar = NO_BAR,
		.u.db_mmio.irq = db->irq,
		.u.db_mmio.data = 1,
	};
	return 0;
}
