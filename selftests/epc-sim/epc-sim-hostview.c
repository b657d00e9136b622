// SPDX-License-Identifier: GPL-2.0
/*
 * pci-epc-sim: the host view, in debugfs.
 *
 * /sys/kernel/debug/pci-epc-sim/pci-epc-sim.N/
 *   header    the configuration header the function wrote
 *   bars      one line per BAR: number, size, translation, flags, backing
 *   bar0..5   the BAR's bytes as the host reads and writes them
 *   outbound  one line per outbound mapping: phys, pci address, size
 *   window    the bytes of the outbound window
 *   irqs      interrupts raised, per vector
 *   state     started, start/stop counts, MSI vectors, contract violations
 *   faults    "OP COUNT ERRNO [SKIP]": after SKIP calls of OP pass, the
 *             next COUNT fail with ERRNO
 *   exhaust   1: hold all free outbound space; 0: give it back
 *   linkup    any write: signal link up to the functions
 *   linkdown  any write: signal link down to the functions, as a
 *             controller does when the host reboots or the link drops
 *             (kernels with pci_epc_linkdown() only)
 *   reinit    any write: the controller loses and regains its
 *             configuration, as on a PERST# cycle: the functions get
 *             epc_deinit, then epc_init (kernels with epc_deinit only)
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "epc-sim.h"

const char *const epc_sim_op_names[EPC_SIM_OP_NR] = {
	[EPC_SIM_OP_WRITE_HEADER]	= "write_header",
	[EPC_SIM_OP_SET_BAR]		= "set_bar",
	[EPC_SIM_OP_MAP_ADDR]		= "map_addr",
	[EPC_SIM_OP_SET_MSI]		= "set_msi",
	[EPC_SIM_OP_RAISE_IRQ]		= "raise_irq",
	[EPC_SIM_OP_START]		= "start",
};

static int epc_sim_header_show(struct seq_file *s, void *unused)
{
	struct epc_sim *sim = s->private;
	struct pci_epf_header *h = &sim->header;

	mutex_lock(&sim->lock);
	if (sim->header_written)
		seq_printf(s,
			   "vendorid 0x%04x\ndeviceid 0x%04x\nrevid 0x%02x\n"
			   "progif 0x%02x\nsubclass 0x%02x\nbaseclass 0x%02x\n"
			   "subsys_vendor_id 0x%04x\nsubsys_id 0x%04x\n"
			   "interrupt_pin %d\n",
			   h->vendorid, h->deviceid, h->revid, h->progif_code,
			   h->subclass_code, h->baseclass_code,
			   h->subsys_vendor_id, h->subsys_id, h->interrupt_pin);
	mutex_unlock(&sim->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(epc_sim_header);

static int epc_sim_bars_show(struct seq_file *s, void *unused)
{
	struct epc_sim *sim = s->private;
	int i;

	mutex_lock(&sim->lock);
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct epc_sim_bar *bar = &sim->bar[i];

		if (bar->size)
			seq_printf(s, "%d size=0x%llx phys=%pa flags=0x%x backed=%d\n",
				   i, bar->size, &bar->phys, bar->flags,
				   !!bar->virt);
	}
	mutex_unlock(&sim->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(epc_sim_bars);

static ssize_t epc_sim_bar_read(struct file *file, char __user *buf,
				size_t len, loff_t *ppos)
{
	struct epc_sim_bar_view *view = file->private_data;
	struct epc_sim *sim = view->sim;
	struct epc_sim_bar *bar = &sim->bar[view->barno];
	ssize_t ret = -ENXIO;

	mutex_lock(&sim->lock);
	if (bar->virt)
		ret = simple_read_from_buffer(buf, len, ppos, bar->virt,
					      bar->size);
	mutex_unlock(&sim->lock);
	return ret;
}

static ssize_t epc_sim_bar_write(struct file *file, const char __user *buf,
				 size_t len, loff_t *ppos)
{
	struct epc_sim_bar_view *view = file->private_data;
	struct epc_sim *sim = view->sim;
	struct epc_sim_bar *bar = &sim->bar[view->barno];
	ssize_t ret = -ENXIO;

	mutex_lock(&sim->lock);
	if (bar->virt)
		ret = simple_write_to_buffer(bar->virt, bar->size, ppos, buf,
					     len);
	mutex_unlock(&sim->lock);
	return ret;
}

static const struct file_operations epc_sim_bar_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= epc_sim_bar_read,
	.write	= epc_sim_bar_write,
	.llseek	= default_llseek,
};

static int epc_sim_outbound_show(struct seq_file *s, void *unused)
{
	struct epc_sim *sim = s->private;
	int i;

	mutex_lock(&sim->lock);
	for (i = 0; i < EPC_SIM_MAX_MAPS; i++) {
		struct epc_sim_map *map = &sim->map[i];

		if (map->size)
			seq_printf(s, "phys=%pa offset=0x%llx pci=0x%llx size=0x%zx\n",
				   &map->phys,
				   (unsigned long long)(map->phys - sim->ob_base),
				   map->pci_addr, map->size);
	}
	mutex_unlock(&sim->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(epc_sim_outbound);

static ssize_t epc_sim_window_read(struct file *file, char __user *buf,
				   size_t len, loff_t *ppos)
{
	struct epc_sim *sim = file->private_data;

	if (!sim->ob_virt)
		return -ENXIO;
	return simple_read_from_buffer(buf, len, ppos, sim->ob_virt,
				       sim->ob_size);
}

static ssize_t epc_sim_window_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	struct epc_sim *sim = file->private_data;

	if (!sim->ob_virt)
		return -ENXIO;
	return simple_write_to_buffer(sim->ob_virt, sim->ob_size, ppos, buf,
				      len);
}

static const struct file_operations epc_sim_window_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= epc_sim_window_read,
	.write	= epc_sim_window_write,
	.llseek	= default_llseek,
};

static int epc_sim_irqs_show(struct seq_file *s, void *unused)
{
	struct epc_sim *sim = s->private;
	int i;

	mutex_lock(&sim->lock);
	seq_printf(s, "intx %lu\n", sim->irq_count[0]);
	for (i = 1; i <= EPC_SIM_MAX_IRQS; i++)
		seq_printf(s, "msi%d %lu\n", i, sim->irq_count[i]);
	mutex_unlock(&sim->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(epc_sim_irqs);

static int epc_sim_state_show(struct seq_file *s, void *unused)
{
	struct epc_sim *sim = s->private;

	mutex_lock(&sim->lock);
	seq_printf(s, "preset %s\nstarted %d\nstarts %u\nstops %u\n"
		   "msi_vectors %u\nmsix_vectors %u\nviolations %u\n",
		   sim->preset, sim->started, sim->start_count,
		   sim->stop_count,
		   sim->features.msi_capable ? 1U << sim->msi_encoded : 0,
		   sim->msix_count, sim->violations);
	mutex_unlock(&sim->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(epc_sim_state);

static int epc_sim_faults_show(struct seq_file *s, void *unused)
{
	struct epc_sim *sim = s->private;
	int op;

	mutex_lock(&sim->lock);
	for (op = 0; op < EPC_SIM_OP_NR; op++)
		seq_printf(s, "%s %u %d %u\n", epc_sim_op_names[op],
			   sim->fault[op].count, sim->fault[op].err,
			   sim->fault[op].skip);
	mutex_unlock(&sim->lock);
	return 0;
}

static int epc_sim_faults_open(struct inode *inode, struct file *file)
{
	return single_open(file, epc_sim_faults_show, inode->i_private);
}

static ssize_t epc_sim_faults_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	struct epc_sim *sim = file_inode(file)->i_private;
	char line[64], name[32];
	unsigned int count, skip = 0;
	int op, err;

	if (len >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, buf, len))
		return -EFAULT;
	line[len] = '\0';
	if (sscanf(line, "%31s %u %d %u", name, &count, &err, &skip) < 3 ||
	    err < -MAX_ERRNO || err >= 0)
		return -EINVAL;
	op = match_string(epc_sim_op_names, EPC_SIM_OP_NR, name);
	if (op < 0)
		return op;

	mutex_lock(&sim->lock);
	sim->fault[op].skip = skip;
	sim->fault[op].count = count;
	sim->fault[op].err = err;
	mutex_unlock(&sim->lock);
	return len;
}

static const struct file_operations epc_sim_faults_fops = {
	.owner		= THIS_MODULE,
	.open		= epc_sim_faults_open,
	.read		= seq_read,
	.write		= epc_sim_faults_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static int epc_sim_exhaust_get(void *data, u64 *val)
{
	struct epc_sim *sim = data;

	*val = !!sim->exhaust;
	return 0;
}

static int epc_sim_exhaust_set(void *data, u64 val)
{
	struct epc_sim *sim = data;
	int ret = 0;

	mutex_lock(&sim->lock);
	if (val)
		ret = epc_sim_exhaust_take(sim);
	else
		epc_sim_exhaust_release(sim);
	mutex_unlock(&sim->lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(epc_sim_exhaust_fops, epc_sim_exhaust_get,
			 epc_sim_exhaust_set, "%llu\n");

static int epc_sim_linkup_set(void *data, u64 val)
{
	struct epc_sim *sim = data;

	pci_epc_linkup(sim->epc);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(epc_sim_linkup_fops, NULL, epc_sim_linkup_set,
			 "%llu\n");

#ifdef EPC_SIM_HAVE_EPC_LINKDOWN
static int epc_sim_linkdown_set(void *data, u64 val)
{
	struct epc_sim *sim = data;

	pci_epc_linkdown(sim->epc);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(epc_sim_linkdown_fops, NULL, epc_sim_linkdown_set,
			 "%llu\n");
#endif

#ifdef EPC_SIM_HAVE_EPC_DEINIT
static int epc_sim_reinit_set(void *data, u64 val)
{
	struct epc_sim *sim = data;

	pci_epc_deinit_notify(sim->epc);
	pci_epc_init_notify(sim->epc);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(epc_sim_reinit_fops, NULL, epc_sim_reinit_set,
			 "%llu\n");
#endif

/**
 * epc_sim_hostview_create() - create the debugfs host view of a controller
 * @sim: the controller
 * @parent: the module's debugfs directory
 */
