// SPDX-License-Identifier: GPL-2.0
/*
 * vntb: the NTB device operations of the endpoint's virtual NTB device.
 *
 * Scratchpads live in the control BAR: the first spad_count words belong
 * to the host, the next spad_count to the endpoint. Inbound memory
 * windows are BARs translated to the client's buffer, which must cover
 * the whole BAR; outbound windows are the controller's outbound regions
 * the host configured.
 */
#include <linux/sizes.h>

#include "vntb.h"

static struct vntb *ntb_to_vntb(struct ntb_dev *ntb)
{
	return container_of(ntb, struct vntb_ntb, ntb)->vntb;
}

static __le32 *vntb_ntb_spad(struct vntb *vntb, bool peer, int idx)
{
	__le32 *spads = (__le32 *)((u8 *)vntb->ctrl + sizeof(*vntb->ctrl));

	return &spads[idx + (peer ? 0 : vntb->live.spad_count)];
}

static bool vntb_ntb_mw_valid(struct vntb *vntb, int pidx, int idx)
{
	return pidx == NTB_DEF_PEER_IDX && idx >= 0 &&
	       idx < vntb->live.num_mws;
}

static int vntb_ntb_mw_count(struct ntb_dev *ntb, int pidx)
{
	return ntb_to_vntb(ntb)->live.num_mws;
}

static int vntb_ntb_peer_mw_count(struct ntb_dev *ntb)
{
	return ntb_to_vntb(ntb)->live.num_mws;
}

static int vntb_ntb_mw_get_align(struct ntb_dev *ntb, int pidx, int idx,
				 resource_size_t *addr_align,
				 resource_size_t *size_align,
				 resource_size_t *size_max)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	if (!vntb_ntb_mw_valid(vntb, pidx, idx))
		return -EINVAL;
	/* a buffer must cover the whole BAR: clients round their size up */
	if (addr_align)
		*addr_align = vntb_epc_mw_align(vntb, idx);
	if (size_align)
		*size_align = vntb->live.mw_size[idx];
	if (size_max)
		*size_max = vntb->live.mw_size[idx];
	return 0;
}

static int vntb_ntb_mw_set_trans(struct ntb_dev *ntb, int pidx, int idx,
				 dma_addr_t addr, resource_size_t size)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	if (!vntb_ntb_mw_valid(vntb, pidx, idx) ||
	    size > vntb->live.mw_size[idx] ||
	    !IS_ALIGNED(addr, vntb_epc_mw_align(vntb, idx)))
		return -EINVAL;
	/* the BAR translates as a whole: a smaller buffer lets the host past it */
	if (size < vntb->live.mw_size[idx]) {
		dev_err_ratelimited(&ntb->dev,
				    "mw%d: a %pa-byte buffer cannot back the %llu-byte window\n",
				    idx + 1, &size, vntb->live.mw_size[idx]);
		return -EINVAL;
	}
	return vntb_epc_set_mw_trans(vntb, idx, addr);
}

static int vntb_ntb_mw_clear_trans(struct ntb_dev *ntb, int pidx, int idx)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	if (!vntb_ntb_mw_valid(vntb, pidx, idx))
		return -EINVAL;
	return vntb_epc_clear_mw_trans(vntb, idx);
}

static int vntb_ntb_peer_mw_get_addr(struct ntb_dev *ntb, int idx,
				     phys_addr_t *base, resource_size_t *size)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	if (!vntb_ntb_mw_valid(vntb, NTB_DEF_PEER_IDX, idx))
		return -EINVAL;
	if (base)
		*base = vntb->mw[idx].ob_phys;
	if (size)
		*size = vntb->live.mw_size[idx];
	return 0;
}

static u64 vntb_ntb_link_is_up(struct ntb_dev *ntb, enum ntb_speed *speed,
			       enum ntb_width *width)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	if (speed)
		*speed = NTB_SPEED_AUTO;
	if (width)
		*width = NTB_WIDTH_AUTO;
	return le16_to_cpu(READ_ONCE(vntb->ctrl->link_status)) & VNTB_LINK_UP;
}

/* the host owns the link: it is up from its LINK_UP to its LINK_DOWN */
static int vntb_ntb_link_enable(struct ntb_dev *ntb, enum ntb_speed speed,
				enum ntb_width width)
{
	return 0;
}

/*
 * The protocol has no way for the endpoint to take the link down: say so
 * rather than report a link disabled that stays up.
 */
static int vntb_ntb_link_disable(struct ntb_dev *ntb)
{
	return -EOPNOTSUPP;
}

static u64 vntb_ntb_db_valid_mask(struct ntb_dev *ntb)
{
	return vntb_layout_db_valid_mask(ntb_to_vntb(ntb)->live.db_count);
}

static int vntb_ntb_db_vector_count(struct ntb_dev *ntb)
{
	return ntb_to_vntb(ntb)->live.db_count - VNTB_DB_FIRST_SLOT;
}

