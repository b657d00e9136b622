#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ntb_transport and ntb_netdev across the two ends in one kernel: the
# endpoint's interface moves to its own network namespace, and the host
# pings it over the NTB link.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 5

C=pci-epc-sim.0
host_setup $C v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
HDEV=$(host_dev $C)

modprobe ntb_transport
modprobe ntb_netdev
# net_of PCI - the ntb_netdev interface whose device sits under PCI
net_of() {
	local n

	for n in /sys/class/net/*; do
		readlink -f "$n/device" | grep -q "/$1/" && basename "$n"
	done
}
HNET=$(net_of $HDEV)
ENET=$(net_of 0000:ff:00.0)
ktap_result "netdev: one interface per end ($HNET host, $ENET endpoint)" \
	test -n "$HNET" -a -n "$ENET"

unshare -n sleep 600 &
NS=$!
usleep 200000
ip link set dev "$ENET" netns $NS
nsenter -t $NS -n ip addr add 10.99.0.2/24 dev "$ENET"
nsenter -t $NS -n ip link set dev "$ENET" up
ip addr add 10.99.0.1/24 dev "$HNET"
ip link set dev "$HNET" up
carrier() { [ "$(cat /sys/class/net/$HNET/carrier 2>/dev/null)" = 1 ]; }
if wait_until 180000 carrier; then
	ktap_ok "transport: the queue pair links up"
	ktap_result "netdev: the host pings the endpoint 10 times across the link" \
		ping_n 10 10.99.0.2
	ktap_info "host->ep ping: $(ping_rtt 10.99.0.2)"
	ktap_result "netdev: the endpoint pings the host back" \
		nsenter -t $NS -n sh -c ". ./lib/host.sh; ping_n 10 10.99.0.1"
else
	ktap_fail "transport: the queue pair links up"
	ktap_info "host link $(cat /sys/kernel/debug/ntb_transport/$HDEV/stats 2>/dev/null | grep -i link)"
	ktap_skip "netdev: the host pings the endpoint across the link" "no link"
	ktap_skip "netdev: the endpoint pings the host back" "no link"
fi

kill $NS
wait $NS 2>/dev/null
ip link set dev "$HNET" down
rmmod ntb_netdev
rmmod ntb_transport
host_teardown $C v0
ktap_finish
