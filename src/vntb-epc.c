// SPDX-License-Identifier: GPL-2.0
/*
 * vntb: the endpoint controller, and everything done to it.
 *
 *   init       the lock of all that follows           (probe)
 *   setup      allocate the control and doorbell BAR memory and the
 *              outbound windows                      (link)
 *   program    set the BARs, MSI and header          (link, or EPC init)
 *   unprogram  clear what program set                (unlink, EPC deinit)
 *   teardown   free what setup allocated             (unlink)
 *
 * Each step undoes itself on failure and each has its twin, so every
 * resource is released exactly once; vntb-main.c runs them in order.
 * Every other call into the controller, from the host's commands
 * (vntb-ctrl.c) and the NTB clients (vntb-ntb.c), is here too, under
 * epc_lock: this file calls no other file of the driver but the layout.
 */
#include <linux/bitops.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/sizes.h>

#include "vntb.h"

/**
 * vntb_epc_init() - ready the function's controller state, at probe
 * @vntb: the function
 */
void vntb_epc_init(struct vntb *vntb)
{
	mutex_init(&vntb->epc_lock);
}

/**
 * vntb_epc_ready() - has the controller reported itself initialised
 * @vntb: the function, linked to a controller
 *
 * Return: true when the function can be programmed now; otherwise the
 * controller's epc_init event will do it.
 */
bool vntb_epc_ready(struct vntb *vntb)
{
	return vntb_epc_is_ready(vntb->epf->epc);
}

static struct pci_epf_bar *vntb_epf_bar(struct vntb *vntb, int region)
{
	/* translated to the doorbell registers instead of the slots */
	if (region == VNTB_REGION_DB && vntb->db_irq.count)
		return &vntb->db_irq.bar;
	return &vntb->epf->bar[vntb->bar[region]];
}

static void vntb_epc_free_windows(struct vntb *vntb, int count)
{
	while (count--)
		pci_epc_mem_free_addr(vntb->epf->epc, vntb->mw[count].ob_phys,
				      vntb->mw[count].ob_virt,
				      vntb->live.mw_size[count]);
}