static u64 vntb_ntb_db_vector_mask(struct ntb_dev *ntb, int vector)
{
	if (vector < 0 || vector >= vntb_ntb_db_vector_count(ntb))
		return 0;
	return BIT_ULL(vector);
}

static u64 vntb_ntb_db_read(struct ntb_dev *ntb)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	return atomic64_read(&vntb->db_bits) |
	       vntb_ctrl_undelivered_doorbells(vntb);
}

static int vntb_ntb_db_clear(struct ntb_dev *ntb, u64 bits)
{
	vntb_ctrl_clear_doorbells(ntb_to_vntb(ntb), bits);
	return 0;
}

static int vntb_ntb_db_mask_unsupported(struct ntb_dev *ntb, u64 bits)
{
	return 0;
}

static int vntb_ntb_peer_db_set(struct ntb_dev *ntb, u64 bits)
{
	struct vntb *vntb = ntb_to_vntb(ntb);
	u64 valid = vntb_layout_db_valid_mask(vntb->live.db_count);

	if (bits & ~valid)
		return -EINVAL;
	if (!bits)
		return 0;
	return vntb_ctrl_ring_peer(vntb, bits);
}

static int vntb_ntb_spad_count(struct ntb_dev *ntb)
{
	return ntb_to_vntb(ntb)->live.spad_count;
}

static bool vntb_ntb_spad_valid(struct vntb *vntb, int idx)
{
	return idx >= 0 && idx < vntb->live.spad_count;
}

static u32 vntb_ntb_spad_read(struct ntb_dev *ntb, int idx)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	if (!vntb_ntb_spad_valid(vntb, idx))
		return 0;
	return le32_to_cpu(READ_ONCE(*vntb_ntb_spad(vntb, false, idx)));
}

static int vntb_ntb_spad_write(struct ntb_dev *ntb, int idx, u32 val)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	if (!vntb_ntb_spad_valid(vntb, idx))
		return -EINVAL;
	WRITE_ONCE(*vntb_ntb_spad(vntb, false, idx), cpu_to_le32(val));
	return 0;
}

static u32 vntb_ntb_peer_spad_read(struct ntb_dev *ntb, int pidx, int idx)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	if (pidx != NTB_DEF_PEER_IDX || !vntb_ntb_spad_valid(vntb, idx))
		return 0;
	return le32_to_cpu(READ_ONCE(*vntb_ntb_spad(vntb, true, idx)));
}

static int vntb_ntb_peer_spad_write(struct ntb_dev *ntb, int pidx, int idx,
				    u32 val)
{
	struct vntb *vntb = ntb_to_vntb(ntb);

	if (pidx != NTB_DEF_PEER_IDX || !vntb_ntb_spad_valid(vntb, idx))
		return -EINVAL;
	WRITE_ONCE(*vntb_ntb_spad(vntb, true, idx), cpu_to_le32(val));
	return 0;
}

#ifdef VNTB_HAVE_NTB_GET_DMA_DEV
/*
 * The controller reaches a window's buffer, so clients allocate and map
 * against the controller's device (its IOMMU, its DMA mask), not against
 * the virtual PCI device, which no bus master stands behind.
 */
static struct device *vntb_ntb_get_dma_dev(struct ntb_dev *ntb)
{
	return ntb_to_vntb(ntb)->epf->epc->dev.parent;
}
#endif

const struct ntb_dev_ops vntb_ntb_ops = {
	.mw_count		= vntb_ntb_mw_count,
	.mw_get_align		= vntb_ntb_mw_get_align,
	.mw_set_trans		= vntb_ntb_mw_set_trans,
	.mw_clear_trans		= vntb_ntb_mw_clear_trans,
	.peer_mw_count		= vntb_ntb_peer_mw_count,
	.peer_mw_get_addr	= vntb_ntb_peer_mw_get_addr,
	.link_is_up		= vntb_ntb_link_is_up,
	.link_enable		= vntb_ntb_link_enable,
	.link_disable		= vntb_ntb_link_disable,
	.db_valid_mask		= vntb_ntb_db_valid_mask,
	.db_vector_count	= vntb_ntb_db_vector_count,
	.db_vector_mask		= vntb_ntb_db_vector_mask,
	.db_read		= vntb_ntb_db_read,
	.db_clear		= vntb_ntb_db_clear,
	.db_set_mask		= vntb_ntb_db_mask_unsupported,
	.db_clear_mask		= vntb_ntb_db_mask_unsupported,
	.peer_db_set		= vntb_ntb_peer_db_set,
	.spad_count		= vntb_ntb_spad_count,
	.spad_read		= vntb_ntb_spad_read,
	.spad_write		= vntb_ntb_spad_write,
	.peer_spad_read		= vntb_ntb_peer_spad_read,
	.peer_spad_write	= vntb_ntb_peer_spad_write,
#ifdef VNTB_HAVE_NTB_GET_DMA_DEV
	.get_dma_dev		= vntb_ntb_get_dma_dev,
#endif
};
