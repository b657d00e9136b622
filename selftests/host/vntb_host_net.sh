#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ntb_transport and ntb_netdev across the two ends in one kernel: the
# endpoint's interface moves to its own network namespace, the host pings
# it over the NTB link and sends it a file. The transport is loaded so
# that both ends link for sure (transport_load in lib/host.sh).

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 7

C=pci-epc-sim.0
host_setup $C v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
HDEV=$(host_dev $C)
BULK_BYTES=$((4 << 20))

ktap_result "transport: loaded at both ends, the endpoint's first" \
	transport_load $C
modprobe ntb_netdev
HNET=$(net_of $HDEV)
ENET=$(net_of 0000:ff:00.0)
ktap_result "netdev: one interface per end ($HNET host, $ENET endpoint)" \
	test -n "$HNET" -a -n "$ENET"

net_pair "$HNET" "$ENET"
carrier() { [ "$(cat /sys/class/net/$HNET/carrier 2>/dev/null)" = 1 ]; }
if wait_until 60000 carrier; then
	ktap_ok "transport: the queue pair links up"
	pinged=0
	if ping_n 10 10.99.0.2; then
		ktap_ok "netdev: the host pings the endpoint 10 times across the link"
		pinged=1
	else
		ktap_fail "netdev: the host pings the endpoint 10 times across the link"
	fi
	ktap_info "host->ep ping: $(ping_rtt 10.99.0.2)"
	ktap_result "netdev: the endpoint pings the host back" \
		nsenter -t $NET_NS -n sh -c ". ./lib/host.sh; ping_n 10 10.99.0.1"
	# where no ping crossed, no bulk will: failed at once, not after
	# wget's two minutes
	if [ $pinged = 0 ]; then
		ktap_fail "netdev: $BULK_BYTES bytes from host to endpoint arrive intact"
		ktap_info "bulk host->ep: not tried, no ping crossed the link"
	elif ms=$(net_bulk $BULK_BYTES); then
		ktap_ok "netdev: $BULK_BYTES bytes from host to endpoint arrive intact"
	else
		ktap_fail "netdev: $BULK_BYTES bytes from host to endpoint arrive intact"
	fi
	ktap_info "bulk host->ep: $BULK_BYTES bytes in ${ms:-?} ms"
else
	ktap_fail "transport: the queue pair links up"
	for d in $HDEV 0000:ff:00.0; do
		ktap_info "$d: $(grep -i link /sys/kernel/debug/ntb_transport/$d/qp0/stats | tr '\n' ' ')"
	done
	ktap_skip "netdev: the host pings the endpoint across the link" "no link"
	ktap_skip "netdev: the endpoint pings the host back" "no link"
	ktap_skip "netdev: bulk transfer from host to endpoint" "no link"
fi

net_unpair "$HNET"
rmmod ntb_netdev
rmmod ntb_transport
host_teardown $C v0
ktap_finish
