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

/*
 * The BAR maps the host's ntb_hw_epf chooses by the function's vendor and
 * device IDs (its ntb_epf_pci_tbl). A map puts each region on one BAR;
 * VNTB_BAR_AUTO marks a window the map has no BAR for. J721E's map was
 * made for pci-epf-ntb: it wants the scratchpads on a BAR of their own
 * and window 1 on the doorbell BAR, which vntb's layout cannot give.
 */
struct vntb_host_map {
	u16 vendor;
	u16 device;
	const char *name;
	int bar[VNTB_REGION_NR];
	const char *unserved;
};

static const struct vntb_host_map vntb_host_maps[] = {
	{ 0x1957, 0x0809, "i.MX8",
	  { BAR_0, BAR_2, BAR_4, BAR_5, VNTB_BAR_AUTO, VNTB_BAR_AUTO } },
	{ 0x1912, 0x0030, "R-Car",
	  { BAR_0, BAR_4, BAR_2, VNTB_BAR_AUTO, VNTB_BAR_AUTO, VNTB_BAR_AUTO } },
	{ 0x104c, 0xb00d, "J721E", { VNTB_BAR_AUTO },
	  "made for pci-epf-ntb, with scratchpads on BAR 1 and window 1 on the doorbell BAR" },
};

static const struct vntb_host_map *
vntb_layout_find_map(const struct pci_epf_header *header)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(vntb_host_maps); i++)
		if (vntb_host_maps[i].vendor == header->vendorid &&
		    vntb_host_maps[i].device == header->deviceid)
			return &vntb_host_maps[i];
	return NULL;
}

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
 * Place every region on the BAR the host driver's map gives it. A user
 * choice must be that BAR; the map's BAR must suit the controller.
 */
static int vntb_layout_follow_map(const struct vntb_config *cfg,
				  const struct pci_epc_features *features,
				  const struct vntb_host_map *map,
				  enum pci_barno *bar,
				  struct vntb_layout_refusal *refusal)
{
	int nr = VNTB_REGION_MW1 + cfg->num_mws;
	unsigned long taken = 0;
	const char *why;
	int region, barno, maps;

	if (map->unserved) {
		snprintf(refusal->text, sizeof(refusal->text),
			 "ntb_hw_epf maps %04x:%04x (%s) %s; choose other IDs",
			 map->vendor, map->device, map->name, map->unserved);
		return vntb_layout_refuse(refusal, "deviceid", VNTB_BAR_AUTO,
					  refusal->text, -EINVAL);
	}
	for (maps = 0; maps < VNTB_MAX_MWS; maps++)
		if (map->bar[VNTB_REGION_MW1 + maps] == VNTB_BAR_AUTO)
			break;
	if (cfg->num_mws > maps) {
		snprintf(refusal->text, sizeof(refusal->text),
			 "ntb_hw_epf maps %d window(s) for %04x:%04x (%s), not %u",
			 maps, map->vendor, map->device, map->name,
			 cfg->num_mws);
		return vntb_layout_refuse(refusal, "num_mws", VNTB_BAR_AUTO,
					  refusal->text, -EINVAL);
	}

	for (region = 0; region < nr; region++) {
		barno = map->bar[region];
		if (cfg->bar[region] != VNTB_BAR_AUTO &&
		    cfg->bar[region] != barno) {
			snprintf(refusal->text, sizeof(refusal->text),
				 "ntb_hw_epf expects it on BAR %d for %04x:%04x (%s)",
				 barno, map->vendor, map->device, map->name);
			return vntb_layout_refuse(refusal,
						  vntb_region_names[region],
						  cfg->bar[region],
						  refusal->text, -EINVAL);
		}
		why = vntb_layout_bar_unfit(cfg, features, region, barno, taken);
		if (why) {
			snprintf(refusal->text, sizeof(refusal->text),
				 "%s; ntb_hw_epf expects it there for %04x:%04x (%s)",
				 why, map->vendor, map->device, map->name);
			return vntb_layout_refuse(refusal,
						  vntb_region_names[region],
						  barno, refusal->text, -EINVAL);
		}
		bar[region] = barno;
		taken |= vntb_layout_take(cfg, features, region, barno);
	}
	return 0;
}

/*
 * Place every region the function needs, for IDs no host driver map
 * knows. User choices are placed first and must name a BAR that exists,
 * is not reserved and is not already used (a 64-bit BAR uses the next one
 * too). The remaining regions take the lowest free BARs in order:
 * control, doorbell, then the memory windows. Returns 0, -EINVAL for a bad
 * user choice, -ENOSPC when BARs run out.
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
 * @header: the configuration header, whose IDs choose the host's BAR map
 * @features: what the controller offers
 * @bar: filled with the BAR of each region the function needs
 * @refusal: on failure, what is refused (an attribute or "controller"),
 *           the BAR concerned or VNTB_BAR_AUTO, and why
 *
 * Everything about a configuration that can refuse a link, in one pass:
 * the settings that go together, the controller's interrupts, the BAR of
 * each region and the size of each window on its BAR. When the IDs are
 * ones the host's ntb_hw_epf knows, every region goes on the BAR that
 * driver's map gives it; otherwise on the BARs asked for, the rest on
 * the lowest free ones.
 *
 * Return: 0, or a negative errno with @refusal filled.
 */
int vntb_layout_check(const struct vntb_config *cfg,
		      const struct pci_epf_header *header,
		      const struct pci_epc_features *features,
		      enum pci_barno *bar,
		      struct vntb_layout_refusal *refusal)
{
	const struct vntb_host_map *map = vntb_layout_find_map(header);
	const char *why;
	int i, ret;

	ret = vntb_layout_check_settings(cfg, refusal);
	if (ret)
		return ret;
	if (!features->msi_capable && !features->msix_capable)
		return vntb_layout_refuse(refusal, "controller", VNTB_BAR_AUTO,
					  "has neither MSI nor MSI-X, needed for doorbells to the host",
					  -EOPNOTSUPP);
	if (map)
		ret = vntb_layout_follow_map(cfg, features, map, bar, refusal);
	else
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
 * vntb_layout_describe() - the BARs of a linked function, for its log line
 * @cfg: the configuration in force
 * @header: the configuration header
 * @bar: the BAR of each region, as vntb_layout_check() chose them
 * @buf: filled with the description
 * @len: size of @buf
 *
 * Says which BAR holds which region and whether the host's ntb_hw_epf
 * knows the IDs, for instance "ctrl BAR 0, db BAR 2, mw1 BAR 4, as
 * ntb_hw_epf maps 1957:0809 (i.MX8)".
 */
void vntb_layout_describe(const struct vntb_config *cfg,
			  const struct pci_epf_header *header,
			  const enum pci_barno *bar, char *buf, size_t len)
{
	const struct vntb_host_map *map = vntb_layout_find_map(header);
	size_t n;
	int i;

	n = scnprintf(buf, len, "ctrl BAR %d, db BAR %d", bar[VNTB_REGION_CTRL],
		      bar[VNTB_REGION_DB]);
	for (i = 0; i < cfg->num_mws; i++)
		n += scnprintf(buf + n, len - n, ", %s BAR %d", vntb_mw_names[i],
			       bar[VNTB_REGION_MW1 + i]);
	if (map)
		scnprintf(buf + n, len - n, ", as ntb_hw_epf maps %04x:%04x (%s)",
			  map->vendor, map->device, map->name);
	else
		scnprintf(buf + n, len - n,
			  "; ntb_hw_epf has no map for %04x:%04x, the host's driver must expect these",
			  header->vendorid, header->deviceid);
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