static int vntb_epc_alloc_windows(struct vntb *vntb)
{
	struct vntb_mw *mw;
	int i;

	for (i = 0; i < vntb->live.num_mws; i++) {
		mw = &vntb->mw[i];
		mw->host_mapped = false;
		mw->translated = false;
		mw->ob_virt = pci_epc_mem_alloc_addr(vntb->epf->epc,
						     &mw->ob_phys,
						     vntb->live.mw_size[i]);
		if (!mw->ob_virt) {
			dev_err(&vntb->epf->dev,
				"mw%d: no outbound window of %llu bytes left on the controller\n",
				i + 1, vntb->live.mw_size[i]);
			vntb_epc_free_windows(vntb, i);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * vntb_epc_mw_align() - the alignment a window's buffer needs
 * @vntb: the bound function
 * @idx: memory window index
 *
 * The controller translates a BAR to one address, which must meet its
 * inbound alignment (the iATU region alignment on DWC, 64 KiB on i.MX8M).
 *
 * Return: the alignment in bytes, at least 4 KiB.
 */
u64 vntb_epc_mw_align(struct vntb *vntb, int idx)
{
	struct pci_epf *epf = vntb->epf;
	const struct pci_epc_features *features;

	features = pci_epc_get_features(epf->epc, epf->func_no, epf->vfunc_no);
	return max_t(u64, SZ_4K, features ? features->align : 0);
}

/*
 * Parked windows point at one zeroed buffer as large as the largest
 * window, never at address 0: a BAR translation covers the whole BAR, and
 * a controller such as DWC programs address 0 as a real target. Clearing
 * the BAR instead would also clear the address the host assigned it.
 */
static int vntb_epc_alloc_park(struct vntb *vntb)
{
	struct device *dev = vntb->epf->epc->dev.parent;
	size_t size = 0;
	int i;

	for (i = 0; i < vntb->live.num_mws; i++)
		size = max_t(size_t, size, vntb->live.mw_size[i]);
	vntb->park = dma_alloc_coherent(dev, size, &vntb->park_phys,
					GFP_KERNEL);
	if (!vntb->park)
		return -ENOMEM;
	vntb->park_size = size;
	if (!IS_ALIGNED(vntb->park_phys, vntb_epc_mw_align(vntb, 0))) {
		dev_err(&vntb->epf->dev,
			"parking buffer at %pad misses the controller's alignment\n",
			&vntb->park_phys);
		dma_free_coherent(dev, size, vntb->park, vntb->park_phys);
		vntb->park = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void vntb_epc_free_park(struct vntb *vntb)
{
	dma_free_coherent(vntb->epf->epc->dev.parent, vntb->park_size,
			  vntb->park, vntb->park_phys);
	vntb->park = NULL;
}

/* the one log line of a link refused for its configuration */
static void vntb_epc_refuse(struct vntb *vntb,
			    const struct vntb_layout_refusal *refusal)
{
	if (refusal->barno == VNTB_BAR_AUTO)
		dev_err(&vntb->epf->dev, "cannot link: %s: %s\n",
			refusal->what, refusal->why);
	else
		dev_err(&vntb->epf->dev, "cannot link: %s: BAR %d refused: %s\n",
			refusal->what, refusal->barno, refusal->why);
}

/**
 * vntb_epc_setup() - allocate what the function needs from the controller
 * @vntb: the function, with @vntb->live set and linked to a controller
 *
 * Checks the configuration against the controller (vntb_layout_check(),
 * one log line "cannot link: ATTRIBUTE: ..." when it is refused), which
 * chooses the BARs, then allocates the control region with the
 * scratchpads, the doorbell slots, one outbound window per memory window
 * and the buffer parked windows point at. Logs one line saying which BAR
 * holds which region and whether the host's ntb_hw_epf knows the IDs.
 * Last, takes the host's doorbells as interrupts where the controller
 * offers them (vntb_db_irq_setup()), which cannot fail the link.
 *
 * Return: 0 or a negative errno; nothing is left allocated on failure.
 */
int vntb_epc_setup(struct vntb *vntb)
{
	struct pci_epf *epf = vntb->epf;
	const struct pci_epc_features *features;
	struct vntb_layout_refusal refusal;
	char layout[160];
	int ret;

	features = pci_epc_get_features(epf->epc, epf->func_no, epf->vfunc_no);
	if (!features) {
		refusal.what = "controller";
		refusal.barno = VNTB_BAR_AUTO;
		refusal.why = "reports no features";
		ret = -EOPNOTSUPP;
	} else {
		ret = vntb_layout_check(&vntb->live, epf->header, features,
					vntb->bar, &refusal);
	}
	if (ret) {
		vntb_epc_refuse(vntb, &refusal);
		return ret;
	}

	vntb->ctrl_size = vntb_layout_ctrl_size(vntb->live.spad_count);
	vntb->ctrl = vntb_alloc_space(epf, vntb->ctrl_size,
				      vntb->bar[VNTB_REGION_CTRL], features);
	if (!vntb->ctrl) {
		dev_err(&epf->dev, "ctrl_bar: cannot allocate %zu bytes\n",
			vntb->ctrl_size);
		return -ENOMEM;
	}

	vntb->db_slots = vntb_alloc_space(epf, VNTB_MAX_DB_SLOTS *
					  VNTB_DB_ENTRY_SIZE,
					  vntb->bar[VNTB_REGION_DB], features);
	if (!vntb->db_slots) {
		dev_err(&epf->dev, "db_bar: cannot allocate the doorbell slots\n");
		ret = -ENOMEM;
		goto err_free_ctrl;
	}

	ret = vntb_epc_alloc_windows(vntb);
	if (ret)
		goto err_free_db;
	ret = vntb_epc_alloc_park(vntb);
	if (ret)
		goto err_free_windows;
	vntb_layout_describe(&vntb->live, epf->header, vntb->bar, layout,
			     sizeof(layout));
	dev_info(&epf->dev, "%s\n", layout);
	vntb_db_irq_setup(vntb, features);
	return 0;

err_free_windows:
	vntb_epc_free_windows(vntb, vntb->live.num_mws);
err_free_db:
	pci_epf_free_space(epf, vntb->db_slots, vntb->bar[VNTB_REGION_DB],
			   PRIMARY_INTERFACE);
	vntb->db_slots = NULL;
err_free_ctrl:
	pci_epf_free_space(epf, vntb->ctrl, vntb->bar[VNTB_REGION_CTRL],
			   PRIMARY_INTERFACE);
	vntb->ctrl = NULL;
	return ret;
}

/**
 * vntb_epc_teardown() - free what vntb_epc_setup() allocated
 * @vntb: the function; the controller must no longer be programmed
 */
void vntb_epc_teardown(struct vntb *vntb)
{
	vntb_db_irq_teardown(vntb);
	vntb_epc_free_park(vntb);
	vntb_epc_free_windows(vntb, vntb->live.num_mws);
	pci_epf_free_space(vntb->epf, vntb->db_slots,
			   vntb->bar[VNTB_REGION_DB], PRIMARY_INTERFACE);
	vntb->db_slots = NULL;
	pci_epf_free_space(vntb->epf, vntb->ctrl,
			   vntb->bar[VNTB_REGION_CTRL], PRIMARY_INTERFACE);
	vntb->ctrl = NULL;
}

static int vntb_epc_set_bar(struct vntb *vntb, int region)
{
	struct pci_epf *epf = vntb->epf;
	int ret;

	ret = pci_epc_set_bar(epf->epc, epf->func_no, epf->vfunc_no,
			      vntb_epf_bar(vntb, region));
	if (ret)
		dev_err(&epf->dev, "%s: controller refused BAR %d: %d\n",
			vntb_layout_region_name(region), vntb->bar[region], ret);
	return ret;
}

static void vntb_epc_clear_bar(struct vntb *vntb, int region)
{
	struct pci_epf *epf = vntb->epf;

	pci_epc_clear_bar(epf->epc, epf->func_no, epf->vfunc_no,
			  vntb_epf_bar(vntb, region));
}

static void vntb_epc_init_mw_bar(struct vntb *vntb, int idx,
				 const struct pci_epc_features *features)
{
	struct pci_epf_bar *bar = vntb_epf_bar(vntb, VNTB_REGION_MW1 + idx);
	struct vntb_mw *mw = &vntb->mw[idx];
	u64 size = vntb->live.mw_size[idx];

	bar->barno = vntb->bar[VNTB_REGION_MW1 + idx];
	bar->size = size;
	bar->addr = NULL;
	/* a client's translation survives a controller re-init */
	bar->phys_addr = mw->translated ? mw->trans : vntb->park_phys;
	bar->flags = PCI_BASE_ADDRESS_SPACE_MEMORY;
	if (upper_32_bits(size) || vntb_bar_only_64bit(features, bar->barno))
		bar->flags |= PCI_BASE_ADDRESS_MEM_TYPE_64;
}

/* undo the host's mapping of window @idx, if it has one */
static void vntb_epc_unmap_window(struct vntb *vntb, int idx)
{
	struct pci_epf *epf = vntb->epf;
	struct vntb_mw *mw = &vntb->mw[idx];

	lockdep_assert_held(&vntb->epc_lock);
	if (!mw->host_mapped)
		return;
	pci_epc_unmap_addr(epf->epc, epf->func_no, epf->vfunc_no, mw->ob_phys);
	mw->host_mapped = false;
}

/* unmap the host's windows and forget its doorbell vectors */
static void vntb_epc_drop_host(struct vntb *vntb)
{
	int i;

	lockdep_assert_held(&vntb->epc_lock);
	for (i = 0; i < vntb->live.num_mws; i++)
		vntb_epc_unmap_window(vntb, i);
	WRITE_ONCE(vntb->peer_vectors, 0);
}

/**
 * vntb_epc_program() - install the function in the controller
 * @vntb: the function, after vntb_epc_setup()
 *
 * Sets the control, doorbell and memory window BARs, the MSI vectors and
 * the configuration header. Does nothing when already programmed.
 *
 * Return: 0 or a negative errno; the controller is left as it was.
 */
int vntb_epc_program(struct vntb *vntb)
{
	struct pci_epf *epf = vntb->epf;
	const struct pci_epc_features *features;
	int region, last = VNTB_REGION_MW1 + vntb->live.num_mws;
	int ret = 0;

	features = pci_epc_get_features(epf->epc, epf->func_no, epf->vfunc_no);

	mutex_lock(&vntb->epc_lock);
	if (vntb->programmed)
		goto out;

	if (features->msi_capable) {
		ret = pci_epc_set_msi(epf->epc, epf->func_no, epf->vfunc_no,
				      VNTB_MSI_VECTORS);
		if (ret) {
			dev_err(&epf->dev, "controller refused %d MSI vectors: %d\n",
				VNTB_MSI_VECTORS, ret);
			goto out;
		}
	}

	for (region = VNTB_REGION_MW1; region < last; region++)
		vntb_epc_init_mw_bar(vntb, region - VNTB_REGION_MW1, features);
	for (region = 0; region < last; region++) {
		ret = vntb_epc_set_bar(vntb, region);
		if (ret)
			goto err_clear;
	}

	if (epf->vfunc_no <= 1) {
		ret = pci_epc_write_header(epf->epc, epf->func_no,
					   epf->vfunc_no, epf->header);
		if (ret) {
			dev_err(&epf->dev, "controller refused the header: %d\n",
				ret);
			goto err_clear;
		}
	}

	WRITE_ONCE(vntb->peer_vectors, 0);
	vntb->programmed = true;
	mutex_unlock(&vntb->epc_lock);
	return 0;

err_clear:
	while (region--)
		vntb_epc_clear_bar(vntb, region);
out:
	mutex_unlock(&vntb->epc_lock);
	return ret;
}

/**
 * vntb_epc_forget_host() - forget what the host set up, keep the BARs
 * @vntb: the function, its command work stopped
 *
 * The host went away (a reboot, a lost link): the buffers its windows
 * pointed at and the doorbell vectors it configured are gone with it.
 * Its windows are unmapped and its doorbells forgotten, so nothing is
 * raised towards an absent host. The BARs stay, for its next enumeration.
 */
void vntb_epc_forget_host(struct vntb *vntb)
{
	mutex_lock(&vntb->epc_lock);
	if (vntb->programmed)
		vntb_epc_drop_host(vntb);
	mutex_unlock(&vntb->epc_lock);
}

/**
 * vntb_epc_unprogram() - remove the function from the controller
 * @vntb: the function
 *
 * The command work must be stopped first (vntb_ctrl_stop()), so nothing
 * reads the BARs being cleared. Unmaps the host's windows and clears
 * every BAR. Does nothing when the controller is not programmed.
 */
void vntb_epc_unprogram(struct vntb *vntb)
{
	int region, last = VNTB_REGION_MW1 + vntb->live.num_mws;

	mutex_lock(&vntb->epc_lock);
	if (vntb->programmed) {
		vntb_epc_drop_host(vntb);
		for (region = last - 1; region >= 0; region--)
			vntb_epc_clear_bar(vntb, region);
		vntb->programmed = false;
	}
	mutex_unlock(&vntb->epc_lock);
}

static int vntb_epc_point_mw(struct vntb *vntb, int idx, dma_addr_t addr)
{
	struct pci_epf_bar *bar = vntb_epf_bar(vntb, VNTB_REGION_MW1 + idx);

	bar->phys_addr = addr;
	return vntb_epc_set_bar(vntb, VNTB_REGION_MW1 + idx);
}

/**
 * vntb_epc_set_mw_trans() - point a memory window BAR at a client's buffer
 * @vntb: the function
 * @idx: memory window index
 * @addr: DMA address of the buffer, which covers the whole window
 *
 * The translation is kept: the next programming of the controller, after
 * a re-init, applies it again.
 *
 * Return: 0 or the controller's error.
 */
int vntb_epc_set_mw_trans(struct vntb *vntb, int idx, dma_addr_t addr)
{
	struct vntb_mw *mw = &vntb->mw[idx];
	int ret = 0;

	mutex_lock(&vntb->epc_lock);
	if (vntb->programmed)
		ret = vntb_epc_point_mw(vntb, idx, addr);
	if (!ret) {
		mw->trans = addr;
		mw->translated = true;
	}
	mutex_unlock(&vntb->epc_lock);
	return ret;
}

/**
 * vntb_epc_clear_mw_trans() - park a memory window BAR
 * @vntb: the function
 * @idx: memory window index
 *
 * Return: 0 or the controller's error, in which case the controller may
 * still translate the BAR to the client's buffer.
 */
int vntb_epc_clear_mw_trans(struct vntb *vntb, int idx)
{
	int ret = 0;

	mutex_lock(&vntb->epc_lock);
	vntb->mw[idx].translated = false;
	if (vntb->programmed)
		ret = vntb_epc_point_mw(vntb, idx, vntb->park_phys);
	mutex_unlock(&vntb->epc_lock);
	return ret;
}

/**
 * vntb_epc_map_host_window() - serve CONFIGURE_MW from the host
 * @vntb: the function
 * @idx: memory window index, already checked
 * @addr: host address
 * @size: bytes, already checked against the window
 *
 * Return: 0, -ENOTCONN when the function is not in the controller, or the
 * controller's error.
 */
int vntb_epc_map_host_window(struct vntb *vntb, int idx, u64 addr, u64 size)
{
	struct pci_epf *epf = vntb->epf;
	struct vntb_mw *mw = &vntb->mw[idx];
	int ret = -ENOTCONN;

	mutex_lock(&vntb->epc_lock);
	if (!vntb->programmed)
		goto out;
	vntb_epc_unmap_window(vntb, idx);
	ret = pci_epc_map_addr(epf->epc, epf->func_no, epf->vfunc_no,
			       mw->ob_phys, addr, size);
	if (!ret)
		mw->host_mapped = true;
out:
	mutex_unlock(&vntb->epc_lock);
	return ret;
}

/**
 * vntb_epc_unmap_host_window() - serve TEARDOWN_MW from the host
 * @vntb: the function
 * @idx: memory window index, already checked
 */
void vntb_epc_unmap_host_window(struct vntb *vntb, int idx)
{
	mutex_lock(&vntb->epc_lock);
	vntb_epc_unmap_window(vntb, idx);
	mutex_unlock(&vntb->epc_lock);
}

/**
 * vntb_epc_set_peer_vectors() - record the host's doorbell vectors
 * @vntb: the function
 * @vectors: MSI vectors the host configured, 0 when it tore them down
 */
void vntb_epc_set_peer_vectors(struct vntb *vntb, u32 vectors)
{
	mutex_lock(&vntb->epc_lock);
	WRITE_ONCE(vntb->peer_vectors, vectors);
	mutex_unlock(&vntb->epc_lock);
}

/**
 * vntb_epc_peer_db_enable() - allow or refuse doorbells to the host
 * @vntb: the function
 * @enable: whether vntb_epc_raise_peer() and the deferred ring may raise
 *
 * Written under both epc_lock and peer_db_lock, so that on return from
 * a refusal no raise is in progress, whichever path it took.
 */
void vntb_epc_peer_db_enable(struct vntb *vntb, bool enable)
{
	mutex_lock(&vntb->epc_lock);
	spin_lock_irq(&vntb->peer_db_lock);
	vntb->peer_db_enabled = enable;
	spin_unlock_irq(&vntb->peer_db_lock);
	mutex_unlock(&vntb->epc_lock);
}

/**
 * vntb_epc_raise_peer() - raise doorbells of the host; may sleep
 * @vntb: the function
 * @bits: doorbell bits, lowest first
 *
 * Stops at the first doorbell the host configured no vector for.
 *
 * Return: 0, or -ENOTCONN when the function is not in the controller,
 * doorbells are refused or the host configured none.
 */
int vntb_epc_raise_peer(struct vntb *vntb, unsigned long bits)
{
	struct pci_epf *epf = vntb->epf;
	int bit, ret;

	mutex_lock(&vntb->epc_lock);
	if (!vntb->programmed || !vntb->peer_db_enabled ||
	    !vntb->peer_vectors) {
		mutex_unlock(&vntb->epc_lock);
		return -ENOTCONN;
	}
	for_each_set_bit(bit, &bits, VNTB_MAX_DB_SLOTS) {
		if (VNTB_PEER_DB_MSI(bit) > vntb->peer_vectors)
			break;
		ret = pci_epc_raise_irq(epf->epc, epf->func_no, epf->vfunc_no,
					VNTB_IRQ_MSI, VNTB_PEER_DB_MSI(bit));
		if (ret)
			dev_err_ratelimited(&epf->dev,
					    "doorbell %d to the host failed: %d\n",
					    bit, ret);
	}
	mutex_unlock(&vntb->epc_lock);
	return 0;
}
