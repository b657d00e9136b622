#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Several vNTB functions at once, each on its own controller with its
# own virtual bus and NTB device. On x86 every virtual bus is in PCI
# domain 0000: a bus number already in use there is refused with EBUSY
# and one dmesg line naming it. Where the architecture has generic PCI
# domains (arm64) each virtual bus gets a domain of its own, and two
# functions may ask for the same number.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 6

sim_load 3 generic,imx8,generic
vntb_load
vntb_create a db_count=4 spad_count=8 num_mws=1 mw1=0x10000 vbus_number=0xf0
vntb_create b db_count=5 spad_count=4 num_mws=2 mw1=0x10000 mw2=0x10000 \
	vbus_number=0xf1 vntb_pid=0xb00e
vntb_create c db_count=4 spad_count=8 num_mws=1 mw1=0x10000 vbus_number=0xf0

ktap_result "first function links to pci-epc-sim.0" vntb_up a pci-epc-sim.0
ktap_result "second function links to pci-epc-sim.1 (imx8 BAR map)" \
	vntb_up b pci-epc-sim.1
ktap_result "two virtual NTB devices on their own buses" \
	test -d /sys/bus/ntb/devices/"$(vdev f0)" -a \
	-d /sys/bus/ntb/devices/"$(vdev f1)"
ktap_result "imx8 map: ctrl BAR0, db BAR2, mw1 BAR4, mw2 BAR5" \
	test "$(cut -d' ' -f1 $SIMDBG/pci-epc-sim.1/bars | tr '\n' ,)" = "0,2,4,5,"
if [ "$RIG_ARCH" = x86_64 ]; then
	ktap_result "a third function asking for bus 0xf0 is refused with EBUSY" \
		vntb_refused "sh $VNTB_CFS link c pci-epc-sim.2" \
		"Device or resource busy" "vbus_number 240: bus already exists"
else
	ktap_result "a third function asking for bus 0xf0 links, in a PCI domain of its own" \
		eval 'vntb_up c pci-epc-sim.2 &&
		      test "$(ls -d /sys/bus/ntb/devices/*:f0:00.0 | wc -l)" = 2'
	vntb_down c pci-epc-sim.2
fi
vntb_down a pci-epc-sim.0
vntb_down b pci-epc-sim.1
ktap_result "both unlink cleanly" \
	test -z "$(ls -d /sys/bus/ntb/devices/*:f[01]:00.0 2>/dev/null)"
for f in a b c; do vntb_destroy $f; done
vntb_unload
sim_unload
ktap_finish
