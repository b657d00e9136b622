#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The virtual PCI device handled through sysfs as any PCI device, while an
# NTB client (ntb_tool, then ntb_transport) is bound to its NTB device:
# unbound from its driver and bound again, removed, found again by a
# rescan, and finally unlinked with the function. Each step must take the
# NTB device and its client away or bring both back, with no splat and
# no leak; after the rescan a host doorbell still reaches the client.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

DRV=/sys/bus/pci/drivers/pci-vntb

ktap_header
ktap_plan 13

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C
V=$(vdev ff)

# client_is NAME - the one NTB device is bound to the client NAME
client_is() {
	local d

	d=$(ls /sys/bus/ntb/devices 2>/dev/null)
	[ -n "$d" ] && [ "$(basename "$(readlink "/sys/bus/ntb/devices/$d/driver")")" = "$1" ]
}
no_ntb_device() {
	[ -z "$(ls /sys/bus/ntb/devices)" ]
}
vdev_gone() {
	[ ! -e /sys/bus/pci/devices/$V ]
}

for client in ntb_tool ntb_transport; do
	modprobe $client
	ktap_result "$client: bound to the virtual NTB device" \
		wait_until 2000 client_is $client
	echo $V > $DRV/unbind
	ktap_result "$client: unbinding the PCI device takes the NTB device away" \
		no_ntb_device
	echo $V > $DRV/bind
	ktap_result "$client: binding it again brings both back" \
		wait_until 2000 client_is $client
	echo 1 > /sys/bus/pci/devices/$V/remove
	ktap_result "$client: removing the PCI device takes both away" \
		eval 'vdev_gone && no_ntb_device'
	echo 1 > /sys/bus/pci/rescan
	ktap_result "$client: a rescan finds the device and binds it again" \
		wait_until 2000 client_is $client
	[ $client = ntb_tool ] && {
		T=/sys/kernel/debug/ntb_tool/$V
		hv_write32 $C $DB_BAR 8 3
		db_seen() { [ "$(cat $T/db)" = 0x1 ]; }
		ktap_result "$client: a host doorbell reaches it after the rescan" \
			wait_until 2000 db_seen
	}
	rmmod $client
done

vntb_down v0 $C
ktap_result "unlink after all that: no PCI or NTB device left" \
	eval 'vdev_gone && no_ntb_device'
ktap_result "no controller contract violation, no BAR left set" \
	eval 'test "$(sim_state $C violations)" = 0 && sim_empty $C bars'
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
