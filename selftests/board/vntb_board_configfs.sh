#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad configuration on a board: values out of range refused as they are
# written, writes refused while linked, a configuration the controller
# cannot take refused at link; each with its errno, one log line, and
# the function left as it was, still able to link.

. ./board.sh

# refused WHAT ERRNO LOG CMD... - CMD fails naming ERRNO, and the kernel
# log gains exactly one line with LOG
refused() {
	local what=$1 errno=$2 log=$3 err n

	shift 3
	board_mark "$what"
	if err=$("$@" 2>&1); then
		ktap_info "$what: accepted"
		return 1
	fi
	n=$(dmesg | sed -n "/vntb-board: $(basename "$0") $what/,\$p" | grep -cF "$log")
	case "$err" in
	*"$errno"*) [ "$n" = 1 ] ;;
	*) ktap_info "$what: '$err'"; return 1 ;;
	esac
}
put() { echo "$2" > "$(board_attr c0 "$1")"; }

board_begin 6
C=$(board_epcs | head -n 1)
board_create c0
ktap_result "num_mws 5 refused with ERANGE" \
	refused num_mws "Numerical result out of range" "num_mws: refusing '5'" \
	put num_mws 5
ktap_result "mw1 not a power of two refused with EINVAL" \
	refused mw1 "Invalid argument" "mw1: refusing '0x123456'" \
	put mw1 0x123456
ktap_result "the refused writes changed nothing" \
	test "$(cat "$(board_attr c0 num_mws)")/$(cat "$(board_attr c0 mw1)")" = 1/1048576
sh "$VNTB_CFS" link c0 "$C"
ktap_result "a write while linked refused with EBUSY" \
	refused busy "Device or resource busy" "db_count: refusing '5'" \
	put db_count 5
sh "$VNTB_CFS" unlink c0 "$C"
put mw1_bar 2
ktap_result "a BAR against ntb_hw_epf's map refused at link with EINVAL" \
	refused link "Invalid argument" "cannot link: mw1_bar: BAR 2 refused" \
	sh "$VNTB_CFS" link c0 "$C"
[ -L "$CFS_EP/controllers/$C/c0" ] && sh "$VNTB_CFS" unlink c0 "$C"
put mw1_bar -1
ktap_result "the function links after the refusals" \
	eval 'sh "$VNTB_CFS" link c0 "$C" && sh "$VNTB_CFS" unlink c0 "$C"'
sh "$VNTB_CFS" destroy c0
ktap_finish
