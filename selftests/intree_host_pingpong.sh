#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The in-tree pci-epf-vntb rings the host's doorbell inline, through
# pci_epc_raise_irq(), which takes a mutex; ntb_pingpong rings from an
# hrtimer under a spinlock. Across the sim's host mode this must splat
# ("sleeping function called from invalid context"): the boot running
# this test is expected red. vntb_host_perf.sh runs the same on ours.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/host.sh

ktap_header
ktap_plan 1

host_sim_load 1 imx8
C=pci-epc-sim.0
modprobe ntb
modprobe ntb_hw_epf
insmod "$MODDIR/kernel/drivers/pci/endpoint/functions/pci-epf-vntb.ko"
F=$CFS/functions/pci_epf_vntb/v0
mkdir $F
echo 0x1957 > $F/vendorid
echo 0x0809 > $F/deviceid
echo 4 > $F/pci_epf_vntb.0/db_count
echo 16 > $F/pci_epf_vntb.0/spad_count
echo 1 > $F/pci_epf_vntb.0/num_mws
echo 0x100000 > $F/pci_epf_vntb.0/mw1
echo 0x104c > $F/pci_epf_vntb.0/vntb_vid
echo 0xb00d > $F/pci_epf_vntb.0/vntb_pid
ln -s $F $CFS/controllers/$C/
echo 1 > $CFS/controllers/$C/start

modprobe ntb_pingpong delay_ms=50
PP=/sys/kernel/debug/ntb_pingpong/0000:ff:00.0
pp_count() { [ "$(cat $PP/count)" -ge 3 ]; }
ktap_result "in-tree pingpong: the endpoint rang the host from its hrtimer" \
	wait_until 10000 pp_count
rmmod ntb_pingpong
host_remove $C
echo 0 > $CFS/controllers/$C/start
ktap_finish
