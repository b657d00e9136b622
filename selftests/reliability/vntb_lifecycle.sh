#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The full reconfiguration cycle, repeated: stop the controller, unlink,
# change num_mws/spad_count/db_count/mwN, relink, start. After every
# cycle the host view and an NTB client (ntb_tool) must show the new
# settings, and the controller contract must be intact. VNTB_CYCLES
# (default 50) sets the count.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

cycles=${VNTB_CYCLES:-50}
ktap_header
ktap_plan 5

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 $UNMAPPED_IDS db_count=4 spad_count=8 num_mws=1 mw1=0x10000
vntb_up v0 $C

# client_sees MWS SPADS DBS - ntb_tool shows that many windows,
# scratchpads and doorbells
client_sees() {
	local t ok=0

	modprobe ntb_tool || return 1
	t=$(ls -d /sys/kernel/debug/ntb_tool/* | head -n 1)
	[ "$(ls "$t/peer0" | grep -c '^mw_trans')" = "$1" ] &&
		[ "$(ls "$t" | grep -c '^spad')" = "$2" ] &&
		[ "$(cat "$t/db_valid_mask")" = "$(printf 0x%x $(((1 << $3) - 1)))" ] ||
		ok=1
	[ $ok = 0 ] || ktap_info "ntb_tool: $(ls "$t/peer0" | grep -c '^mw_trans') windows, $(ls "$t" | grep -c '^spad') spads, db_valid_mask $(cat "$t/db_valid_mask")"
	rmmod ntb_tool
	return $ok
}

bad_view=0 bad_cycle=0 bad_client=0 i=0
while [ $i -lt $cycles ]; do
	i=$((i + 1))
	mws=$((i % 4 + 1))
	spads=$((i % 7 * 4 + 4))
	size=$((0x1000 << (i % 5)))
	vntb_down v0 $C || bad_cycle=$((bad_cycle + 1))
	dbs=$((i % 30 + 3))
	echo $dbs > "$(vntb_attr v0 db_count)"
	echo $spads > "$(vntb_attr v0 spad_count)"
	echo $mws > "$(vntb_attr v0 num_mws)"
	n=1
	while [ $n -le $mws ]; do
		echo $size > "$(vntb_attr v0 mw$n)"
		n=$((n + 1))
	done
	vntb_up v0 $C || bad_cycle=$((bad_cycle + 1))
	if [ "$(hv_read32 $C 0 0x20)" != $mws ] ||
	   [ "$(hv_read32 $C 0 0x2c)" != $spads ] ||
	   [ "$(sim_bar_size $C $((mws + 1)))" != "$(printf 0x%x $size)" ]; then
		bad_view=$((bad_view + 1))
		ktap_info "cycle $i: host sees num_mws $(hv_read32 $C 0 0x20) spads $(hv_read32 $C 0 0x2c)"
	fi
	client_sees $mws $spads $((dbs - 2)) || bad_client=$((bad_client + 1))
done

ktap_report "lifecycle cycles" $cycles $((bad_cycle + bad_view + bad_client))
ktap_result "$cycles stop/unlink/reconfigure/relink/start cycles succeeded" \
	test $bad_cycle -eq 0
ktap_result "host view shows the new settings after every cycle" \
	test $bad_view -eq 0
ktap_result "ntb_tool sees the new settings after every cycle" \
	test $bad_client -eq 0
ktap_result "NTB device present after the last cycle" \
	test -d /sys/bus/ntb/devices/"$(vdev ff)"
vntb_down v0 $C
vntb_destroy v0
vntb_unload
controller_clean() {
	test "$(sim_state $C violations)" = 0 && sim_empty $C bars
}
ktap_result "no controller contract violations, no BAR left set" \
	controller_clean
sim_unload
ktap_finish
