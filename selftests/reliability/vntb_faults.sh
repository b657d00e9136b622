#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Each controller operation the function uses fails once, in the phase
# that uses it, through the simulated controller's fault knobs. Link:
# set_bar (each BAR in turn), set_msi, write_header, an exhausted
# outbound window; each returns a clean error and leaves nothing behind.
# Start: the controller's start. Host commands: map_addr behind
# CONFIGURE_MW. Doorbells to the host: raise_irq. After each failure the
# same phase works normally. (Stop and unlink use only operations that
# cannot fail: clear_bar, unmap_addr, stop.)

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 13

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 db_count=4 spad_count=8 num_mws=2 mw1=0x10000 mw2=0x10000

# clean_after_failure DESC - the link failed and left nothing behind
clean_after_failure() {
	if sh $VNTB_CFS link v0 $C 2>/dev/null; then
		ktap_fail "$1: link failed"
		vntb_down v0 $C
		return
	fi
	ktap_result "$1: link failed, no BAR, mapping or bus left" nothing_left
}

nothing_left() {
	sim_empty $C bars && sim_empty $C outbound &&
		test ! -e /sys/bus/pci/devices/"$(vdev ff)" \
		-a ! -e $CFS/controllers/$C/v0
}

# the function sets four BARs: ctrl, db, mw1, mw2; fail each in turn
for skip in 0 1 2 3; do
	sim_fault $C set_bar 1 -5 $skip
	clean_after_failure "set_bar call $((skip + 1)) of 4 fails"
	sim_fault $C set_bar 0 -5
done
sim_fault $C set_msi 1 -22
clean_after_failure "set_msi failure"
sim_fault $C write_header 1 -5
clean_after_failure "write_header failure"
echo 1 > $SIMDBG/$C/exhaust
clean_after_failure "outbound window exhausted"
echo 0 > $SIMDBG/$C/exhaust

ktap_result "a normal link works after all failures" vntb_up v0 $C
sh $VNTB_CFS stop $C

sim_fault $C start 1 -5
start_refused() {
	! sh $VNTB_CFS start $C 2>/dev/null &&
		test "$(sim_state $C started)" = 0 &&
		sh $VNTB_CFS start $C
}
ktap_result "start failure: refused, then a normal start works" start_refused

host_cmd $C 5 0 > /dev/null
host_mw_args $C 0x40000000 0x10000
sim_fault $C map_addr 1 -5
map_refused() {
	test "$(host_cmd $C 3 0)" = 2 && sim_empty $C outbound &&
		test "$(host_cmd $C 3 0)" = 1 && test "$(host_cmd $C 4 0)" = 1
}
ktap_result "map_addr failure: CONFIGURE_MW answered ERROR, then OK" \
	map_refused

host_cmd $C 1 16 > /dev/null
modprobe ntb_tool
T=$(ls -d /sys/kernel/debug/ntb_tool/* | head -n 1)
sim_fault $C raise_irq 1 -5
before=$(sim_irq $C 3)
echo "s 0x1" > $T/peer_db
raised() {
	[ "$(sim_irq $C 3)" -gt "$before" ]
}
irq_again() {
	echo "s 0x1" > $T/peer_db && wait_until 2000 raised
}
ktap_result "raise_irq failure: the next doorbell to the host is raised" \
	irq_again
rmmod ntb_tool
ktap_result "stop and unlink after the failures" vntb_down v0 $C
vntb_destroy v0
ktap_result "no controller contract violations" \
	test "$(sim_state $C violations)" = 0
ktap_report "controller operation failures" 10 $KTAP_FAIL
vntb_unload
sim_unload
ktap_finish
