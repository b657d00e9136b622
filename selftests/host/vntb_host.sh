#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Both ends in one kernel: the simulated controller plays the root
# complex, the kernel's own ntb_hw_epf binds to our function's host
# device, and ntb_tool on both ends sees the link, the scratchpads, the
# doorbells and the memory windows of the other.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 19

host_sim_load 1 imx8
C=pci-epc-sim.0
vntb_load
modprobe ntb_tool
modprobe ntb_hw_epf
vntb_create v0 db_count=4 spad_count=16 num_mws=2 mw1=0x100000 mw2=0x200000
vntb_up v0 $C

HDEV=$(host_dev $C)
ktap_result "host: ntb_hw_epf bound to $HDEV" \
	test "$(host_driver $C)" = ntb_hw_epf
ktap_result "host: MSI enabled with the 16 vectors the function offers" \
	test "$(host_state $C msi_enabled)" = 16
E=$TOOLDBG/0000:ff:00.0
H=$TOOLDBG/$HDEV
ktap_result "ntb_tool bound on both ends" test -d $E -a -d $H

echo Y > $H/link
link_up() { tool_is $H peer0/link Y && tool_is $E peer0/link Y; }
ktap_result "link: up on both ends after the host enables it" \
	wait_until 3000 link_up

echo 0x12345678 > $H/peer0/spad0
echo 0xcafef00d > $E/peer0/spad3
ktap_result "spad: host writes peer spad 0, endpoint reads its spad 0" \
	tool_is $E spad0 0x12345678
ktap_result "spad: endpoint writes peer spad 3, host reads its spad 3" \
	tool_is $H spad3 0xcafef00d

echo "s 0x2" > $H/peer_db
ktap_result "doorbell host->ep: bit 1 arrives" wait_until 2000 tool_is $E db 0x2
echo "c 0x2" > $E/db
echo "s 0x1" > $E/peer_db
ktap_result "doorbell ep->host: bit 0 arrives through MSI 3" \
	wait_until 2000 tool_is $H db 0x1
ktap_result "doorbell ep->host: MSI 3 delivered to the host driver" \
	test "$(host_state $C 'delivered msi3')" -ge 1
echo "c 0x1" > $H/db

echo 0x100000 > $H/peer0/mw_trans0
echo 0x200000 > $H/peer0/mw_trans1
echo "0:$((0x100000))" > $E/peer0/peer_mw_trans0
echo "0:$((0x200000))" > $E/peer0/peer_mw_trans1
ktap_result "mw ep->host: window 0 written by the endpoint, read by the host" \
	mw_cross $E/peer0/peer_mw0 $H/peer0/mw0 65536
ktap_result "mw ep->host: window 1 written by the endpoint, read by the host" \
	mw_cross $E/peer0/peer_mw1 $H/peer0/mw1 65536

echo 0x100000 > $E/peer0/mw_trans0
echo 0x200000 > $E/peer0/mw_trans1
echo "0:$((0x100000))" > $H/peer0/peer_mw_trans0
echo "0:$((0x200000))" > $H/peer0/peer_mw_trans1
ktap_result "mw host->ep: window 0 written by the host, read by the endpoint" \
	mw_cross $H/peer0/peer_mw0 $E/peer0/mw0 65536
ktap_result "mw host->ep: window 1 written by the host, read by the endpoint" \
	mw_cross $H/peer0/peer_mw1 $E/peer0/mw1 65536

tool_release_windows 2 $H $E
ktap_result "mw: every buffer given back to the controller" \
	test -z "$(grep lent $SIMDBG/$C/host | grep -v lent=0)"

echo N > $H/link
link_down() { tool_is $E peer0/link N; }
ktap_result "link: down at the endpoint after the host disables it" \
	wait_until 3000 link_down

host_remove $C
ktap_result "host: device removed before the controller stops" \
	host_absent $C
sh $VNTB_CFS stop $C
sh $VNTB_CFS start $C
ktap_result "host: a restart presents the device again and ntb_hw_epf binds" \
	test "$(host_driver $C)" = ntb_hw_epf
# stopping with the driver bound is safe while it has no window mapped;
# the host removes its device by itself, after the stop
sh $VNTB_CFS stop $C
ktap_result "host: after a stop the host removes the device, its driver bound" \
	wait_until 10000 host_absent $C
vntb_down v0 $C
ktap_result "sim: no contract violation" test "$(sim_state $C violations)" = 0
vntb_destroy v0
rmmod ntb_hw_epf
rmmod ntb_tool
vntb_unload
sim_unload
ktap_finish
