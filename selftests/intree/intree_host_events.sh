#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The in-tree pci-epf-vntb of the test kernel through the host's own
# events, beside vntb_host_events.sh: ntb_tool on both ends, then a link
# loss, its return, a host reboot and a PERST# cycle (the controller's
# host_link, host_reboot and perst files): whether the function answered
# the teardown commands the host sent once the link was gone, whether
# the endpoint's client saw the link go, whether the host's driver binds
# again and whether the link comes back after each event. A report, not a gate
# (intree_row): Debian updates the in-tree driver under us. Each event is
# a declared surprise removal, as in vntb_host_events.sh. The function
# stays linked, as older in-tree drivers cannot be unlinked cleanly.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 10

C=pci-epc-sim.0
intree_tool_setup $C v0
both_up() { tool_is $H peer0/link Y && tool_is $E peer0/link Y; }
ep_down() { tool_is $E peer0/link N; }
bound() { test "$(host_driver $C)" = ntb_hw_epf; }

# event FILE VALUE - write VALUE to the controller's FILE
event() { echo "$2" > "$SIMDBG/$C/$1"; }

# back - the host's driver bound again, its link enabled: both ends up
back() {
	bound || return 1
	echo Y > $H/link
	wait_until 5000 both_up
}

echo Y > $H/link
intree_row "the link comes up on both ends" wait_until 3000 both_up

# the host driver's WARN for a command nobody answered, so far
unanswered() { dmesg | grep -c "WARNING:.*ntb_epf_send_command"; }
warns=$(unanswered)
surprise_removal event host_link 0
intree_row "link lost: the dying host's teardown commands are answered (on hardware none could arrive)" \
	test "$(unanswered)" = "$warns"
intree_row "link lost: the endpoint's client sees the link down" wait_until 3000 ep_down
intree_row "link lost: a doorbell to the absent host is refused" \
	eval '! echo "s 0x1" > $E/peer_db 2>/dev/null'
surprise_removal event host_link 1
intree_row "link back: ntb_hw_epf binds again" bound
intree_row "link back: the link comes back on both ends" back

surprise_removal event host_reboot 1
intree_row "host reboot: the link comes back on both ends" back

if [ -e "$SIMDBG/$C/perst" ]; then
	surprise_removal event perst 1
	intree_row "PERST#: the link comes back on both ends" back
else
	ktap_skip "observed: PERST#: the link comes back" "this kernel has no epc_deinit"
fi
intree_row "the controller saw no contract violation" \
	test "$(sim_state $C violations)" = 0
intree_row "the host's device was removed 3 times" \
	test "$(host_state $C unplugs)" -ge 3

host_remove $C
sh $VNTB_CFS stop $C
ktap_finish
