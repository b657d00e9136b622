#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The seed bugs, shown on the in-tree pci-epf-vntb of the test kernel,
# with the sequence vntb_seed.sh runs against ours. Each case passes when
# the in-tree module misbehaves. The last step, the relink, registers the
# NTB device embedded in the function a second time: it corrupts a list
# and hangs the guest, so this test runs alone in its boot and the runner
# expects that boot red with exactly that splat. (The other two seed bugs,
# teardown twice on a failed link and the command work outliving the
# BARs, are fixed in 6.12.117 by stable backports and cannot be shown.)

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 3

sim_load 1 generic
C=pci-epc-sim.0
intree_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C
host_cmd $C 5 0 > /dev/null
vntb_down v0 $C
dmesg | sed -n 's/.*\(contract violation: .*\)/# \1/p'
sed 's/^/# BAR still set: /' $SIMDBG/$C/bars

ktap_result "in-tree: unlink clears BAR 0 twice (its doorbell BAR's descriptor is freed first)" \
	test "$(sim_state $C violations)" != 0
bar_left() {
	! sim_empty $C bars
}
ktap_result "in-tree: unlink leaves the doorbell BAR set" bar_left
ktap_result "in-tree: unlink leaves the virtual PCI and NTB devices behind" \
	test -e /sys/bus/pci/devices/0000:ff:00.0 -a \
	-n "$(ls /sys/bus/ntb/devices)"
ktap_finish
sh $VNTB_CFS link v0 $C
