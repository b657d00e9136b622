#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A report, not a gate: whether the in-tree pci-epf-vntb of the test
# kernel rings the host's doorbell inline, through pci_epc_raise_irq(),
# which takes a mutex, while ntb_pingpong rings from an hrtimer under a
# spinlock. Where it does, this boot splats ("sleeping function called
# from invalid context"), and the runner prints that splat with the row.
# vntb_host_perf.sh runs the same on ours, and gates on it.

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
intree_row "ping-pong from the endpoint's hrtimer works" \
	wait_until 10000 pp_count
rmmod ntb_pingpong
host_remove $C
echo 0 > $CFS/controllers/$C/start
ktap_finish
