// SPDX-License-Identifier: GPL-2.0
/*
 * vntb: configfs attributes of the function, under
 * /sys/kernel/config/pci_ep/functions/pci_epf_vntb/<func>/<epf name>/.
 *
 * Every value is range-checked when written; writes are refused with
 * -EBUSY while the function is linked to a controller, so what is in
 * force always matches what was read back. Each refusal logs one line
 * naming the attribute, the value and the reason.
 */
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/slab.h>

#include "vntb.h"

#define VNTB_MAX_MW_SIZE	BIT_ULL(40)

static struct vntb *to_vntb(struct config_item *item)
{
	return container_of(to_config_group(item), struct vntb, group);
}

/**
 * vntb_cfs_init_defaults() - configuration of a new function
 * @cfg: filled with the defaults of the in-tree driver
 */
void vntb_cfs_init_defaults(struct vntb_config *cfg)
{
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->vbus_number = 0xff;
	cfg->poll_min_us = VNTB_POLL_MIN_US;
	cfg->poll_max_us = VNTB_POLL_MAX_US;
	for (i = 0; i < VNTB_REGION_NR; i++)
		cfg->bar[i] = VNTB_BAR_AUTO;
}

static ssize_t vntb_cfs_refuse(struct vntb *vntb, const char *attr,
			       const char *page, const char *why, int err)
{
	dev_err(&vntb->epf->dev, "%s: refusing '%.*s': %s\n", attr,
		(int)strcspn(page, "\n"), page, why);
	return err;
}

/*
 * Parse and store one value under cfg_lock. @apply checks the value
 * against the rest of the configuration and stores it, or returns a
 * reason to refuse, with -EINVAL unless it sets another errno (-ERANGE
 * for a window above num_mws, as upstream answers).
 */
static ssize_t vntb_cfs_store_s64(struct config_item *item, const char *attr,
				  const char *page, size_t len, s64 min,
				  s64 max,
				  const char *(*apply)(struct vntb *, int, s64,
						       int *),
				  int arg)
{
	struct vntb *vntb = to_vntb(item);
	int err = -EINVAL;
	const char *why;
	ssize_t ret;
	s64 val;

	if (kstrtos64(page, 0, &val))
		return vntb_cfs_refuse(vntb, attr, page, "not a number",
				       -EINVAL);
	if (val < min || val > max) {
		char range[48];

		snprintf(range, sizeof(range), "out of range %lld..%lld", min,
			 max);
		return vntb_cfs_refuse(vntb, attr, page, range, -ERANGE);
	}

	mutex_lock(&vntb->cfg_lock);
	if (vntb->bound) {
		ret = vntb_cfs_refuse(vntb, attr, page,
				      "function is linked to a controller",
				      -EBUSY);
		goto out;
	}
	why = apply(vntb, arg, val, &err);
	ret = why ? vntb_cfs_refuse(vntb, attr, page, why, err) : len;
out:
	mutex_unlock(&vntb->cfg_lock);
	return ret;
}

static const char *vntb_cfs_set_spad_count(struct vntb *vntb, int arg, s64 v,
					   int *err)
{
	vntb->cfg.spad_count = v;
	return NULL;
}

static const char *vntb_cfs_set_db_count(struct vntb *vntb, int arg, s64 v,
					 int *err)
{
	vntb->cfg.db_count = v;
	return NULL;
}

static const char *vntb_cfs_set_num_mws(struct vntb *vntb, int arg, s64 v,
					int *err)
{
	vntb->cfg.num_mws = v;
	return NULL;
}

static const char *vntb_cfs_set_mw(struct vntb *vntb, int idx, s64 v,
				   int *err)
{
	const char *why;

	if (idx >= vntb->cfg.num_mws) {
		*err = -ERANGE;
		return "window index above num_mws";
	}
	if (vntb_layout_check_mw(v, 0, &why))
		return why;
	vntb->cfg.mw_size[idx] = v;
	return NULL;
}

static const char *vntb_cfs_set_vbus(struct vntb *vntb, int arg, s64 v,
				     int *err)
{
	vntb->cfg.vbus_number = v;
	return NULL;
}

static const char *vntb_cfs_set_vid(struct vntb *vntb, int arg, s64 v,
				    int *err)
{
	vntb->cfg.vid = v;
	return NULL;
}

static const char *vntb_cfs_set_pid(struct vntb *vntb, int arg, s64 v,
				    int *err)
{
	vntb->cfg.pid = v;
	return NULL;
}

static const char *vntb_cfs_set_bar(struct vntb *vntb, int region, s64 v,
				    int *err)
{
	vntb->cfg.bar[region] = v;
	return NULL;
}

static const char *vntb_cfs_set_poll_min(struct vntb *vntb, int arg, s64 v,
					 int *err)
{
	if (v > vntb->cfg.poll_max_us)
		return "above poll_max_us";
	vntb->cfg.poll_min_us = v;
	return NULL;
}

static const char *vntb_cfs_set_poll_max(struct vntb *vntb, int arg, s64 v,
					 int *err)
{
	if (v < vntb->cfg.poll_min_us)
		return "below poll_min_us";
	vntb->cfg.poll_max_us = v;
	return NULL;
}

static ssize_t vntb_cfs_show(struct config_item *item, char *page, s64 val)
{
	return sysfs_emit(page, "%lld\n", val);
}

