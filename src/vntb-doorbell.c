// SPDX-License-Identifier: GPL-2.0
/*
 * vntb: host doorbells that arrive as interrupts, where the kernel has
 * pci_epf_alloc_doorbell() and the controller offers a doorbell: a
 * platform MSI domain (an ITS-like translator) or an "embedded" register
 * whose write raises an interrupt on the endpoint.
 *
 * The doorbell BAR is then translated to the doorbell's register instead
 * of the doorbell slots: the host's write for doorbell k (db_data[k + 2]
 * at db_offset[k + 2], db_entry_size 0) is the interrupt itself, and the
 * poll looks for commands only. Where each doorbell has an interrupt of
 * its own, an interrupt rings its one bit. Where one interrupt stands for
 * all (the embedded kind: one register, one value), it cannot say which
 * doorbell the host rang, and rings every valid bit: a client sees its
 * own bit with others, as after a missed read on hardware.
 *
 * Anything else (the kernel or the controller has no doorbell, the
 * doorbell sits in a BAR of the controller's own, or the register cannot
 * be reached through the doorbell BAR's translation) leaves the doorbell
 * slots in the BAR and the poll, with one log line saying why.
 *
 *   setup      allocate the doorbells, request their interrupts  (link)
 *   teardown   release both                                       (unlink)
 *   enable     deliver from now on        (vntb_ctrl_start())
 *   disable    no more, and wait for a running handler (vntb_ctrl_stop())
 */
#include <linux/interrupt.h>
#include <linux/of.h>
#include <linux/pci-ep-msi.h>

#include "vntb.h"

static u64 vntb_db_irq_addr(const struct pci_epf_doorbell_msg *db)
{
	return (u64)db->msg.address_hi << 32 | db->msg.address_lo;
}

/* the doorbells the interrupt @irq stands for */
static u64 vntb_db_irq_bits(struct vntb *vntb, int irq)
{
	struct pci_epf *epf = vntb->epf;
	u64 bits = 0;
	u32 k;

	if (vntb->db_irq.shared)
		return vntb_layout_db_valid_mask(vntb->live.db_count);
	for (k = 0; k < vntb->db_irq.count; k++)
		if (epf->db_msg[k].virq == irq)
			bits |= BIT_ULL(k);
	return bits;
}

static irqreturn_t vntb_db_irq_handler(int irq, void *data)
{
	struct vntb *vntb = data;

	/* rung while the function is stopped: nobody to tell, it is dropped */
	if (!READ_ONCE(vntb->db_irq.enabled))
		return IRQ_HANDLED;
	WRITE_ONCE(vntb->db_irq.irqs, vntb->db_irq.irqs + 1);
	vntb_ctrl_deliver_doorbells(vntb, vntb_db_irq_bits(vntb, irq));
	return IRQ_HANDLED;
}

/* the interrupt of doorbell @k is requested already, by a lower one */
static bool vntb_db_irq_seen(struct pci_epf *epf, u32 k)
{
	u32 i;

	for (i = 0; i < k; i++)
		if (epf->db_msg[i].virq == epf->db_msg[k].virq)
			return true;
	return false;
}

static void vntb_db_irq_free_irqs(struct vntb *vntb, u32 count)
{
	struct pci_epf *epf = vntb->epf;
	u32 k;

	for (k = 0; k < count; k++)
		if (!vntb_db_irq_seen(epf, k))
			free_irq(epf->db_msg[k].virq, vntb);
}

static int vntb_db_irq_request(struct vntb *vntb)
{
	struct pci_epf *epf = vntb->epf;
	u32 k;
	int ret;

	for (k = 0; k < vntb->db_irq.count; k++) {
		if (vntb_db_irq_seen(epf, k))
			continue;
		ret = request_irq(epf->db_msg[k].virq, vntb_db_irq_handler,
				  epf->db_msg[k].irq_flags, "vntb-doorbell",
				  vntb);
		if (ret) {
			vntb_db_irq_free_irqs(vntb, k);
			return ret;
		}
	}
	return 0;
}

/*
 * Translate a copy of the doorbell BAR's descriptor to the doorbells'
 * registers: the lowest at an offset the translation's alignment allows,
 * the highest inside the BAR. Return: NULL, or why it cannot be done.
 */
static const char *vntb_db_irq_place(struct vntb *vntb,
				     const struct pci_epc_features *features)
{
	struct pci_epf *epf = vntb->epf;
	struct pci_epf_bar *bar = &vntb->db_irq.bar;
	u64 low = U64_MAX, high = 0, align, addr;
	u32 k;

	*bar = epf->bar[vntb->bar[VNTB_REGION_DB]];
	for (k = 0; k < vntb->db_irq.count; k++) {
		if (epf->db_msg[k].bar != NO_BAR)
			return "the doorbell sits in a BAR of the controller's own";
		addr = vntb_db_irq_addr(&epf->db_msg[k]);
		low = min(low, addr);
		high = max(high, addr);
	}
	align = max_t(u64, bar->size, features->align);
	bar->phys_addr = ALIGN_DOWN(low, align);
	if (high + sizeof(u32) - bar->phys_addr > bar->size)
		return "the doorbell BAR's translation cannot reach its register";
	bar->addr = NULL;
	return NULL;
}

