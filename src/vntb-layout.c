// SPDX-License-Identifier: GPL-2.0
/*
 * vntb: the configuration checked against a controller at link, and the
 * layout arithmetic - which BAR holds which region, how large the control
 * region is, which doorbell bits exist. Pure functions.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>

#include "vntb.h"

static const char *const vntb_region_names[VNTB_REGION_NR] = {
	"ctrl_bar", "db_bar", "mw1_bar", "mw2_bar", "mw3_bar", "mw4_bar",
};

static const char *const vntb_mw_names[VNTB_MAX_MWS] = {
	"mw1", "mw2", "mw3", "mw4",
};

static int vntb_layout_refuse(struct vntb_layout_refusal *refusal,
			      const char *what, int barno, const char *why,
			      int err)
{
	refusal->what = what;
	refusal->barno = barno;
	refusal->why = why;
	return err;
}

static bool vntb_layout_needs_64bit(const struct vntb_config *cfg,
				    const struct pci_epc_features *features,
				    int region, enum pci_barno barno)
{
	if (vntb_bar_only_64bit(features, barno))
		return true;
	return region >= VNTB_REGION_MW1 &&
	       upper_32_bits(cfg->mw_size[region - VNTB_REGION_MW1]);
}

/* why @region cannot take BAR @barno, or NULL when it can */
static const char *vntb_layout_bar_unfit(const struct vntb_config *cfg,
					 const struct pci_epc_features *features,
					 int region, int barno,
					 unsigned long taken)
{
	if (barno < BAR_0 || barno > BAR_5)
		return "no such BAR";
	if (vntb_bar_reserved(features, barno))
		return "reserved by the controller";
	if (taken & BIT(barno))
		return "already used by another region";
	if (!vntb_layout_needs_64bit(cfg, features, region, barno))
		return NULL;
	if (barno == BAR_5)
		return "64-bit, and the last BAR has no next one for its upper half";
	if (taken & BIT(barno + 1))
		return "64-bit, and the next BAR, its upper half, is already used";
	return NULL;
}

static unsigned long vntb_layout_take(const struct vntb_config *cfg,
				      const struct pci_epc_features *features,
				      int region, enum pci_barno barno)
{
	if (vntb_layout_needs_64bit(cfg, features, region, barno))
		return BIT(barno) | BIT(barno + 1);
	return BIT(barno);
}

/*
 * Place every region the function needs. User choices are placed first
 * and must name a BAR that exists, is not reserved and is not already
 * used (a 64-bit BAR uses the next one too). The remaining regions take
 * the lowest free BARs in order: control, doorbell, then the memory
 * windows. Returns 0, -EINVAL for a bad user choice, -ENOSPC when BARs
 * run out.
 */
static int vntb_layout_assign_bars(const struct vntb_config *cfg,
				   const struct pci_epc_features *features,
				   enum pci_barno *bar,
				   struct vntb_layout_refusal *refusal)
{
	int nr = VNTB_REGION_MW1 + cfg->num_mws;
	unsigned long taken = 0;
	const char *why;
	int region, barno;

	for (region = 0; region < nr; region++) {
		barno = cfg->bar[region];
		if (barno == VNTB_BAR_AUTO)
			continue;
		why = vntb_layout_bar_unfit(cfg, features, region, barno, taken);
		if (why)
			return vntb_layout_refuse(refusal,
						  vntb_region_names[region],
						  barno, why, -EINVAL);
		bar[region] = barno;
		taken |= vntb_layout_take(cfg, features, region, barno);
	}

	barno = BAR_0;
	for (region = 0; region < nr; region++) {
		if (cfg->bar[region] != VNTB_BAR_AUTO)
			continue;
		while (barno <= BAR_5 &&
		       vntb_layout_bar_unfit(cfg, features, region, barno, taken))
			barno++;
		if (barno > BAR_5)
			return vntb_layout_refuse(refusal,
						  vntb_region_names[region],
						  VNTB_BAR_AUTO,
						  "no free BAR left on the controller",
						  -ENOSPC);
		bar[region] = barno;
		taken |= vntb_layout_take(cfg, features, region, barno);
	}
	return 0;
}

/* the settings configfs cannot check one by one, as they go together */
static int vntb_layout_check_settings(const struct vntb_config *cfg,
				      struct vntb_layout_refusal *refusal)
{
	int i;