#define VNTB_CFS_ATTR(_name, _field, _min, _max, _apply, _arg)		\
static ssize_t vntb_cfs_##_name##_show(struct config_item *item,	\
				       char *page)			\
{									\
	return vntb_cfs_show(item, page, to_vntb(item)->cfg._field);	\
}									\
static ssize_t vntb_cfs_##_name##_store(struct config_item *item,	\
					const char *page, size_t len)	\
{									\
	return vntb_cfs_store_s64(item, #_name, page, len, _min, _max,	\
				  _apply, _arg);			\
}									\
CONFIGFS_ATTR(vntb_cfs_, _name)

VNTB_CFS_ATTR(spad_count, spad_count, 0, VNTB_MAX_SPADS,
	      vntb_cfs_set_spad_count, 0);
VNTB_CFS_ATTR(db_count, db_count, VNTB_MIN_DB_COUNT, VNTB_MAX_DB_SLOTS,
	      vntb_cfs_set_db_count, 0);
VNTB_CFS_ATTR(num_mws, num_mws, 1, VNTB_MAX_MWS, vntb_cfs_set_num_mws, 0);
VNTB_CFS_ATTR(mw1, mw_size[0], 0, VNTB_MAX_MW_SIZE, vntb_cfs_set_mw, 0);
VNTB_CFS_ATTR(mw2, mw_size[1], 0, VNTB_MAX_MW_SIZE, vntb_cfs_set_mw, 1);
VNTB_CFS_ATTR(mw3, mw_size[2], 0, VNTB_MAX_MW_SIZE, vntb_cfs_set_mw, 2);
VNTB_CFS_ATTR(mw4, mw_size[3], 0, VNTB_MAX_MW_SIZE, vntb_cfs_set_mw, 3);
VNTB_CFS_ATTR(vbus_number, vbus_number, 0, 0xff, vntb_cfs_set_vbus, 0);
VNTB_CFS_ATTR(vntb_vid, vid, 0, 0xffff, vntb_cfs_set_vid, 0);
VNTB_CFS_ATTR(vntb_pid, pid, 0, 0xffff, vntb_cfs_set_pid, 0);
VNTB_CFS_ATTR(ctrl_bar, bar[VNTB_REGION_CTRL], VNTB_BAR_AUTO, BAR_5,
	      vntb_cfs_set_bar, VNTB_REGION_CTRL);
VNTB_CFS_ATTR(db_bar, bar[VNTB_REGION_DB], VNTB_BAR_AUTO, BAR_5,
	      vntb_cfs_set_bar, VNTB_REGION_DB);
VNTB_CFS_ATTR(mw1_bar, bar[VNTB_REGION_MW1], VNTB_BAR_AUTO, BAR_5,
	      vntb_cfs_set_bar, VNTB_REGION_MW1);
VNTB_CFS_ATTR(mw2_bar, bar[VNTB_REGION_MW1 + 1], VNTB_BAR_AUTO, BAR_5,
	      vntb_cfs_set_bar, VNTB_REGION_MW1 + 1);
VNTB_CFS_ATTR(mw3_bar, bar[VNTB_REGION_MW1 + 2], VNTB_BAR_AUTO, BAR_5,
	      vntb_cfs_set_bar, VNTB_REGION_MW1 + 2);
VNTB_CFS_ATTR(mw4_bar, bar[VNTB_REGION_MW1 + 3], VNTB_BAR_AUTO, BAR_5,
	      vntb_cfs_set_bar, VNTB_REGION_MW1 + 3);
VNTB_CFS_ATTR(poll_min_us, poll_min_us, 1, VNTB_POLL_LIMIT_US,
	      vntb_cfs_set_poll_min, 0);
VNTB_CFS_ATTR(poll_max_us, poll_max_us, 1, VNTB_POLL_LIMIT_US,
	      vntb_cfs_set_poll_max, 0);

static struct configfs_attribute *vntb_cfs_attrs[] = {
	&vntb_cfs_attr_spad_count,
	&vntb_cfs_attr_db_count,
	&vntb_cfs_attr_num_mws,
	&vntb_cfs_attr_mw1,
	&vntb_cfs_attr_mw2,
	&vntb_cfs_attr_mw3,
	&vntb_cfs_attr_mw4,
	&vntb_cfs_attr_vbus_number,
	&vntb_cfs_attr_vntb_vid,
	&vntb_cfs_attr_vntb_pid,
	&vntb_cfs_attr_ctrl_bar,
	&vntb_cfs_attr_db_bar,
	&vntb_cfs_attr_mw1_bar,
	&vntb_cfs_attr_mw2_bar,
	&vntb_cfs_attr_mw3_bar,
	&vntb_cfs_attr_mw4_bar,
	&vntb_cfs_attr_poll_min_us,
	&vntb_cfs_attr_poll_max_us,
	NULL,
};

static const struct config_item_type vntb_cfs_type = {
	.ct_attrs	= vntb_cfs_attrs,
	.ct_owner	= THIS_MODULE,
};

/**
 * vntb_cfs_add() - the function's configfs group (pci_epf_ops.add_cfs)
 * @epf: the endpoint function
 * @group: the function's parent group
 *
 * The endpoint core calls this even when our probe failed (it keeps
 * epf->driver set), so a function without private data gets no group.
 *
 * Return: the group holding the vNTB attributes, or ERR_PTR(-ENODEV).
 */
struct config_group *vntb_cfs_add(struct pci_epf *epf,
				  struct config_group *group)
{
	struct vntb *vntb = epf_get_drvdata(epf);

	if (!vntb) {
		dev_err(&epf->dev, "no attributes: the function failed to probe\n");
		return ERR_PTR(-ENODEV);
	}
	config_group_init_type_name(&vntb->group, dev_name(&epf->dev),
				    &vntb_cfs_type);
	return &vntb->group;
}
