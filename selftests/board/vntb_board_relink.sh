#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The relink loop on a board: VNTB_CYCLES times link, start, stop,
# unlink, with the windows and doorbells reconfigured between cycles; the
# virtual NTB device comes with each link and goes with each unlink, and
# the kernel stays quiet and, where kmemleak exists, leaks nothing of
# ours.

. ./board.sh

board_begin 4
C=$(board_epcs | head -n 1)
N=${VNTB_CYCLES:-10}
board_create r0
before=$(ls /sys/bus/ntb/devices 2>/dev/null | wc -l)
bad=0 bad_dev=0 i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	echo $((0x100000 << (i % 2))) > "$(board_attr r0 mw1)"
	echo $((i % 4 + 4)) > "$(board_attr r0 db_count)"
	if sh "$VNTB_CFS" link r0 "$C"; then
		[ "$(ls /sys/bus/ntb/devices | wc -l)" -eq $((before + 1)) ] ||
			bad_dev=$((bad_dev + 1))
		{ sh "$VNTB_CFS" start "$C" && sh "$VNTB_CFS" stop "$C"; } ||
			bad=$((bad + 1))
		sh "$VNTB_CFS" unlink r0 "$C" || bad=$((bad + 1))
		[ "$(ls /sys/bus/ntb/devices 2>/dev/null | wc -l)" -eq "$before" ] ||
			bad_dev=$((bad_dev + 1))
	else
		bad=$((bad + 1))
	fi
done
sh "$VNTB_CFS" destroy r0
ktap_result "$N link/start/stop/unlink cycles on $C, reconfigured between" \
	test $bad -eq 0
ktap_result "the virtual NTB device comes with each link, goes with each unlink" \
	test $bad_dev -eq 0
ktap_result "no kernel warning during the cycles" test "$(board_splats)" = 0
leaks=$(board_leaks)
if [ -z "$leaks" ]; then
	ktap_skip "kmemleak finds nothing of ours" "no kmemleak in this kernel"
else
	ktap_result "kmemleak finds nothing of ours ($leaks objects)" \
		test "$leaks" = 0
fi
ktap_finish
