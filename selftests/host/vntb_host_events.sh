#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The host lives its own life under traffic. ntb_transport and ntb_netdev
# run at both ends; then, with no configfs action on the endpoint, the
# host reboots, loses the link and gets it back, goes through PERST#
# cycles (the simulated controller's host_reboot, host_link and perst
# files). After each event the host's driver probes again, and pings and
# a bulk transfer arrive intact. During a link loss the endpoint's
# interface loses its carrier. Each event is declared to the judge as a
# surprise removal: the host's ntb_hw_epf then WARNs on the teardown
# commands nobody answers, its own behaviour on hardware.
# Two things of the NTB stack shape each cycle, at both ends alike:
# ntb_transport, removed with a client's interface up, frees the queue
# under it and leaks the receive buffers posted to it, so the host's
# interface goes down before each event, as a rebooting host's network
# stack does; and ntb_netdev attaches only to the transports present
# when it loads, so it is loaded again after each event, as a rebooting
# host does, which in this one kernel makes the endpoint's interface
# anew as well. The endpoint's transport, NTB device and function stay.
# Last, the endpoint's operator stops the controller under traffic with
# the host bound, no courtesy asked, and relinks with another window
# size; traffic resumes. Counts: VNTB_HOST_REBOOTS (20),
# VNTB_HOST_LINKLOSS (20), VNTB_HOST_PERST (10).

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

REBOOTS=${VNTB_HOST_REBOOTS:-20}
LOSSES=${VNTB_HOST_LINKLOSS:-20}
PERSTS=${VNTB_HOST_PERST:-10}
C=pci-epc-sim.0
EDEV=0000:ff:00.0

ktap_header
ktap_plan 10

host_setup $C v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
HDEV=$(host_dev $C)
ktap_result "transport: loaded at both ends" transport_load $C

carrier() { [ "$(cat /sys/class/net/$HNET/carrier 2>/dev/null)" = 1 ]; }
ep_carrier() {
	nsenter -t $NET_NS -n ip -o link show dev "$ENET" | grep -q LOWER_UP
}
ep_no_carrier() { ! ep_carrier; }

# netdev_load - ntb_netdev loaded, an interface at each end, paired
netdev_load() {
	modprobe ntb_netdev
	_both() {
		HNET=$(net_of $HDEV) ENET=$(net_of $EDEV)
		[ -n "$HNET" ] && [ -n "$ENET" ]
	}
	wait_until 10000 _both || { ktap_info "no interface at one end"; return 1; }
	net_pair "$HNET" "$ENET"
}

# netdev_unload - the interfaces unpaired, ntb_netdev unloaded
netdev_unload() {
	net_unpair "$HNET"
	rmmod ntb_netdev
}

# netdev_again - ntb_netdev loaded anew
netdev_again() {
	netdev_unload
	netdev_load
}

# resumed - traffic flows again: pings both ways and 256 KiB from host
# to endpoint, intact
resumed() {
	wait_until 30000 carrier || { ktap_info "no carrier on $HNET"; return 1; }
	ping_n 2 10.99.0.2 || { ktap_info "no ping reply"; return 1; }
	nsenter -t $NET_NS -n sh -c ". ./lib/host.sh; ping_n 2 10.99.0.1" ||
		{ ktap_info "no ping reply from the host"; return 1; }
	net_bulk 262144 > /dev/null || { ktap_info "bulk data damaged or lost"; return 1; }
}

host_reboot() { echo 1 > "$SIMDBG/$C/host_reboot"; }
perst() { echo 1 > "$SIMDBG/$C/perst"; }
# link_loss - the link goes, the endpoint's interface loses its carrier,
# the link comes back
link_loss() {
	echo 0 > "$SIMDBG/$C/host_link" || return 1
	wait_until 10000 ep_no_carrier ||
		{ ktap_info "the endpoint's interface kept its carrier"; return 1; }
	echo 1 > "$SIMDBG/$C/host_link"
}

# cycles COUNT EVENT - COUNT times EVENT, then traffic resumes
cycles() {
	local n=$1 i=0 t0

	t0=$(uptime_ms)
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		ip link set dev "$HNET" down
		surprise_removal "$2" || { ktap_info "$2 $i failed"; return 1; }
		netdev_again && resumed || { ktap_info "after $2 $i"; return 1; }
	done
	ktap_info "$n times $2 in $(($(uptime_ms) - t0)) ms, $(host_state $C unplugs) host unplugs so far"
}

if ! netdev_load || ! resumed; then
	ktap_fail "netdev: traffic flows before any host event"
	ENET=
else
	ktap_ok "netdev: traffic flows before any host event"
fi

ktap_result "reboot: the host reboots $REBOOTS times, traffic resumes after each" \
	cycles "$REBOOTS" host_reboot
ktap_result "link: the link is lost and back $LOSSES times, the endpoint loses its carrier, traffic resumes" \
	cycles "$LOSSES" link_loss
if [ -e "$SIMDBG/$C/perst" ]; then
	ktap_result "perst: $PERSTS PERST# cycles, traffic resumes after each" \
		cycles "$PERSTS" perst
else
	ktap_skip "perst: PERST# cycles" "this kernel has no epc_deinit"
fi
ktap_result "sim: no contract violation across the host's events" \
	test "$(sim_state $C violations)" = 0

# the operator stops the controller under traffic from the endpoint,
# the host bound (its interface down, see above). No surprise removal is
# declared: the host removes its device by itself, and in this rig its
# driver's teardown commands still reach the function, which answers
# each of them, as it must while it can.
ip link set dev "$HNET" down
nsenter -t $NET_NS -n sh -c ". ./lib/host.sh; ping_n 1000 10.99.0.1" > /dev/null 2>&1 &
pinger=$!
stopped() {
	sh $VNTB_CFS stop $C || return 1
	wait_until 30000 host_absent $C
}
ktap_result "stop: the controller stops under traffic, the host lets go by itself" \
	stopped
kill $pinger 2>/dev/null
wait $pinger 2>/dev/null

# relink with a window twice the size; the endpoint's transport probes
# alone first, then the host's (transport_load in lib/host.sh)
relink() {
	netdev_unload
	rmmod ntb_transport
	sh $VNTB_CFS unlink v0 $C &&
		echo 0x200000 > "$(vntb_attr v0 mw1)" &&
		sh $VNTB_CFS link v0 $C &&
		transport_alone $C &&
		sh $VNTB_CFS start $C &&
		netdev_load &&
		grep -q "size=0x200000 " "$SIMDBG/$C/bars"
}
ktap_result "relink: a new window size, linked and started again" relink
ktap_result "relink: traffic resumes" resumed

netdev_unload
rmmod ntb_transport
host_teardown $C v0
ktap_finish
