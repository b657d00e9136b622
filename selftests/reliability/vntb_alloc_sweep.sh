#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Allocation failure sweep: for each configfs path that allocates
# (function create, link, controller start, attribute write) fail its
# 1st, 2nd, ... Nth slab allocation in turn (fail-nth, FAILSLAB) until
# the path runs through without reaching N. Every failure must give a
# clean errno and leave nothing behind, and after every failure, clean
# or absorbed, the same path must work normally. (A failed probe of a new
# function is absorbed by the endpoint core: mkdir succeeds, without the
# vNTB attributes, and vntb logs why.) A sweep that injected no failure
# proves nothing and fails, but where the path has no slab allocation to
# fail: the controller start then fails through the simulated
# controller's own start fault, counted by its fault knob, and the
# attribute write, which has nothing else to fail, is skipped with why.
# Leaks are found by the boot's final kmemleak scan, splats by the judge.
# VNTB_SWEEP_STRIDE (default 1) tries every STRIDEth N only.
#
# The 6.12 PCI core does not survive allocation failures while it creates
# and scans a root bus (pci_register_host_bridge() puts the bridge twice
# when the bus device fails to register; pci_device_add() WARNs when
# device_add() fails), so allocations made under pci_scan_root_bus() are
# left out of the sweep through the fault-injection stack filter. Where
# the kernel has no such filter (6.1 on x86_64) the link sweep is skipped.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

stride=${VNTB_SWEEP_STRIDE:-1}
max=3000
ktap_header
ktap_plan 5

FS=/sys/kernel/debug/failslab
echo 0 > $FS/ignore-gfp-wait
echo 0 > $FS/verbose
filtered=0
if [ -e $FS/reject-start ]; then
	echo 64 > $FS/stacktrace-depth
	scan=$(sort /proc/kallsyms | grep -A1 " pci_scan_root_bus$" | cut -d' ' -f1)
	echo "0x$(echo $scan | cut -d' ' -f1)" > $FS/reject-start
	echo "0x$(echo $scan | cut -d' ' -f2)" > $FS/reject-end
	filtered=1
fi
sim_load 1 generic
C=pci-epc-sim.0
vntb_load
FN=$CFS/functions/pci_epf_vntb
L=$CFS/controllers/$C/s0

# sweep DESC OP UNDO CLEAN WORKS [WHOLE [NONE]] - run "OP N" for N = 1,
# 1 + stride, ... until it is not injected. A success that absorbed the
# failure must leave WHOLE true, then UNDO; after a failure CLEAN must
# hold. After either, WORKS (the path without a failure) must succeed.
# When no failure was injected at all, "NONE DESC" reports the case if
# given; otherwise it fails.
sweep() {
	local desc=$1 op=$2 undo=$3 clean=$4 works=$5 whole=${6:-true}
	local none=${7:-} n=1 bad=0 fails=0 injected=0 res
	local steps=0

	while [ $n -le $max ]; do
		steps=$((steps + 1))
		res=$($op $n)
		case "$res" in
		"injected=0 errno=0")
			$undo
			break
			;;
		"injected=1 errno=0")
			injected=$((injected + 1))
			if ! $whole; then
				bad=$((bad + 1))
				ktap_info "$desc: allocation $n absorbed, left incomplete"
			fi
			$undo
			if ! $works; then
				bad=$((bad + 1))
				ktap_info "$desc: allocation $n absorbed, then a normal run failed"
			fi
			;;
		injected=1*)
			injected=$((injected + 1))
			fails=$((fails + 1))
			if ! $clean; then
				bad=$((bad + 1))
				ktap_info "$desc: allocation $n: $res, not clean"
			elif ! $works; then
				bad=$((bad + 1))
				ktap_info "$desc: allocation $n: $res, then a normal run failed"
			fi
			;;
		*)
			bad=$((bad + 1))
			ktap_info "$desc: allocation $n: $res"
			;;
		esac
		n=$((n + stride))
	done
	ktap_info "$desc: ran through at allocation $n, $injected injected, $fails failed cleanly"
	ktap_report "allocation failures in $desc" $steps $bad
	if [ $injected -eq 0 ] && [ -n "$none" ]; then
		$none "$desc" $bad
		return
	fi
	[ $injected -gt 0 ] || ktap_info "$desc: no allocation failure was injected"
	ktap_result "$desc: every injected failure clean, then no failure" \
		test $bad -eq 0 -a $n -le $max -a $injected -gt 0
}

