#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module as a package manager left it: with ours installed in
# updates/ (by DKMS or make install), modprobe pci-epf-vntb loads ours,
# which a function's poll_min_us attribute shows and a link proves; once
# removed, modprobe loads the kernel's own again. VNTB_INSTALLED says
# which to expect (ours or intree); rig/packaging.sh sets it. Left unset,
# ours: the rig's own boots put ours in updates/, as make install does.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

want=${VNTB_INSTALLED:-ours}
case $want in
intree) where="kernel/drivers/pci/endpoint/functions/" ;;
*) where="updates/" ;;
esac

ktap_header
ktap_plan 5

path=$(sed -n 's|^\([^:]*/pci-epf-vntb\.ko[^:]*\):.*|\1|p' "$MODDIR/modules.dep")
ktap_info "modules.dep: pci-epf-vntb is $path"
ktap_result "modules.dep resolves pci-epf-vntb to the $want module" \
	eval 'case "$path" in "$where"*) true ;; *) false ;; esac'
modprobe ntb
ktap_result "modprobe pci-epf-vntb loads it" modprobe pci-epf-vntb
vntb_create f0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
if [ "$want" = ours ]; then
	ktap_result "the module loaded is ours: a function has poll_min_us" \
		test -e "$(vntb_attr f0 poll_min_us)"
	sim_load 1 generic
	ktap_result "the installed module links and unlinks a function" \
		eval 'vntb_up f0 pci-epc-sim.0 && vntb_down f0 pci-epc-sim.0'
else
	ktap_result "the module loaded is the in-tree one: no poll_min_us" \
		test ! -e "$(vntb_attr f0 poll_min_us)"
	ktap_skip "the installed module links and unlinks a function" \
		"the in-tree module is only loaded and unloaded here"
fi
vntb_destroy f0
ktap_result "modprobe -r pci-epf-vntb unloads it" modprobe -r pci-epf-vntb
[ "$want" = ours ] && sim_unload
ktap_finish
