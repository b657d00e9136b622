#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The link with a host on the other end, as ntb_test.sh drives its remote
# side: VNTB_HOST_SH runs a shell command on the host (e.g. "ssh
# root@host"); without it every case is skipped. The host has the
# function's controller in a slot and ntb_hw_epf and ntb_tool available;
# the function is the README's (1957:0809). After a rescan the host's
# ntb_hw_epf binds, the link comes up at both ends, doorbells ring both
# ways, a scratchpad written here is read there, and bytes the host
# writes through window 1 arrive here intact.

. ./board.sh

CASES="the host's ntb_hw_epf binds to the function after a rescan
ntb_tool: the link is up at both ends
doorbell host->endpoint: bit 1 arrives
doorbell endpoint->host: bit 0 arrives
scratchpad: written here as the peer's 3, read there as its own 3
window 1: 64 KiB the host writes arrive here intact
no kernel warning on the endpoint"

# on_host COMMAND - COMMAND in a shell on the host
on_host() {
	# shellcheck disable=SC2086
	$VNTB_HOST_SH "$1"
}

board_begin 7
if [ -z "${VNTB_HOST_SH:-}" ]; then
	echo "$CASES" | while read -r t; do
		ktap_skip "$t" "no host: set VNTB_HOST_SH, e.g. \"ssh root@host\""
	done
	exit 4
fi
C=$(board_epcs | head -n 1)
T=/sys/kernel/debug/ntb_tool
board_create h0 vbus_number=0xfd
sh "$VNTB_CFS" link h0 "$C"
sh "$VNTB_CFS" start "$C"
modprobe ntb_tool
E=$(ls -d $T/*:fd:00.0 2>/dev/null)

# the host's device of the function, bound to ntb_hw_epf, by its IDs
HDEV=$(on_host 'echo 1 > /sys/bus/pci/rescan; modprobe ntb_hw_epf;
	modprobe ntb_tool
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat $d/vendor)$(cat $d/device)" = 0x19570x0809 ] &&
		[ "$(basename "$(readlink $d/driver)")" = ntb_hw_epf ] &&
		basename $d
	done' | head -n 1)
H=$T/$HDEV
ktap_result "the host's ntb_hw_epf binds to the function after a rescan" \
	test -n "$HDEV" -a -n "$E"

host_is() { [ "$(on_host "cat $H/$1")" = "$2" ]; }
here_is() { [ "$(cat "$E/$1")" = "$2" ]; }
on_host "echo Y > $H/link"
both_up() { here_is peer0/link Y && host_is peer0/link Y; }
ktap_result "ntb_tool: the link is up at both ends" board_wait 5000 both_up

on_host "echo 's 0x2' > $H/peer_db"
ktap_result "doorbell host->endpoint: bit 1 arrives" \
	board_wait 2000 here_is db 0x2
echo "c 0x2" > "$E/db"
echo "s 0x1" > "$E/peer_db"
ktap_result "doorbell endpoint->host: bit 0 arrives" \
	board_wait 2000 host_is db 0x1
on_host "echo 'c 0x1' > $H/db"

echo 0xcafef00d > "$E/peer0/spad3"
ktap_result "scratchpad: written here as the peer's 3, read there as its own 3" \
	host_is spad3 0xcafef00d

echo 0x100000 > "$E/peer0/mw_trans0"
on_host "echo 0:$((0x100000)) > $H/peer0/peer_mw_trans0"
dd if=/dev/urandom of=/tmp/vntb_mw.in bs=65536 count=1 2>/dev/null
on_host "dd of=$H/peer0/peer_mw0 bs=65536 count=1 conv=notrunc 2>/dev/null" \
	< /tmp/vntb_mw.in
dd if="$E/peer0/mw0" of=/tmp/vntb_mw.out bs=65536 count=1 2>/dev/null
ktap_result "window 1: 64 KiB the host writes arrive here intact" \
	cmp -s /tmp/vntb_mw.in /tmp/vntb_mw.out
rm -f /tmp/vntb_mw.in /tmp/vntb_mw.out

# each side gives back its window before its ntb_tool goes (ntb_tool's
# remove frees a window's file twice when one is still set up), then the
# host lets go first, as a host shutting down the link does
echo 0 > "$E/peer0/mw_trans0"
on_host "echo 0:0 > $H/peer0/peer_mw_trans0; echo N > $H/link;
	rmmod ntb_tool; echo 1 > /sys/bus/pci/devices/$HDEV/remove"
modprobe -r ntb_tool 2>/dev/null
sh "$VNTB_CFS" stop "$C"
sh "$VNTB_CFS" unlink h0 "$C"
sh "$VNTB_CFS" destroy h0
ktap_result "no kernel warning on the endpoint" test "$(board_splats)" = 0
ktap_finish
