#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host reaches only what it was given. A window BAR translates as a
# whole, so its buffer covers the whole BAR: a client asking for less gets
# the full size. A window no client translates points at zeroed memory,
# never at address 0 (the controller counts a translation to 0). A
# client's translation survives a controller re-init, a relink parks the
# windows again, and a secondary link is refused without touching the
# primary one. The host's side is the controller's host view.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

MW1=0x10000
MW2=0x20000

ktap_header
ktap_plan 15

sim_load 2 generic,generic
C=pci-epc-sim.0
C1=pci-epc-sim.1
vntb_load
vntb_create v0 db_count=4 spad_count=16 num_mws=2 mw1=$MW1 mw2=$MW2
FDIR=$CFS/functions/pci_epf_vntb/v0
vntb_up v0 $C
host_cmd $C 5 0 > /dev/null
modprobe ntb_tool
T=$(ls -d /sys/kernel/debug/ntb_tool/* | head -n 1)

no_violation() {
	test "$(sim_state $C violations)" = 0
}
# zeros BAR SIZE - the window reads zeros at its start, middle and end
zeros() {
	[ "$(hv_read32 $C "$1" 0)/$(hv_read32 $C "$1" $(($2 / 2)))/$(hv_read32 $C "$1" $(($2 - 4)))" = 0/0/0 ]
}
# tool_word FILE OFFSET - the u32 at OFFSET of an ntb_tool window file
tool_word() {
	dd if="$1" bs=4 skip=$(($2 / 4)) count=1 2>/dev/null | od -An -tu4 | tr -d ' '
}
tool_size() {
	sed -n 's/^Window Size *\t//p' "$T/peer0/mw_trans$1"
}

ktap_result "parked windows: no BAR translated to address 0" no_violation
ktap_result "parked windows read as zeros, start to end" \
	eval 'zeros $MW1_BAR $MW1 && zeros $MW2_BAR $MW2'

# a client asking for 4 KiB of a 64 KiB window
echo 0x1000 > $T/peer0/mw_trans0
ktap_info "client asked for 0x1000 of mw1, got $(tool_size 0)"
ktap_result "a client asking for less gets a buffer of the whole window" \
	test "$(($(tool_size 0)))" = $((MW1))
hv_write32 $C $MW1_BAR $((MW1 - 4)) 0xa5a5a5a5
hv_write32 $C $MW1_BAR 0 0x5a5a5a5a
ktap_result "the host's last word of the window lands in the client's buffer" \
	test "$(tool_word $T/peer0/mw0 $((MW1 - 4)))/$(tool_word $T/peer0/mw0 0)" = \
	$((0xa5a5a5a5))/$((0x5a5a5a5a))

if [ -e $SIMDBG/$C/reinit ]; then
	echo 1 > $SIMDBG/$C/reinit
	hv_write32 $C $MW1_BAR 8 0x12345678
	ktap_result "the client's translation survives a controller re-init" \
		test "$(tool_word $T/peer0/mw0 8)" = $((0x12345678))
	ktap_result "re-init: no BAR translated to address 0" no_violation
else
	ktap_skip "the client's translation survives a controller re-init" \
		"no epc_deinit event on this kernel"
	ktap_skip "re-init: no BAR translated to address 0" \
		"no epc_deinit event on this kernel"
fi

echo 0 > $T/peer0/mw_trans0
ktap_result "a cleared window reads as zeros again" zeros $MW1_BAR $MW1
ktap_result "clear: no BAR translated to address 0" no_violation

rmmod ntb_tool
vntb_down v0 $C
vntb_up v0 $C
ktap_result "relink: the windows are parked, reading zeros" \
	eval 'zeros $MW1_BAR $MW1 && zeros $MW2_BAR $MW2'
ktap_result "relink: no BAR translated to address 0" no_violation

# a secondary link, while linked, then while not
dmesg -c > /dev/null
err=$(ln -s $CFS/controllers/$C1 $FDIR/secondary/ 2>&1)
ktap_info "secondary link: $err"
ktap_result "a secondary link is refused: operation not supported" \
	eval 'echo "$err" | grep -q "not supported"'
ktap_result "with one line naming the controller" \
	test "$(dmesg | grep -c "secondary link to $C1 refused")" = 1
status=$(host_cmd $C 5 0)
ktap_info "LINK_UP after the refusal: status $status"
ktap_result "the primary link still answers the host" test "$status" = 1
vntb_down v0 $C
ktap_result "a secondary link is refused when not linked either" \
	eval '! ln -s $CFS/controllers/$C1 $FDIR/secondary/ 2>/dev/null'
ktap_result "the primary link works after both refusals" vntb_up v0 $C

vntb_down v0 $C
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
