#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The rig is real: functions nobody here wrote work on the simulated
# controller. (a) the in-tree pci-epf-test links, starts and shows its
# header and BARs to the host view; (b) the in-tree pci-epf-vntb links
# and answers a command the host view writes into its control BAR.

. ./lib/ktap.sh
. ./lib/rig.sh

ktap_header
ktap_plan 6

sim_load 1 generic
C=pci-epc-sim.0

modprobe pci-epf-test
mkdir $CFS/functions/pci_epf_test/t0
echo 0x104c > $CFS/functions/pci_epf_test/t0/vendorid
echo 0xb500 > $CFS/functions/pci_epf_test/t0/deviceid
ln -s $CFS/functions/pci_epf_test/t0 $CFS/controllers/$C/
echo 1 > $CFS/controllers/$C/start

ktap_result "epf-test: host view shows the header it wrote" \
	grep -q "deviceid 0xb500" $SIMDBG/$C/header
ktap_result "epf-test: host view shows its six BARs" \
	test "$(wc -l < $SIMDBG/$C/bars)" -eq 6
ktap_result "epf-test: controller started" test "$(sim_state $C started)" = 1

echo 0 > $CFS/controllers/$C/start
rm $CFS/controllers/$C/t0
rmdir $CFS/functions/pci_epf_test/t0
rmmod pci_epf_test

modprobe ntb
insmod "$MODDIR/kernel/drivers/pci/endpoint/functions/pci-epf-vntb.ko"
F=$CFS/functions/pci_epf_vntb/v0
mkdir $F
echo 0x1957 > $F/vendorid
echo 0x0809 > $F/deviceid
echo 4 > $F/pci_epf_vntb.0/db_count
echo 16 > $F/pci_epf_vntb.0/spad_count
echo 1 > $F/pci_epf_vntb.0/num_mws
echo 0x100000 > $F/pci_epf_vntb.0/mw1
# without these IDs the in-tree virtual device never binds, and a LINK_UP
# then takes the unregistered NTB device's uninitialised lock (lockdep)
echo 0x104c > $F/pci_epf_vntb.0/vntb_vid
echo 0xb00d > $F/pci_epf_vntb.0/vntb_pid
ln -s $F $CFS/controllers/$C/
echo 1 > $CFS/controllers/$C/start

ktap_result "in-tree vntb: control BAR reports spad_count 16" \
	test "$(hv_read32 $C 0 0x2c)" = 16
hv_write32 $C 0 0x4 0
hv_write32 $C 0 0x0 5
answered() { [ "$(hv_read16 $C 0 0x8)" = 1 ]; }
ktap_result "in-tree vntb: LINK_UP written by the host is answered OK" \
	wait_until 2000 answered
ktap_result "in-tree vntb: link_status shows the link up" \
	test "$(hv_read16 $C 0 0xa)" = 1

# The in-tree driver cannot unlink cleanly (seed bugs); leave it bound
# and let the boot end here, as the other tests run in their own boots.
echo 0 > $CFS/controllers/$C/start
ktap_finish
