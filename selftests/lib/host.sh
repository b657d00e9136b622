# SPDX-License-Identifier: GPL-2.0
# Helpers for the host-mode selftests: the simulated controller playing
# the root complex, and ntb_tool on both ends of the link.

TOOLDBG=/sys/kernel/debug/ntb_tool

# host_sim_load COUNT PRESETS [PARAM=VALUE...] - load the controllers in
# host mode
host_sim_load() {
	local n=${1:-1} presets=${2:-imx8}

	shift 2 2>/dev/null || shift $#
	insmod "$MODDIR/extra/pci-epc-sim.ko" count="$n" presets="$presets" \
		ob_base="$RIG_OB_BASE" ob_size="$RIG_OB_SIZE" host=1 "$@"
}

# host_dev CTRL - the host-side PCI device of controller pci-epc-sim.N
host_dev() {
	printf '%x:00:00.0' $((0x10000 + ${1##*.}))
}

# host_driver CTRL - the driver bound to the host-side device, if any
host_driver() {
	local d

	d=/sys/bus/pci/devices/$(host_dev "$1")/driver
	[ -e "$d" ] && basename "$(readlink "$d")"
}

# host_absent CTRL - the host-side device of CTRL is gone from the bus
host_absent() {
	[ ! -e "/sys/bus/pci/devices/$(host_dev "$1")" ]
}

# host_remove CTRL - remove the host-side device, as a host would before
# the endpoint stops: its driver unbinds while the function still answers
host_remove() {
	local d

	d=/sys/bus/pci/devices/$(host_dev "$1")
	[ -e "$d" ] && echo 1 > "$d/remove"
	true
}

# host_state CTRL KEY - one value from the controller's host file
host_state() {
	sed -n "s/^$2 //p" "$SIMDBG/$1/host"
}

# surprise_removal CMD... - CMD inside a surprise removal declared to the
# judge, which accepts ntb_hw_epf's command timeout WARN there alone
surprise_removal() {
	local rc

	echo "vntb-rig: surprise removal begins" > /dev/kmsg
	"$@"
	rc=$?
	echo "vntb-rig: surprise removal ends" > /dev/kmsg
	return $rc
}

# tool_read FILE - what an ntb_tool file reads, without the newline
tool_read() {
	tr -d '\n' 2>/dev/null < "$1"
}

# tool_is DIR FILE VALUE - an ntb_tool file reads VALUE
tool_is() {
	[ "$(tool_read "$1/$2")" = "$3" ]
}

# tool_release_windows COUNT DIR... - give back the buffers of windows 0
# to COUNT - 1 that ntb_tool set up in each tool directory: its remove
# deletes its debugfs tree, then each window's file again (a
# use-after-free) when a window is still set up
tool_release_windows() {
	local n=$1 t w

	shift
	for t in "$@"; do
		w=0
		while [ $w -lt "$n" ]; do
			echo 0 > "$t/peer0/mw_trans$w"
			echo 0:0 > "$t/peer0/peer_mw_trans$w"
			w=$((w + 1))
		done
	done 2>/dev/null
}

# mw_cross WRITER_FILE READER_FILE BYTES - write random bytes through one
# end's window file and read them back through the other's
mw_cross() {
	dd if=/dev/urandom of=/tmp/mw.in bs="$3" count=1 2>/dev/null
	dd if=/tmp/mw.in of="$1" bs="$3" count=1 conv=notrunc 2>/dev/null
	dd if="$2" of=/tmp/mw.out bs="$3" count=1 2>/dev/null
	cmp -s /tmp/mw.in /tmp/mw.out
}

# host_setup CTRL FUNC ATTR=VALUE... - controller in host mode, our module,
# ntb_hw_epf, and FUNC linked and started: both NTB devices exist
host_setup() {
	local c=$1 f=$2

	shift 2
	host_sim_load 1 imx8
	vntb_load
	modprobe ntb_hw_epf
	vntb_create "$f" "$@"
	vntb_up "$f" "$c"
}

# host_teardown CTRL FUNC - undo host_setup: the host device goes first,
# while the function still answers its driver's last commands
host_teardown() {
	host_remove "$1"
	vntb_down "$2" "$1"
	ktap_result "sim: no contract violation" \
		test "$(sim_state "$1" violations)" = 0
	vntb_destroy "$2"
	rmmod ntb_hw_epf
	vntb_unload
	sim_unload
}

# intree_tool_setup CTRL FUNC - the in-tree function FUNC linked and
# started on CTRL in host mode, with ntb_hw_epf and ntb_tool; HDEV is the
# host device, H and E the host's and the endpoint's ntb_tool directories
intree_tool_setup() {
	host_sim_load 1 imx8
	modprobe ntb_tool
	modprobe ntb_hw_epf
	intree_load
	vntb_create "$2" db_count=4 spad_count=16 num_mws=1 mw1=0x100000
	vntb_up "$2" "$1"
	HDEV=$(host_dev "$1")
	H=$TOOLDBG/$HDEV
	E=$(ls -d "$TOOLDBG"/* | grep -v "$HDEV" | head -n 1)
}

# transport_load CTRL - load ntb_transport with both ends
# linking for sure. Probing a device whose link is down, ntb_transport
# queues a cleanup that cancels the link work of a link-up arriving before
# the cleanup runs, and that transport never links. So the endpoint's
# transport probes alone, with the host device removed, and its cleanup
# (which zeroes the endpoint's scratchpads, where a marker was left) is
# awaited before a controller restart presents the host device again
# (a PCI rescan would reassign its BARs, which the sim does not follow).
transport_load() {
	host_remove "$1"
	transport_alone "$1" || return 1
	sh $VNTB_CFS stop "$1"
	sh $VNTB_CFS start "$1"
	test "$(host_driver "$1")" = ntb_hw_epf
}

# transport_alone CTRL - with no host device on CTRL, load ntb_transport
# on the endpoint and await its cleanup, seen as the marker it leaves in
# the endpoint's first scratchpad zeroed
transport_alone() {
	local spad0

	# the endpoint's scratchpads follow the host's: spad_offset and
	# spad_count are at 0x28 and 0x2c of the control region
	spad0=$(($(hv_read32 "$1" 0 0x28) + $(hv_read32 "$1" 0 0x2c) * 4))
	_ep_cleaned() { [ "$(hv_read32 "$1" 0 $spad0)" = 0 ]; }
	hv_write32 "$1" 0 $spad0 0x5a5a5a5a
	modprobe ntb_transport
	wait_until 30000 _ep_cleaned "$1"
}

# net_of PCI - the ntb_netdev interface whose device sits under PCI
net_of() {
	local n

	for n in /sys/class/net/*; do
		readlink -f "$n/device" | grep -q "/$1/" && basename "$n"
	done
}

# net_pair HNET ENET - HNET 10.99.0.1 here, ENET 10.99.0.2 in a network
# namespace of its own held by process $NET_NS; prints nothing
net_pair() {
	unshare -n sleep 3600 &
	NET_NS=$!
	_own_netns() {
		[ "$(readlink /proc/$NET_NS/ns/net)" != "$(readlink /proc/self/ns/net)" ]
	}
	wait_until 10000 _own_netns || return 1
	ip link set dev "$2" netns $NET_NS
	nsenter -t $NET_NS -n ip addr add 10.99.0.2/24 dev "$2"
	nsenter -t $NET_NS -n ip link set dev "$2" up
	ip addr add 10.99.0.1/24 dev "$1"
	ip link set dev "$1" up
}

# net_unpair HNET - end the namespace of net_pair, its interface returns
net_unpair() {
	kill $NET_NS
	wait $NET_NS 2>/dev/null
	ip link set dev "$1" down
}

# net_bulk BYTES - serve BYTES random bytes over HTTP from the host and
# fetch them from the namespace of net_pair; prints the milliseconds the
# fetch took and fails unless the bytes arrived intact
net_bulk() {
	local t0 t1 httpd ret=0

	mkdir -p /tmp/www
	dd if=/dev/urandom of=/tmp/www/bulk bs=65536 count=$(($1 / 65536)) 2>/dev/null
	httpd -f -p 10.99.0.1:8080 -h /tmp/www &
	httpd=$!
	_serving() { netstat -ltn | grep -q "10.99.0.1:8080 "; }
	wait_until 10000 _serving || ret=1
	t0=$(uptime_ms)
	[ $ret = 0 ] && nsenter -t $NET_NS -n timeout 120 \
		wget -q -O /tmp/bulk.rx http://10.99.0.1:8080/bulk || ret=1
	t1=$(uptime_ms)
	kill $httpd
	wait $httpd 2>/dev/null
	echo $((t1 - t0))
	[ $ret = 0 ] && cmp -s /tmp/www/bulk /tmp/bulk.rx
}

# ping_n COUNT ADDR - COUNT single pings, each bounded by timeout: the
# test kernel has no POSIX timers, so ping's own interval and deadline
# (alarm) never fire and a multi-packet ping hangs after the first reply
ping_n() {
	local i=0

	while [ $i -lt "$1" ]; do
		timeout 10 ping -c 1 "$2" > /tmp/ping.out 2>&1 || return 1
		i=$((i + 1))
	done
}

# ping_rtt ADDR - the round-trip line of one ping
ping_rtt() {
	timeout 10 ping -c 1 "$1" 2>&1 | sed -n 's/^round-trip //p'
}

# epf_test_up CTRL VECTORS - the in-tree pci-epf-test on CTRL with an ID
# the host's pci_endpoint_test knows (TI DRA74x: register BAR 0, 4K
# alignment) and VECTORS MSI and MSI-X vectors, started; succeeds once
# pci_endpoint_test has bound to it across the link
epf_test_up() {
	local f=$CFS/functions/pci_epf_test/t0

	modprobe pci-epf-test
	modprobe pci_endpoint_test
	mkdir $f
	echo 0x104c > $f/vendorid
	echo 0xb500 > $f/deviceid
	echo "$2" > $f/msi_interrupts
	echo "$2" > $f/msix_interrupts
	ln -s $f "$CFS/controllers/$1/"
	echo 1 > "$CFS/controllers/$1/start"
	_bound() { [ -c /dev/pci-endpoint-test.0 ]; }
	wait_until 10000 _bound
}

# epf_test_down CTRL - undo epf_test_up, the host device first; two
# cases: no contract violation, and both modules unload
epf_test_down() {
	echo 1 > "/sys/bus/pci/devices/$(host_dev "$1")/remove"
	echo 0 > "$CFS/controllers/$1/start"
	rm "$CFS/controllers/$1/t0"
	rmdir $CFS/functions/pci_epf_test/t0
	ktap_result "sim: no contract violation" \
		test "$(sim_state "$1" violations)" = 0
	ktap_result "pci_endpoint_test and pci-epf-test unload" \
		sh -c "rmmod pci_endpoint_test && rmmod pci_epf_test"
}

# intree_host_end CTRL HOST_TOOL_DIR - end an in-tree report across host
# mode: the link down, the host device removed and the controller
# stopped (the in-tree function stays linked), and one row: whether the
# controller saw a contract violation
intree_host_end() {
	echo N > "$2/link"
	host_remove "$1"
	echo 0 > "$CFS/controllers/$1/start"
	ktap_info "sim state: $(tr '\n' ' ' < "$SIMDBG/$1/state")"
	intree_row "the controller saw no contract violation" \
		test "$(sim_state "$1" violations)" = 0
}
