#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Configfs fuzz: in each state of a function (created, linked, started)
# write numbers out of range, non-numbers, blank and oversized strings
# and random bytes into every attribute, and try names that do not
# exist. A refused write must leave the attribute as it was, a write
# while linked must be refused, and a normal link and start must work
# afterwards. Each attribute is also written a known-good value, which
# must be accepted while unlinked and refused while linked, so that no
# attribute's "refused while linked" rests on random draws.
# VNTB_FUZZ_ROUNDS (default 40) random writes per state.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

rounds=${VNTB_FUZZ_ROUNDS:-40}
ktap_header
ktap_plan 5

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 db_count=4 spad_count=8 num_mws=1 mw1=0x10000
D=$(dirname "$(vntb_attr v0 db_count)")
attrs=$(ls $D)
long=$(head -c 6000 /dev/zero | tr '\0' 7)

# good ATTR - a value ATTR accepts while unlinked, once num_mws took its
# own (empty for an attribute this test does not know)
good() {
	case $1 in
	db_count) echo 4 ;;
	spad_count) echo 8 ;;
	num_mws) echo 4 ;;
	mw1|mw2|mw3|mw4) echo 0x10000 ;;
	vbus_number) echo 255 ;;
	vntb_vid) echo 0x104c ;;
	vntb_pid) echo 0xb00d ;;
	ctrl_bar|db_bar|mw1_bar|mw2_bar|mw3_bar|mw4_bar) echo -1 ;;
	poll_min_us) echo 20 ;;
	poll_max_us) echo 10000 ;;
	esac
}

# try ATTR VALUE - write VALUE; count it bad if a refused write changed
# the attribute, or if a write while linked was accepted; returns the
# write's status
try() {
	local before after rc

	# reads with the shell's own read: a fork per read made the fuzz
	# last longer than a boot may on the slower debug kernel
	tried=$((tried + 1))
	IFS= read -r before < "$D/$1"
	printf '%s' "$2" > "$D/$1" 2>/dev/null
	rc=$?
	IFS= read -r after < "$D/$1"
	if [ $rc -ne 0 ] && [ "$before" != "$after" ]; then
		ktap_info "$1: refused '$2' but changed $before -> $after"
		bad=$((bad + 1))
	elif [ $rc -eq 0 ] && [ "$linked" = 1 ]; then
		ktap_info "$1: accepted '$2' while linked"
		bad=$((bad + 1))
	fi
	return $rc
}

# fuzz STATE - every attribute with its known-good value, then fixed
# nasty values, then random ones; each kind must have been tried, the
# known-good one on every attribute
fuzz() {
	local state=$1 a i v n_good n_fixed

	bad=0 tried=0
	# num_mws first: mwN takes a size only up to num_mws
	for a in num_mws $attrs; do
		v=$(good $a)
		if [ -z "$v" ]; then
			ktap_info "$a: no known-good value in this test"
			bad=$((bad + 1))
		elif ! try $a "$v" && [ "$linked" = 0 ]; then
			ktap_info "$a: refused its known-good value '$v' while unlinked"
			bad=$((bad + 1))
		fi
	done
	n_good=$tried
	for a in $attrs; do
		for v in " " "-" "0x" "abc" "12abc" "1e3" "-1" "-2" "0" \
			 "4294967296" "99999999999999999999999" "0x7fffffffffffffff" \
			 "-9223372036854775809" "$long" "1 2" "0x1000 junk" "3.5"; do
			try $a "$v"
		done
	done
	n_fixed=$((tried - n_good))
	i=0
	while [ $i -lt $rounds ]; do
		i=$((i + 1))
		set -- $attrs
		shift $(($(rand32) % $#))
		case $(($(rand32) % 3)) in
		0) v=$(rand32) ;;
		1) v=$(($(rand32) % 70 - 5)) ;;
		*) v=$(head -c $(($(rand32) % 12 + 1)) /dev/urandom | tr '\0\n' xy) ;;
		esac
		try $1 "$v"
	done
	ktap_info "$state: $n_good known-good, $n_fixed fixed, $((tried - n_good - n_fixed)) random writes to $(echo $attrs | wc -w) attributes"
	ktap_report "configfs writes while $state" $tried $bad
	ktap_result "$state: refused writes change nothing$([ "$linked" = 1 ] && echo ', every write refused')" \
		test $bad -eq 0 -a $n_good -gt 0 -a $n_fixed -gt 0 \
			-a $((tried - n_good - n_fixed)) -eq $rounds
}

restore() {
	for kv in db_count=4 spad_count=8 num_mws=1 mw1=0x10000 mw2=0 \
		  mw3=0 mw4=0 vbus_number=255 vntb_vid=0x104c vntb_pid=0xb00d \
		  ctrl_bar=-1 db_bar=-1 mw1_bar=-1 mw2_bar=-1 mw3_bar=-1 mw4_bar=-1 \
		  poll_min_us=20 poll_max_us=10000; do
		echo "${kv#*=}" > "$D/${kv%%=*}" 2>/dev/null
	done
}

linked=0
fuzz created
restore
sh $VNTB_CFS link v0 $C
linked=1
fuzz linked
sh $VNTB_CFS start $C
fuzz started
linked=0
vntb_down v0 $C
restore

names_refused() {
	! { echo 1 > $D/no_such_attribute; } 2>/dev/null &&
		! mkdir $D/subdir 2>/dev/null &&
		! { echo 1 > $D/../no_such_attribute; } 2>/dev/null
}
ktap_result "attributes that do not exist cannot be created" names_refused
ktap_result "a normal link and start work after the fuzz" vntb_up v0 $C
vntb_down v0 $C
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
