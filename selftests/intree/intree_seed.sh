#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The seed bugs, looked for in the in-tree pci-epf-vntb of the test
# kernel, with the sequence vntb_seed.sh runs against ours. This is a
# report, not a gate: Debian's stable updates fix the in-tree driver under
# us (6.12.118 carries "Manage virtual NTB and PCI bus lifetime"). Each
# case records what the kernel at hand does as a "vntb-intree:" row,
# yes (present) or no; the runner prints the rows with any splat of the
# boot.
# The last step, the relink, registers the NTB device a second time where
# the in-tree driver still embeds it: a list corruption that may hang the
# guest, so this script runs alone in its boot.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 5

sim_load 1 generic
C=pci-epc-sim.0
intree_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C
host_cmd $C 5 0 > /dev/null
vntb_down v0 $C
dmesg | sed -n 's/.*\(contract violation: .*\)/# \1/p'
sed 's/^/# BAR still set: /' $SIMDBG/$C/bars

intree_row "unlink clears a BAR twice" test "$(sim_state $C violations)" != 0
intree_row "unlink leaves the doorbell BAR set" eval '! sim_empty $C bars'
intree_row "unlink leaves the virtual PCI and NTB devices behind" \
	test -e /sys/bus/pci/devices/0000:ff:00.0 -o \
	-n "$(ls /sys/bus/ntb/devices)"
rig_mark "in-tree relink"
intree_row "relink fails" eval '! sh $VNTB_CFS link v0 $C'
intree_row "relinked function has no NTB device" test -z "$(ls /sys/bus/ntb/devices)"
ktap_finish
