#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host goes away and comes back, as on a host reboot or a lost link:
# the controller signals link down (pci_epc_linkdown(), the simulated
# controller's linkdown file), the host's driver never sends its
# teardown commands. The endpoint's client must see the link go down,
# the handshake must restart from scratch, the host's window mapping and
# doorbell vectors must be forgotten (a doorbell to the absent host is
# refused, nothing is raised), nothing the host writes while the link is
# down may be answered, and once the controller signals link up the
# host's next doorbell setup and LINK_UP must bring the link back with no
# configfs action. Kernels
# without pci_epc_linkdown() (6.1) cannot signal the event: the cases
# are skipped there, saying so.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

CASES="host_up:the host sets up doorbells, window 0 and the link; the client sees it
client_down:link down: the endpoint's client sees the link go down
handshake:link down: link status, command and status read 0 by the host
window:link down: the host's window mapping is undone
db_refused:link down: a doorbell to the absent host is refused, nothing raised
deaf:link down: a command written meanwhile is not answered
stale:link up: the command written while down is dropped, not executed
db_unset:link up: a doorbell before the host sets up its vectors is refused
back:the host's setup and LINK_UP again bring the link back
db_back:a doorbell after the return reaches the host
clean:no controller contract violation"

# what KEY - the description of case KEY
what() {
	echo "$CASES" | sed -n "s/^$1://p"
}

ktap_header
ktap_plan "$(echo "$CASES" | wc -l)"

sim_load 1 generic
C=pci-epc-sim.0
if [ ! -e "$SIMDBG/$C/linkdown" ]; then
	while IFS=: read -r _ desc; do
		ktap_skip "$desc" "this kernel has no pci_epc_linkdown()"
	done <<-EOF
	$CASES
	EOF
	sim_unload
	ktap_finish
	exit
fi

vntb_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C
modprobe ntb_tool
T=$TOOLDBG/$(vdev ff)

# host_setup_link - what ntb_hw_epf does at probe: 16 doorbell vectors,
# window 0 at a host address, then LINK_UP
host_setup_link() {
	test "$(host_cmd $C 1 16)" = 1 || return 1
	host_mw_args $C 0x40000000 0x100000
	test "$(host_cmd $C 3 0)" = 1 || return 1
	test "$(host_cmd $C 5 0)" = 1
}
client_up() { tool_is $T peer0/link Y; }
client_down() { tool_is $T peer0/link N; }
handshake_reset() {
	test "$(hv_read16 $C 0 0xa)/$(hv_read32 $C 0 0x0)/$(hv_read16 $C 0 0x8)" = 0/0/0
}
ring_refused() {
	local before

	before=$(sim_irq $C 3)
	! echo "s 0x1" > $T/peer_db 2>/dev/null &&
		test "$(sim_irq $C 3)" = "$before"
}

set_up() {
	host_setup_link && wait_until 2000 client_up
}
ktap_result "$(what host_up)" set_up
echo 1 > "$SIMDBG/$C/linkdown"
ktap_result "$(what client_down)" \
	wait_until 2000 client_down
ktap_result "$(what handshake)" handshake_reset
ktap_result "$(what window)" sim_empty $C outbound
ktap_result "$(what db_refused)" ring_refused
ktap_result "$(what deaf)" test "$(host_cmd $C 5 0)" = 0
# host_cmd left LINK_UP in the command word: the link up must drop it
echo 1 > "$SIMDBG/$C/linkup"
ktap_result "$(what stale)" handshake_reset
ktap_result "$(what db_unset)" ring_refused
ktap_result "$(what back)" set_up
before=$(sim_irq $C 3)
echo "s 0x1" > $T/peer_db
irq_raised() { [ "$(sim_irq $C 3)" -gt "$before" ]; }
ktap_result "$(what db_back)" \
	wait_until 2000 irq_raised
ktap_result "$(what clean)" \
	test "$(sim_state $C violations)" = 0

rmmod ntb_tool
vntb_down v0 $C
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
