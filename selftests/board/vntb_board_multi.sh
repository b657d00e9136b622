#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Several instances on a board with more than one controller: a function
# on each of the first two, on buses of their own, both virtual NTB
# devices present at once, and both unlinked cleanly.

. ./board.sh

board_begin 3
set -- $(board_epcs)
if [ $# -lt 2 ]; then
	for t in "two functions link, one per controller" \
		 "two virtual NTB devices at once" "both unlink cleanly"; do
		ktap_skip "$t" "one controller (VNTB_EPC names two for this test)"
	done
	ktap_finish
	exit 4
fi
A=$1 B=$2
before=$(ls /sys/bus/ntb/devices 2>/dev/null | wc -l)
board_create m0 vbus_number=0xf0
board_create m1 vbus_number=0xf1 vntb_pid=0xb00e
ktap_result "two functions link, one per controller ($A, $B)" \
	eval 'sh "$VNTB_CFS" link m0 "$A" && sh "$VNTB_CFS" link m1 "$B"'
ktap_result "two virtual NTB devices at once" \
	test "$(ls /sys/bus/ntb/devices | wc -l)" -eq $((before + 2))
sh "$VNTB_CFS" unlink m0 "$A"
sh "$VNTB_CFS" unlink m1 "$B"
ktap_result "both unlink cleanly" \
	test "$(ls /sys/bus/ntb/devices 2>/dev/null | wc -l)" -eq "$before"
sh "$VNTB_CFS" destroy m0
sh "$VNTB_CFS" destroy m1
ktap_finish
