#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The lifecycle with a real host driver on the other end: each cycle
# starts the controller (the host device appears, ntb_hw_epf binds), takes
# the NTB link up, removes the host device, stops, unlinks, resizes the
# window, relinks; the host must see the new window size every time, and
# the final kmemleak scan must find nothing left by the host bridge.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 3

CYCLES=${VNTB_HOST_CYCLES:-10}
C=pci-epc-sim.0
modprobe ntb_tool
host_sim_load 1 imx8
vntb_load
modprobe ntb_hw_epf
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
sh $VNTB_CFS link v0 $C
HDEV=$(host_dev $C)
H=$TOOLDBG/$HDEV
E=$TOOLDBG/0000:ff:00.0

bad=0 stale=0 i=0
while [ $i -lt "$CYCLES" ]; do
	size=$((0x100000 << (i % 3)))
	sh $VNTB_CFS start $C
	echo Y > $H/link 2>/dev/null
	link_up() { tool_is $H peer0/link Y && tool_is $E peer0/link Y; }
	if [ "$(host_driver $C)" != ntb_hw_epf ] || ! wait_until 3000 link_up; then
		bad=$((bad + 1))
	fi
	# BAR 4 as the PCI core sized it: line 5 of the device's resource file
	set -- $(sed -n 5p /sys/bus/pci/devices/$HDEV/resource 2>/dev/null) 0 -1
	[ $(($2 - $1 + 1)) -eq $size ] || stale=$((stale + 1))
	echo N > $H/link 2>/dev/null
	host_remove $C
	sh $VNTB_CFS stop $C
	sh $VNTB_CFS unlink v0 $C
	next=$((0x100000 << ((i + 1) % 3)))
	echo $next > "$(vntb_attr v0 mw1)"
	sh $VNTB_CFS link v0 $C
	i=$((i + 1))
done
ktap_info "host cycles: $CYCLES, failed $bad, stale window size $stale"
ktap_result "$CYCLES cycles: ntb_hw_epf bound and the link came up every time" \
	test $bad -eq 0
ktap_result "the host saw the new window size after every relink" \
	test $stale -eq 0
sh $VNTB_CFS unlink v0 $C
ktap_result "sim: no contract violation" test "$(sim_state $C violations)" = 0
vntb_destroy v0
rmmod ntb_hw_epf
rmmod ntb_tool
vntb_unload
sim_unload
ktap_finish