create_op() {
	failnth "$1" mkdir $FN/s0
}
create_undo() {
	rmdir $FN/s0
}
create_clean() {
	test ! -e $FN/s0
}
create_works() {
	mkdir $FN/s0 && rmdir $FN/s0
}
sweep "function create" create_op create_undo create_clean create_works

vntb_create s0 db_count=4 spad_count=8 num_mws=2 mw1=0x10000 mw2=0x10000
link_op() {
	failnth "$1" symlink $FN/s0 $L
}
link_undo() {
	sh $VNTB_CFS unlink s0 $C
}
link_clean() {
	test ! -e $L -a ! -e /sys/bus/pci/devices/"$(vdev ff)" &&
		sim_empty $C bars && sim_empty $C outbound
}
link_works() {
	vntb_up s0 $C && vntb_down s0 $C
}
link_whole() {
	test -n "$(ls /sys/bus/ntb/devices)"
}
if [ $filtered = 1 ]; then
	sweep "link" link_op link_undo link_clean link_works link_whole
else
	ktap_skip "link: every injected failure clean, then no failure" \
		"no fault-injection stack filter here (6.1 x86_64), so the PCI core's bus creation cannot be left out"
fi

sh $VNTB_CFS link s0 $C
start_op() {
	failnth "$1" write $CFS/controllers/$C/start 1
}
start_undo() {
	sh $VNTB_CFS stop $C
}
start_clean() {
	test "$(sim_state $C started)" = 0
}
start_works() {
	sh $VNTB_CFS start $C && sh $VNTB_CFS stop $C
}
# start_by_controller DESC BAD - the start path allocated nothing to
# fail: fail the controller's own start once instead, and count that the
# armed fault was taken (its count back to 0) and nothing started
start_by_controller() {
	local desc=$1 bad=$2 starts left

	starts=$(sim_state $C starts)
	sim_fault $C start 1 -12
	if sh $VNTB_CFS start $C 2>/dev/null; then
		ktap_info "$desc: started despite the controller's start fault"
		start_undo
		bad=$((bad + 1))
	fi
	left=$(sed -n 's/^start \([0-9]*\) .*/\1/p' $SIMDBG/$C/faults)
	sim_fault $C start 0 -12
	ktap_info "$desc: no slab allocation to fail; controller start fault armed once, $left left"
	if [ "$left" != 0 ] || [ "$(sim_state $C starts)" != "$starts" ]; then
		ktap_info "$desc: the controller's start fault was not injected"
		bad=$((bad + 1))
	fi
	start_clean || bad=$((bad + 1))
	start_works || bad=$((bad + 1))
	ktap_result "$desc: the controller's start failure injected, clean, then no failure" \
		test $bad -eq 0
}
sweep "controller start" start_op start_undo start_clean start_works true \
	start_by_controller
sh $VNTB_CFS unlink s0 $C

attr_op() {
	failnth "$1" write "$(vntb_attr s0 spad_count)" 12
}
attr_undo() {
	echo 8 > "$(vntb_attr s0 spad_count)"
}
attr_clean() {
	test "$(cat "$(vntb_attr s0 spad_count)")" = 8
}
attr_works() {
	echo 12 > "$(vntb_attr s0 spad_count)" && attr_undo
}
# attr_no_alloc DESC BAD - the write allocated nothing that can fail
attr_no_alloc() {
	if [ "$2" != 0 ]; then
		ktap_fail "$1: no failure injected, yet $2 steps went wrong"
		return
	fi
	ktap_skip "$1: every injected failure clean, then no failure" \
		"no slab allocation on this path: configfs's write buffer is a page and vntb's store parses in place"
}
sweep "attribute write" attr_op attr_undo attr_clean attr_works true \
	attr_no_alloc

ktap_result "a normal link and start work after the sweeps" vntb_up s0 $C
vntb_down s0 $C
vntb_destroy s0
vntb_unload
sim_unload
ktap_finish
