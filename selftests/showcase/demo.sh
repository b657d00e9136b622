#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What vNTB is for, shown: the host's unchanged ntb_hw_epf binds to our
# function, ntb_netdev gives each end a network interface, the host pings
# the endpoint; then the operator resizes the memory window with the host
# attached (stop, unlink, change, relink, start), the host binds again and
# the ping goes through again, without a reboot. The controller is the
# simulated one in host mode, on its "generic" preset (no reserved BARs,
# as RK3588, R-Car, AM6x or Tegra), set up with the README's commands.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

say() {
	echo "# vntb-demo: $*"
}

# run CMD... - show a command as the operator types it, then run it
run() {
	say "  \$ $*"
	"$@"
}

# bring_up CTRL - the function linked, the host absent: load the NTB
# transport on the endpoint alone and await its cleanup (transport_load
# in lib/host.sh says why), start the controller, let the host bind, and
# give both ends a network interface
bring_up() {
	transport_alone "$1" || return 1
	run sh $VNTB_CFS start "$1"
	[ "$(host_driver "$1")" = ntb_hw_epf ] || return 1
	# a transport gets a network interface from ntb_netdev only if it
	# exists when ntb_netdev loads
	modprobe ntb_netdev
}

# ping_up - both ends have their interface, paired, and the host pings
ping_up() {
	_both_nets() {
		HNET=$(net_of "$HDEV")
		ENET=$(net_of 0000:ff:00.0)
		[ -n "$HNET" ] && [ -n "$ENET" ]
	}
	NET_NS=
	wait_until 30000 _both_nets || return 1
	net_pair "$HNET" "$ENET" || return 1
	_carrier() { [ "$(cat /sys/class/net/$HNET/carrier 2>/dev/null)" = 1 ]; }
	wait_until 60000 _carrier || return 1
	say "host $HNET 10.99.0.1, endpoint $ENET 10.99.0.2: $(ping_rtt 10.99.0.2)"
	ping_n 3 10.99.0.2
}

ktap_header
ktap_plan 5
C=pci-epc-sim.0
EXAMPLE="vendorid=0x1957 deviceid=0x0809 vntb_vid=0x104c vntb_pid=0xb00d
	db_count=4 spad_count=16 num_mws=1 mw1=0x100000"

say "a controller in host mode: it plays the host's root complex too"
host_sim_load 1 generic
vntb_load
modprobe ntb_hw_epf
HDEV=$(host_dev $C)
say "the README's set-up, on the endpoint:"
# shellcheck disable=SC2086
run sh $VNTB_CFS create v0 $EXAMPLE
run sh $VNTB_CFS link v0 $C
ktap_result "the host's ntb_hw_epf binds to the function" bring_up $C
say "host: $HDEV bound to $(host_driver $C), BARs:"
sed -n 1,6p /sys/bus/pci/devices/$HDEV/resource | awk '$1 != "0x0000000000000000" {
	printf "# vntb-demo:   BAR %d %s-%s\n", NR - 1, $1, $2 }'
ktap_result "ntb_netdev: the host pings the endpoint" ping_up
[ -n "$NET_NS" ] && net_unpair "$HNET"

say "reconfigure with the host attached: window 1 from 1 MiB to 2 MiB"
say "(the rig hot-removes the host's device first, as its host cannot yet"
say "outlive the controller stopping under it, and reloads ntb_transport,"
say "whose probe races a peer already up: see lib/host.sh)"
rmmod ntb_netdev
rmmod ntb_transport
host_remove $C
run sh $VNTB_CFS stop $C
run sh $VNTB_CFS unlink v0 $C
say "  \$ echo 0x200000 > $(vntb_attr v0 mw1)"
echo 0x200000 > "$(vntb_attr v0 mw1)"
run sh $VNTB_CFS link v0 $C
ktap_result "the host binds again after the relink" bring_up $C
size() {
	set -- $(sed -n 5p /sys/bus/pci/devices/$HDEV/resource) 0 -1
	echo $(($2 - $1 + 1))
}
say "host: BAR 4 is now $(size) bytes"
ktap_result "the host sees the new window size" test "$(size)" = $((0x200000))
ktap_result "ntb_netdev: the ping goes through again" ping_up
[ -n "$NET_NS" ] && net_unpair "$HNET"

say "shown: the host's unchanged ntb_hw_epf bound to the function set up"
say "as the README says, a ping across ntb_netdev, window 1 resized from"
say "1 MiB to 2 MiB with the host attached and no reboot, the host seeing"
say "the new size, and the ping again"
rmmod ntb_netdev
rmmod ntb_transport
host_remove $C
sh $VNTB_CFS stop $C
sh $VNTB_CFS unlink v0 $C
vntb_destroy v0
rmmod ntb_hw_epf
vntb_unload
sim_unload
ktap_finish
