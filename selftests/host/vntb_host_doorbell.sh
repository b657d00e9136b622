#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host doorbells as interrupts, where the kernel has
# pci_epf_alloc_doorbell() (7.2 on): the simulated controller offers
# QEMU's edu register as its doorbell (doorbell=1), the function
# translates its doorbell BAR into it, and the host's own ntb_hw_epf
# rings by writing there. Each ring must reach the endpoint's ntb_tool
# through that interrupt alone: the controller counts the interrupts it
# acknowledged, the function those it delivered, and no doorbell slot is
# left for the poll to find. The doorbell is one interrupt for all
# doorbells (the embedded kind), so a ring shows every bit.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

CASES="controller: its doorbell offered
function: the host's 4 doorbells taken as interrupts
link: up on both ends
doorbell host->ep: each of 4 rings arrives
controller: one interrupt acknowledged per ring
function: one interrupt delivered per ring
doorbell ep->host: bit 0 arrives
relinked: the doorbell taken again, and a ring arrives
sim: no contract violation"

ktap_header
ktap_plan 9
if ! grep -qw pci_epf_alloc_doorbell /proc/kallsyms; then
	while read -r t; do
		ktap_skip "$t" "the kernel has no pci_epf_alloc_doorbell() (7.2 on)"
	done <<EOF
$CASES
EOF
	ktap_finish
	exit
fi

host_sim_load 1 imx8 doorbell=1
C=pci-epc-sim.0
vntb_load
modprobe ntb_tool
modprobe ntb_hw_epf
vntb_create v0 db_count=6 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C
P=/sys/kernel/debug/pci-epf-vntb/$(ls /sys/kernel/debug/pci-epf-vntb)
E=$TOOLDBG/0000:ff:00.0
H=$TOOLDBG/$(host_dev $C)

ktap_result "controller: its doorbell offered" \
	test "$(host_state $C doorbell_rings)" = 0
ktap_result "function: the host's 4 doorbells taken as interrupts" \
	test "$(cat $P/db_irq_count)" = 4

echo Y > $H/link
link_up() { tool_is $H peer0/link Y && tool_is $E peer0/link Y; }
ktap_result "link: up on both ends" wait_until 3000 link_up

# ring_each - the host rings doorbells 0 to 3, one at a time; each must
# show on the endpoint before the next
ep_has() { [ $(($(tool_read $E/db) & $1)) != 0 ]; }
ring_each() {
	local b=0

	while [ $b -lt 4 ]; do
		echo "c 0xf" > $E/db
		echo "s $((1 << b))" > $H/peer_db
		wait_until 2000 ep_has $((1 << b)) || return 1
		b=$((b + 1))
	done
}
ktap_result "doorbell host->ep: each of 4 rings arrives" ring_each
rings=$(host_state $C doorbell_rings)
ktap_info "controller: $rings doorbell interrupts, function: $(cat $P/db_irqs)"
ktap_result "controller: one interrupt acknowledged per ring" test "$rings" = 4
ktap_result "function: one interrupt delivered per ring" \
	test "$(cat $P/db_irqs)" = 4

echo "c 0xf" > $E/db
echo "s 0x1" > $E/peer_db
ktap_result "doorbell ep->host: bit 0 arrives" \
	wait_until 2000 tool_is $H db 0x1
echo "c 0x1" > $H/db

# the function is unlinked and linked again: the doorbell is released and
# taken again, and the host's driver probes anew
echo N > $H/link
host_remove $C
vntb_down v0 $C
vntb_up v0 $C
relinked() {
	H=$TOOLDBG/$(host_dev $C)
	[ -d $H ] || return 1
	echo Y > $H/link
	link_up
}
ring_once() {
	echo "c 0xf" > $E/db
	echo "s 0x2" > $H/peer_db
	wait_until 2000 ep_has 2 && test "$(cat $P/db_irqs)" = 1
}
ktap_result "relinked: the doorbell taken again, and a ring arrives" \
	eval 'wait_until 5000 relinked && ring_once'

host_teardown $C v0
rmmod ntb_tool
ktap_finish
