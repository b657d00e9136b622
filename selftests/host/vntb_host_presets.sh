#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The README's example, as a user types it, on every controller preset,
# with the unchanged ntb_hw_epf on the host side. ntb_hw_epf picks its BAR
# map from the function's IDs: for 1957:0809 the control region and the
# scratchpads on BAR 0, doorbells on BAR 2, window 1 on BAR 4. The
# example sets no BAR: vntb follows that map for these IDs, so the host
# finds everything where it looks, whatever BARs the controller reserves;
# a controller whose BAR 4 cannot hold the window refuses the link,
# saying why.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

EXAMPLE="vendorid=0x1957 deviceid=0x0809 vntb_vid=0x104c vntb_pid=0xb00d \
db_count=4 spad_count=16 num_mws=1 mw1=0x100000"
PRESETS="generic msix imx8 reserved"

ktap_header
ktap_plan 9

C=pci-epc-sim.0
for p in $PRESETS; do
	host_sim_load 1 $p
	vntb_load
	modprobe ntb_hw_epf
	modprobe ntb_tool
	# shellcheck disable=SC2086
	sh $VNTB_CFS create v0 $EXAMPLE
	ok=0
	if vntb_up v0 $C && [ "$(host_driver $C)" = ntb_hw_epf ]; then
		H=$TOOLDBG/$(host_dev $C)
		E=$TOOLDBG/0000:ff:00.0
		echo Y > $H/link
		link_up() { tool_is $H peer0/link Y && tool_is $E peer0/link Y; }
		echo "s 0x1" > $H/peer_db
		db_in() { tool_is $E db 0x1; }
		if wait_until 3000 link_up && wait_until 2000 db_in; then
			echo 0x100000 > $E/peer0/mw_trans0
			echo "0:$((0x100000))" > $H/peer0/peer_mw_trans0
			mw_cross $H/peer0/peer_mw0 $E/peer0/mw0 65536 && ok=1
			tool_release_windows 1 $H $E
		fi
		echo N > $H/link
	fi
	ktap_result "$p: the host binds, links, rings and writes window 1" \
		test $ok = 1
	ktap_result "$p: no contract violation" \
		test "$(sim_state $C violations)" = 0
	rmmod ntb_tool
	host_remove $C
	vntb_down v0 $C
	vntb_destroy v0
	rmmod ntb_hw_epf
	vntb_unload
	sim_unload
done

# BAR 4 fixed at 256 bytes: the example's 1 MiB window cannot be there
host_sim_load 1 fixed256
vntb_load
# shellcheck disable=SC2086
sh $VNTB_CFS create v0 $EXAMPLE
dmesg -c > /dev/null
refused() {
	! sh $VNTB_CFS link v0 $C 2>/dev/null &&
		dmesg | grep -q "cannot link: mw1: BAR 4 refused: "
}
ktap_result "fixed256: the link is refused, naming window 1 and BAR 4" refused
dmesg | grep "mw1: BAR 4 refused" | sed 's/^.*pci_epf_vntb/# pci_epf_vntb/'
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