void epc_sim_hostview_create(struct epc_sim *sim, struct dentry *parent)
{
	char name[8];
	int i;

	sim->dir = debugfs_create_dir(dev_name(&sim->pdev->dev), parent);
	debugfs_create_file("header", 0444, sim->dir, sim, &epc_sim_header_fops);
	debugfs_create_file("bars", 0444, sim->dir, sim, &epc_sim_bars_fops);
	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		sim->bar_view[i].sim = sim;
		sim->bar_view[i].barno = i;
		snprintf(name, sizeof(name), "bar%d", i);
		debugfs_create_file(name, 0600, sim->dir, &sim->bar_view[i],
				    &epc_sim_bar_fops);
	}
	debugfs_create_file("outbound", 0444, sim->dir, sim,
			    &epc_sim_outbound_fops);
	debugfs_create_file("window", 0600, sim->dir, sim, &epc_sim_window_fops);
	debugfs_create_file("irqs", 0444, sim->dir, sim, &epc_sim_irqs_fops);
	debugfs_create_file("state", 0444, sim->dir, sim, &epc_sim_state_fops);
	debugfs_create_file("faults", 0600, sim->dir, sim, &epc_sim_faults_fops);
	debugfs_create_file_unsafe("exhaust", 0600, sim->dir, sim,
				   &epc_sim_exhaust_fops);
	debugfs_create_file_unsafe("linkup", 0200, sim->dir, sim,
				   &epc_sim_linkup_fops);
#ifdef EPC_SIM_HAVE_EPC_LINKDOWN
	debugfs_create_file_unsafe("linkdown", 0200, sim->dir, sim,
				   &epc_sim_linkdown_fops);
#endif
#ifdef EPC_SIM_HAVE_EPC_DEINIT
	debugfs_create_file_unsafe("reinit", 0200, sim->dir, sim,
				   &epc_sim_reinit_fops);
#endif
}

/**
 * epc_sim_hostview_remove() - remove the debugfs host view of a controller
 * @sim: the controller
 */
void epc_sim_hostview_remove(struct epc_sim *sim)
{
	debugfs_remove_recursive(sim->dir);
}
