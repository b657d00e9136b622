#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The seed bugs, against our module: the same sequence intree_seed.sh
# runs against the in-tree one. Unlink releases every controller
# resource once and removes the virtual bus; relink and restart work with
# new settings; the function can be destroyed and the module unloaded at
# once after unlink (a work item still queued would be caught by the
# debug-objects and KASAN checks as a splat).

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 7

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C
host_cmd $C 5 0 > /dev/null
vntb_down v0 $C

ktap_result "unlink clears each BAR once, and only BARs it set" \
	test "$(sim_state $C violations)" = 0
ktap_result "unlink leaves no BAR set on the controller" sim_empty $C bars
ktap_result "unlink removes the virtual PCI device and the NTB device" \
	test ! -e /sys/bus/pci/devices/"$(vdev ff)" -a \
	-z "$(ls /sys/bus/ntb/devices)"

echo 8 > "$(vntb_attr v0 spad_count)"
ktap_result "relink and restart after a reconfiguration" vntb_up v0 $C
ktap_result "the host sees the new spad_count" \
	test "$(hv_read32 $C 0 0x2c)" = 8
ktap_result "LINK_UP is answered after the relink" \
	test "$(host_cmd $C 5 0)" = 1

vntb_down v0 $C
vntb_destroy v0
ktap_result "function destroyed and module unloaded right after unlink" \
	rmmod pci_epf_vntb
sim_unload
ktap_finish
