#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Module unload: rmmod is refused (EBUSY) while any function exists,
# created or linked, and leaves the functions working; once they are
# destroyed the module unloads and loads again.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 5

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 db_count=4 spad_count=8 num_mws=1 mw1=0x10000

refused() {
	! rmmod pci_epf_vntb 2>/dev/null && test -d /sys/module/pci_epf_vntb
}
still_works() {
	test "$(cat "$(vntb_attr v0 spad_count)")" = 8 && vntb_up v0 $C
}
ktap_result "rmmod refused while a function exists" refused
ktap_result "the function still works after the refusal" still_works
ktap_result "rmmod refused while a function is linked and started" \
	refused
vntb_down v0 $C
vntb_destroy v0
ktap_result "rmmod succeeds once the functions are gone" rmmod pci_epf_vntb
reload() {
	vntb_load && vntb_create v0 db_count=4 spad_count=8 num_mws=1 \
		mw1=0x10000 && vntb_up v0 $C && vntb_down v0 $C && vntb_destroy v0
}
ktap_result "the module loads and serves a function again" reload
vntb_unload
sim_unload
ktap_finish
