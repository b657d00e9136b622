# SPDX-License-Identifier: GPL-2.0
# Helpers for the host-mode selftests: the simulated controller playing
# the root complex, and ntb_tool on both ends of the link.

TOOLDBG=/sys/kernel/debug/ntb_tool

# host_sim_load COUNT PRESETS - load the controllers in host mode
host_sim_load() {
	insmod "$MODDIR/extra/pci-epc-sim.ko" count="${1:-1}" \
		presets="${2:-imx8}" ob_base="$RIG_OB_BASE" \
		ob_size="$RIG_OB_SIZE" host=1
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

# tool_read FILE - what an ntb_tool file reads, without the newline
tool_read() {
	tr -d '\n' 2>/dev/null < "$1"
}

# tool_is DIR FILE VALUE - an ntb_tool file reads VALUE
tool_is() {
	[ "$(tool_read "$1/$2")" = "$3" ]
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
