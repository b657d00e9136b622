// SPDX-License-Identifier: GPL-2.0
/*
 * vntb-splat-probe: a test module that WARNs once when loaded, so the
 * rig can show that its splat detector turns a run red.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vntb_splat_probe_init(void)
{
	WARN(1, "vntb-splat-probe: deliberate warning\n");
	return 0;
}
module_init(vntb_splat_probe_init);

static void __exit vntb_splat_probe_exit(void)
{
}
module_exit(vntb_splat_probe_exit);

MODULE_DESCRIPTION("Deliberate WARN for the rig's splat detector self-test");
MODULE_LICENSE("GPL");
