#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The in-tree pci-epf-vntb of the test kernel on the simulated
# controller's doorbell (doorbell=1), beside vntb_host_doorbell.sh:
# whether it takes the doorbell as an interrupt (7.2's in-tree driver
# calls pci_epf_alloc_doorbell() at link), whether the host's rings reach
# the endpoint's ntb_tool, and as which bits. A report, not a gate
# (intree_row). It stays linked, as in intree_host.sh.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 9

host_sim_load 1 imx8 doorbell=1
C=pci-epc-sim.0
modprobe ntb_tool
modprobe ntb_hw_epf
intree_load
embedded=$(dmesg | grep -c "Using embedded (DMA) doorbell fallback")
vntb_create v0 db_count=6 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C

HDEV=$(host_dev $C)
intree_row "ntb_hw_epf binds to the host device" \
	test "$(host_driver $C)" = ntb_hw_epf
intree_row "the function takes the controller's doorbell at link" \
	test "$(dmesg | grep -c "Using embedded (DMA) doorbell fallback")" -gt "$embedded"
H=$TOOLDBG/$HDEV
E=$(ls -d $TOOLDBG/* | grep -v "$HDEV" | head -n 1)
intree_row "ntb_tool binds on both ends" test -d "$E" -a -d $H

echo Y > $H/link
link_up() { tool_is $H peer0/link Y && tool_is $E peer0/link Y; }
intree_row "the link comes up on both ends" wait_until 3000 link_up

echo "s 0x2" > $H/peer_db
db_seen() { ! tool_is $E db 0x0; }
wait_until 2000 db_seen
ktap_info "host doorbell bit 1 arrives at the endpoint as $(tool_read $E/db)"
intree_row "host doorbell bit 1 arrives" db_seen
intree_row "it arrives as bit 1 alone" tool_is $E db 0x2
ktap_info "the controller acknowledged $(host_state $C doorbell_rings) doorbell interrupts"
intree_row "the controller acknowledged one doorbell interrupt" \
	test "$(host_state $C doorbell_rings)" = 1
echo "s 0x1" > $E/peer_db
intree_row "endpoint doorbell bit 0 arrives at the host" \
	wait_until 2000 tool_is $H db 0x1

intree_host_end $C $H
ktap_finish
