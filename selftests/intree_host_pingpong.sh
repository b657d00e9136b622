#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The in-tree pci-epf-vntb rings the host's doorbell inline, through
# pci_epc_raise_irq(), which takes a mutex; ntb_pingpong rings from an
# hrtimer under a spinlock. Across the sim's host mode this must splat
# ("sleeping function called from invalid context"): the boot running
# this test is expected red. vntb_host_perf.sh runs the same on ours.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 1

host_sim_load 1 imx8
C=pci-epc-sim.0
modprobe ntb_hw_epf
intree_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C

modprobe ntb_pingpong delay_ms=50
PP=/sys/kernel/debug/ntb_pingpong/0000:ff:00.0
pp_count() { [ "$(cat $PP/count)" -ge 3 ]; }
ktap_result "in-tree pingpong: the endpoint rang the host from its hrtimer" \
	wait_until 10000 pp_count
rmmod ntb_pingpong
host_remove $C
echo 0 > $CFS/controllers/$C/start
ktap_finish