	if (cfg->db_count < VNTB_MIN_DB_COUNT || cfg->db_count > VNTB_MAX_DB_SLOTS)
		return vntb_layout_refuse(refusal, "db_count", VNTB_BAR_AUTO,
					  "must be set, 3-32", -EINVAL);
	if (!cfg->num_mws)
		return vntb_layout_refuse(refusal, "num_mws", VNTB_BAR_AUTO,
					  "must be set, 1-4", -EINVAL);
	for (i = 0; i < cfg->num_mws; i++)
		if (!cfg->mw_size[i])
			return vntb_layout_refuse(refusal, vntb_mw_names[i],
						  VNTB_BAR_AUTO,
						  "must be set for every window up to num_mws",
						  -EINVAL);
	if (!cfg->vid || cfg->vid == 0xffff)
		return vntb_layout_refuse(refusal, "vntb_vid", VNTB_BAR_AUTO,
					  "must name a device (not 0 or 0xffff)",
					  -EINVAL);
	if (cfg->pid == 0xffff)
		return vntb_layout_refuse(refusal, "vntb_pid", VNTB_BAR_AUTO,
					  "must name a device (not 0xffff)",
					  -EINVAL);
	return 0;
}

/**
 * vntb_layout_check() - check a configuration against a controller, at link
 * @cfg: the configuration about to be put in force
 * @features: what the controller offers
 * @bar: filled with the BAR of each region the function needs
 * @refusal: on failure, what is refused (an attribute or "controller"),
 *           the BAR concerned or VNTB_BAR_AUTO, and why
 *
 * Everything about a configuration that can refuse a link, in one pass:
 * the settings that go together, the controller's interrupts, the BAR of
 * each region and the size of each window on its BAR.
 *
 * Return: 0, or a negative errno with @refusal filled.
 */
int vntb_layout_check(const struct vntb_config *cfg,
		      const struct pci_epc_features *features,
		      enum pci_barno *bar,
		      struct vntb_layout_refusal *refusal)
{
	const char *why;
	int i, ret;

	ret = vntb_layout_check_settings(cfg, refusal);
	if (ret)
		return ret;
	if (!features->msi_capable && !features->msix_capable)
		return vntb_layout_refuse(refusal, "controller", VNTB_BAR_AUTO,
					  "has neither MSI nor MSI-X, needed for doorbells to the host",
					  -EOPNOTSUPP);
	ret = vntb_layout_assign_bars(cfg, features, bar, refusal);
	if (ret)
		return ret;
	for (i = 0; i < cfg->num_mws; i++) {
		enum pci_barno barno = bar[VNTB_REGION_MW1 + i];

		ret = vntb_layout_check_mw(cfg->mw_size[i],
					   vntb_bar_fixed_size(features, barno),
					   &why);
		if (ret)
			return vntb_layout_refuse(refusal, vntb_mw_names[i],
						  barno, why, ret);
	}
	return 0;
}

/**
 * vntb_layout_region_name() - configfs name of a region's BAR attribute
 * @region: the region
 *
 * Return: a static string such as "mw2_bar".
 */
const char *vntb_layout_region_name(int region)
{
	return vntb_region_names[region];
}

/**
 * vntb_layout_db_valid_mask() - doorbell bits a client may use
 * @db_count: doorbell slots, including the link and the unused slot
 *
 * Return: one bit per usable slot, 0 when @db_count is out of range.
 */
u64 vntb_layout_db_valid_mask(u32 db_count)
{
	if (db_count < VNTB_MIN_DB_COUNT || db_count > VNTB_MAX_DB_SLOTS)
		return 0;
	return GENMASK_ULL(db_count - VNTB_DB_FIRST_SLOT - 1, 0);
}

/**
 * vntb_layout_ctrl_size() - bytes of the control region with scratchpads
 * @spad_count: scratchpads per side
 *
 * Return: size of struct vntb_ctrl plus both scratchpad halves.
 */
size_t vntb_layout_ctrl_size(u32 spad_count)
{
	return sizeof(struct vntb_ctrl) + 2 * sizeof(u32) * (size_t)spad_count;
}

/**
 * vntb_layout_check_mw() - can a memory window of this size be a BAR
 * @size: window size from configfs
 * @fixed_size: the BAR's fixed size, or 0 for a programmable BAR
 * @why: on failure, a short reason for the log
 *
 * Return: 0 or -EINVAL.
 */
int vntb_layout_check_mw(u64 size, u64 fixed_size, const char **why)
{
	if (!size) {
		*why = "size is zero";
		return -EINVAL;
	}
	if (size < SZ_4K || !is_power_of_2(size)) {
		*why = "size must be a power of two of at least 4096";
		return -EINVAL;
	}
	if (fixed_size && size != fixed_size) {
		*why = "the BAR has a fixed size that differs";
		return -EINVAL;
	}
	return 0;
}
