#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A link that fails inside the controller returns a clean error and
# leaves nothing behind; the next normal link works. Failures are
# injected through the simulated controller: set_bar (each BAR in
# turn), set_msi, write_header, and an exhausted outbound window.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 9

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
		test ! -e /sys/bus/pci/devices/0000:ff:00.0 \
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
vntb_down v0 $C
vntb_destroy v0
ktap_result "no controller contract violations" \
	test "$(sim_state $C violations)" = 0
vntb_unload
sim_unload
ktap_finish
