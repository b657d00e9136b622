// SPDX-License-Identifier: GPL-2.0
/*
 * vntb-dma-client: an NTB client that backs memory window 0 of every NTB
 * device with a buffer it allocates as ntb_transport does, against the
 * device ntb_get_dma_dev() names (on kernels without it, the NTB
 * device's PCI device, as the clients there do). It shows what it got:
 *
 *   /sys/kernel/debug/vntb-dma-client/<device>/dma_dev   its bus and name
 *   /sys/kernel/debug/vntb-dma-client/<device>/buffer    the buffer, read-only
 *
 * A test writes through the host's view of the window and reads the
 * buffer back. Loaded with free_twice=1 it frees the buffer twice when
 * removed, as two of ntb_transport's link cleanups racing can: the rig's
 * controller must report that and keep the window's memory.
 */
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/ntb.h>

/**
 * struct dma_client - one NTB device
 * @dma_dev: the device the buffer was allocated against
 * @dir: its debugfs directory
 * @blob: the buffer, as debugfs shows it
 * @addr: the buffer's DMA address
 */
struct dma_client {
	struct device *dma_dev;
	struct dentry *dir;
	struct debugfs_blob_wrapper blob;
	dma_addr_t addr;
};

static struct dentry *dma_client_root;

static bool free_twice;
module_param(free_twice, bool, 0444);
MODULE_PARM_DESC(free_twice, "free the buffer twice when removed");
/* no doorbell or link event is of interest */
static const struct ntb_ctx_ops dma_client_ctx_ops;

static struct device *dma_client_pick_dev(struct ntb_dev *ntb)
{
#ifdef HAVE_NTB_GET_DMA_DEV
	return ntb_get_dma_dev(ntb);
#else
	return &ntb->pdev->dev;
#endif
}

static int dma_client_dev_show(struct seq_file *s, void *unused)
{
	struct dma_client *dc = s->private;

	seq_printf(s, "%s %s\n", dev_bus_name(dc->dma_dev), dev_name(dc->dma_dev));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dma_client_dev);

static int dma_client_probe(struct ntb_client *client, struct ntb_dev *ntb)
{
	resource_size_t size;
	struct dma_client *dc;
	int ret;

	ret = ntb_mw_get_align(ntb, NTB_DEF_PEER_IDX, 0, NULL, NULL, &size);
	if (ret)
		return ret;
	dc = devm_kzalloc(&ntb->dev, sizeof(*dc), GFP_KERNEL);
	if (!dc)
		return -ENOMEM;
	dc->dma_dev = dma_client_pick_dev(ntb);
	dc->blob.data = dma_alloc_coherent(dc->dma_dev, size, &dc->addr,
					   GFP_KERNEL);
	if (!dc->blob.data)
		return -ENOMEM;
	dc->blob.size = size;
	ret = ntb_mw_set_trans(ntb, NTB_DEF_PEER_IDX, 0, dc->addr, size);
	if (!ret)
		ret = ntb_set_ctx(ntb, dc, &dma_client_ctx_ops);
	if (ret) {
		ntb_mw_clear_trans(ntb, NTB_DEF_PEER_IDX, 0);
		dma_free_coherent(dc->dma_dev, size, dc->blob.data, dc->addr);
		return ret;
	}
	dc->dir = debugfs_create_dir(dev_name(&ntb->dev), dma_client_root);
	debugfs_create_file("dma_dev", 0444, dc->dir, dc,
			    &dma_client_dev_fops);
	debugfs_create_blob("buffer", 0444, dc->dir, &dc->blob);
	return 0;
}

static void dma_client_remove(struct ntb_client *client, struct ntb_dev *ntb)
{
	struct dma_client *dc = ntb->ctx;

	debugfs_remove_recursive(dc->dir);
	ntb_mw_clear_trans(ntb, NTB_DEF_PEER_IDX, 0);
	dma_free_coherent(dc->dma_dev, dc->blob.size, dc->blob.data, dc->addr);
	if (free_twice)
		dma_free_coherent(dc->dma_dev, dc->blob.size, dc->blob.data,
				  dc->addr);
	ntb_clear_ctx(ntb);
}

static struct ntb_client dma_client = {
	.ops = {
		.probe	= dma_client_probe,
		.remove	= dma_client_remove,
	},
};

static int __init dma_client_init(void)
{
	int ret;

	dma_client_root = debugfs_create_dir("vntb-dma-client", NULL);
	ret = ntb_register_client(&dma_client);
	if (ret)
		debugfs_remove_recursive(dma_client_root);
	return ret;
}
module_init(dma_client_init);

static void __exit dma_client_exit(void)
{
	ntb_unregister_client(&dma_client);
	debugfs_remove_recursive(dma_client_root);
}
module_exit(dma_client_exit);

MODULE_DESCRIPTION("An NTB client backing window 0 against the NTB DMA device");
MODULE_LICENSE("GPL");
