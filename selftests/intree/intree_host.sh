#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The in-tree pci-epf-vntb of the test kernel across the sim's host mode,
# beside vntb_host.sh: whether ntb_hw_epf binds, and ntb_tool on both
# ends sees the link, scratchpads, doorbells and memory windows, and how
# it numbers doorbells. A report, not a gate (intree_row): Debian updates
# the in-tree driver under us. It stays linked, as older in-tree drivers
# cannot be unlinked cleanly: only the host device is removed and the
# controller stopped.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 10

C=pci-epc-sim.0
intree_tool_setup $C v0
intree_row "ntb_hw_epf binds to the host device" \
	test "$(host_driver $C)" = ntb_hw_epf
ktap_info "endpoint NTB device: ${E##*/}"
intree_row "ntb_tool binds on both ends" test -d "$E" -a -d $H

echo Y > $H/link
link_up() { tool_is $H peer0/link Y && tool_is $E peer0/link Y; }
intree_row "the link comes up on both ends" wait_until 3000 link_up
echo 0x12345678 > $H/peer0/spad0
echo 0xcafef00d > $E/peer0/spad3
intree_row "a scratchpad crosses from host to endpoint" tool_is $E spad0 0x12345678
intree_row "a scratchpad crosses from endpoint to host" tool_is $H spad3 0xcafef00d

echo "s 0x1" > $H/peer_db
# 6.12's in-tree function delivers host doorbell k as endpoint bit k + 1;
# ours delivers bit k (Documentation/comparison.rst)
db_seen() { ! tool_is $E db 0x0; }
wait_until 2000 db_seen
ktap_info "host doorbell bit 0 arrives at the endpoint as $(tool_read $E/db)"
intree_row "host doorbell bit 0 arrives as bit 1 (off by one)" \
	tool_is $E db 0x2
echo "s 0x1" > $E/peer_db
intree_row "endpoint doorbell bit 0 arrives at the host" \
	wait_until 2000 tool_is $H db 0x1

echo 0x100000 > $H/peer0/mw_trans0
echo "0:$((0x100000))" > $E/peer0/peer_mw_trans0
intree_row "a window written by the endpoint is read by the host" \
	mw_cross $E/peer0/peer_mw0 $H/peer0/mw0 65536
echo 0x100000 > $E/peer0/mw_trans0
echo "0:$((0x100000))" > $H/peer0/peer_mw_trans0
intree_row "a window written by the host is read by the endpoint" \
	mw_cross $H/peer0/peer_mw0 $E/peer0/mw0 65536

tool_release_windows 1 $H $E
intree_host_end $C $H
ktap_finish
