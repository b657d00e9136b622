#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Two controllers in host mode, one function each: two host devices in
# their own PCI domains, and each endpoint's window buffers come from its
# own controller's BARs, so host writes through either reach the right
# endpoint.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 6

host_sim_load 2 imx8,imx8
vntb_load
modprobe ntb_tool
modprobe ntb_hw_epf
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_create v1 db_count=4 spad_count=16 num_mws=1 mw1=0x100000 vbus_number=0xfe
# the second function links first: its endpoint buffer must still come
# from its own controller's BAR, not from the lowest one
vntb_up v1 pci-epc-sim.1
vntb_up v0 pci-epc-sim.0

ktap_result "two host devices, both bound to ntb_hw_epf" \
	test "$(host_driver pci-epc-sim.0)/$(host_driver pci-epc-sim.1)" = ntb_hw_epf/ntb_hw_epf

# cross CTRL EPDEV - host->ep window traffic on one pair
cross() {
	local h=$TOOLDBG/$(host_dev "$1") e=$TOOLDBG/$2

	echo Y > "$h/link"
	wait_until 3000 tool_is "$h" peer0/link Y || return 1
	echo 0x100000 > "$e/peer0/mw_trans0" || return 1
	echo "0:$((0x100000))" > "$h/peer0/peer_mw_trans0" || return 1
	mw_cross "$h/peer0/peer_mw0" "$e/peer0/mw0" 65536
}
ktap_result "pair 1: host writes reach the endpoint on bus fe" \
	cross pci-epc-sim.1 0000:fe:00.0
ktap_result "pair 0: host writes reach the endpoint on bus ff" \
	cross pci-epc-sim.0 0000:ff:00.0

for c in pci-epc-sim.0 pci-epc-sim.1; do
	echo 0:0 > "$TOOLDBG/$(host_dev $c)/peer0/peer_mw_trans0"
	host_remove $c
done
for e in 0000:ff:00.0 0000:fe:00.0; do
	echo 0 > "$TOOLDBG/$e/peer0/mw_trans0"
done
vntb_down v0 pci-epc-sim.0
vntb_down v1 pci-epc-sim.1
for c in pci-epc-sim.0 pci-epc-sim.1; do
	ktap_result "$c: no contract violation" \
		test "$(sim_state $c violations)" = 0
done
ktap_result "both host devices gone" \
	test ! -e /sys/bus/pci/devices/10000:00:00.0 -a \
	! -e /sys/bus/pci/devices/10001:00:00.0
vntb_destroy v0
vntb_destroy v1
rmmod ntb_hw_epf
rmmod ntb_tool
vntb_unload
sim_unload
ktap_finish
