#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# PCI rescans while functions link and unlink. The virtual bus is created
# and removed under the PCI core's rescan lock, so a rescan of every bus
# never walks one half built or half removed, nor adds its device twice.
#
# env: VNTB_RESCAN_CYCLES link/unlink cycles under rescans (default 30)

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 5

CYCLES=${VNTB_RESCAN_CYCLES:-30}
sim_load 2 generic,generic
vntb_load
vntb_create a db_count=4 spad_count=8 num_mws=1 mw1=0x10000 vbus_number=0xf0
vntb_create b db_count=4 spad_count=8 num_mws=1 mw1=0x10000 vbus_number=0xf1

both_present() {
	test -d /sys/bus/ntb/devices/"$(vdev f0)" -a \
		-d /sys/bus/ntb/devices/"$(vdev f1)"
}
both_absent() {
	test ! -e /sys/bus/pci/devices/"$(vdev f0)" -a \
		! -e /sys/bus/pci/devices/"$(vdev f1)"
}

rm -f /tmp/rescan.stop /tmp/rescan.count
(
	n=0
	while [ ! -e /tmp/rescan.stop ]; do
		echo 1 > /sys/bus/pci/rescan
		n=$((n + 1))
	done
	echo $n > /tmp/rescan.count
) &
rescanner=$!

i=0 failed=0
while [ $i -lt "$CYCLES" ]; do
	rig_mark "rescan cycle $i"
	vntb_up a pci-epc-sim.0 && vntb_up b pci-epc-sim.1 && both_present ||
		failed=$((failed + 1))
	vntb_down a pci-epc-sim.0
	vntb_down b pci-epc-sim.1
	both_absent || failed=$((failed + 1))
	i=$((i + 1))
done
touch /tmp/rescan.stop
wait $rescanner
ktap_info "rescans of every PCI bus during the cycles: $(cat /tmp/rescan.count)"

ktap_result "$CYCLES link/unlink cycles under rescans: each bus whole, then gone" \
	test $failed = 0
ktap_result "rescans ran throughout" test "$(cat /tmp/rescan.count)" -ge "$CYCLES"

vntb_up a pci-epc-sim.0
vntb_up b pci-epc-sim.1
echo 1 > /sys/bus/pci/rescan
ktap_result "a rescan of linked buses adds nothing: one device on each" \
	test "$(ls -d /sys/bus/pci/devices/*:f0:* /sys/bus/pci/devices/*:f1:* | wc -l)" = 2
vntb_down a pci-epc-sim.0
vntb_down b pci-epc-sim.1
ktap_result "no controller contract violation" \
	test "$(sim_state pci-epc-sim.0 violations)" = 0 -a \
	"$(sim_state pci-epc-sim.1 violations)" = 0
ktap_result "both unlink cleanly" both_absent

for f in a b; do vntb_destroy $f; done
vntb_unload
sim_unload
ktap_finish
