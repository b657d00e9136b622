#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The in-tree pci-epf-vntb of the test kernel across the sim's host mode,
# for comparison with vntb_host.sh: ntb_hw_epf binds, and ntb_tool on
# both ends sees the link, scratchpads, doorbells and memory windows;
# the one difference is the doorbell numbering.
# The in-tree function cannot be unlinked cleanly (seed bugs): it stays
# linked, only the host device is removed and the controller stopped.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 10

host_sim_load 1 imx8
C=pci-epc-sim.0
modprobe ntb_tool
modprobe ntb_hw_epf
intree_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C

HDEV=$(host_dev $C)
ktap_result "in-tree: ntb_hw_epf bound to $HDEV" \
	test "$(host_driver $C)" = ntb_hw_epf
H=$TOOLDBG/$HDEV
E=$(ls -d $TOOLDBG/* | grep -v "$HDEV" | head -n 1)
ktap_info "endpoint NTB device: ${E##*/}"
ktap_result "in-tree: ntb_tool bound on both ends" test -d "$E" -a -d $H

echo Y > $H/link
link_up() { tool_is $H peer0/link Y && tool_is $E peer0/link Y; }
ktap_result "in-tree link: up on both ends" wait_until 3000 link_up
echo 0x12345678 > $H/peer0/spad0
echo 0xcafef00d > $E/peer0/spad3
ktap_result "in-tree spad: host to endpoint" tool_is $E spad0 0x12345678
ktap_result "in-tree spad: endpoint to host" tool_is $H spad3 0xcafef00d

echo "s 0x1" > $H/peer_db
# 6.12's function delivers host doorbell k as endpoint bit k + 1; ours
# delivers bit k (Documentation/vntb.rst)
ktap_result "in-tree doorbell host->ep: bit 0 arrives as bit 1 (off by one)" \
	wait_until 2000 tool_is $E db 0x2
echo "s 0x1" > $E/peer_db
ktap_result "in-tree doorbell ep->host: bit 0 arrives" \
	wait_until 2000 tool_is $H db 0x1

echo 0x100000 > $H/peer0/mw_trans0
echo "0:0x100000" > $E/peer0/peer_mw_trans0
ktap_result "in-tree mw ep->host: written by the endpoint, read by the host" \
	mw_cross $E/peer0/peer_mw0 $H/peer0/mw0 65536
echo 0x100000 > $E/peer0/mw_trans0
echo "0:0x100000" > $H/peer0/peer_mw_trans0
ktap_result "in-tree mw host->ep: written by the host, read by the endpoint" \
	mw_cross $H/peer0/peer_mw0 $E/peer0/mw0 65536

tool_release_windows 1 $H $E
echo N > $H/link
host_remove $C
echo 0 > $CFS/controllers/$C/start
ktap_info "sim state: $(tr '\n' ' ' < $SIMDBG/$C/state)"
ktap_result "in-tree: no contract violation" \
	test "$(sim_state $C violations)" = 0
ktap_finish