/*
 * Whether the controller offers a doorbell, without the core's log lines
 * where it has none: an auxiliary doorbell register, or an MSI map in its
 * parent's device tree node, where the core looks for an MSI domain.
 */
static bool vntb_db_irq_offered(struct pci_epf *epf)
{
	return pci_epc_get_aux_resources_count(epf->epc, epf->func_no,
					       epf->vfunc_no) > 0 ||
	       of_property_present(epf->epc->dev.parent->of_node, "msi-map");
}

/**
 * vntb_db_irq_setup() - take host doorbells as interrupts, if offered
 * @vntb: the function at link, its doorbell BAR allocated
 * @features: the controller's features
 *
 * On success the controller is given @vntb->db_irq.bar as the doorbell
 * BAR (vntb-epc.c); on any failure the doorbells are polled, said in one
 * log line.
 */
void vntb_db_irq_setup(struct vntb *vntb,
		       const struct pci_epc_features *features)
{
	struct pci_epf *epf = vntb->epf;
	u32 count = vntb->live.db_count - VNTB_DB_FIRST_SLOT;
	const char *why;
	int ret;

	vntb->db_irq.count = 0;
	vntb->db_irq.irqs = 0;
	if (!vntb_db_irq_offered(epf))
		return;
	ret = pci_epf_alloc_doorbell(epf, count);
	if (ret) {
		dev_info(&epf->dev, "host doorbells: polled, the controller's doorbell refused: %d\n",
			 ret);
		return;
	}
	vntb->db_irq.count = count;
	vntb->db_irq.shared = count > 1 && vntb_db_irq_seen(epf, count - 1);
	why = vntb_db_irq_place(vntb, features);
	if (!why) {
		ret = vntb_db_irq_request(vntb);
		why = ret ? "its interrupt cannot be requested" : NULL;
	}
	if (why) {
		dev_info(&epf->dev, "host doorbells: polled, %s\n", why);
		vntb->db_irq.count = 0;
		pci_epf_free_doorbell(epf);
		return;
	}
	dev_info(&epf->dev, "host doorbells: %u as interrupts (%s)\n", count,
		 vntb->db_irq.shared ? "one shared, each rings all" :
				       "one each");
}

/**
 * vntb_db_irq_teardown() - release what vntb_db_irq_setup() took
 * @vntb: the function at unlink, the controller no longer programmed
 */
void vntb_db_irq_teardown(struct vntb *vntb)
{
	if (!vntb->db_irq.count)
		return;
	vntb_db_irq_free_irqs(vntb, vntb->db_irq.count);
	pci_epf_free_doorbell(vntb->epf);
	vntb->db_irq.count = 0;
}

/**
 * vntb_db_irq_write_ctrl() - tell the host where and what to write
 * @vntb: the function, its control region being filled
 *
 * Does nothing when the doorbells are polled.
 */
void vntb_db_irq_write_ctrl(struct vntb *vntb)
{
	struct vntb_ctrl *ctrl = vntb->ctrl;
	u32 k, slot;

	if (!vntb->db_irq.count)
		return;
	ctrl->db_entry_size = 0;
	for (k = 0; k < vntb->db_irq.count; k++) {
		slot = k + VNTB_DB_FIRST_SLOT;
		ctrl->db_data[slot] = cpu_to_le32(vntb->epf->db_msg[k].msg.data);
		ctrl->db_offset[slot] =
			cpu_to_le32(vntb_db_irq_addr(&vntb->epf->db_msg[k]) -
				    vntb->db_irq.bar.phys_addr);
	}
}

/**
 * vntb_db_irq_enable() - let the interrupts deliver doorbells
 * @vntb: the function, being started
 */
void vntb_db_irq_enable(struct vntb *vntb)
{
	WRITE_ONCE(vntb->db_irq.enabled, true);
}

/**
 * vntb_db_irq_disable() - stop delivering, and wait for a running handler
 * @vntb: the function, being stopped
 */
void vntb_db_irq_disable(struct vntb *vntb)
{
	u32 k;

	WRITE_ONCE(vntb->db_irq.enabled, false);
	for (k = 0; k < vntb->db_irq.count; k++)
		if (!vntb_db_irq_seen(vntb->epf, k))
			synchronize_irq(vntb->epf->db_msg[k].virq);
}
