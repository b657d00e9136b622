#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Races: bounded loops running at once. Two functions on two controllers
# are cycled (link, start, stop, unlink) by one actor each, while a host
# actor issues commands and rings doorbells on both controllers, an
# attribute actor writes both functions' attributes, and a client actor
# loads and unloads ntb_tool and ntb_pingpong (which rings from atomic
# context). Afterwards both functions must work, and neither controller
# saw a call that broke its contract. VNTB_RACE_CYCLES
# (default 25) and VNTB_RACE_SECONDS (default 60) bound each actor.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

cycles=${VNTB_RACE_CYCLES:-25}
seconds=${VNTB_RACE_SECONDS:-60}
ktap_header
ktap_plan 5

sim_load 2 generic,generic
vntb_load
vntb_create f0 db_count=4 spad_count=8 num_mws=1 mw1=0x10000 vbus_number=0xf0
vntb_create f1 db_count=5 spad_count=4 num_mws=2 mw1=0x10000 mw2=0x10000 \
	vbus_number=0xf1 vntb_pid=0xb00e
STOP=/tmp/races.stop
rm -f $STOP /tmp/races.*
end=$(($(date +%s) + seconds))

# more - an actor may go on: neither told to stop nor out of time
more() {
	[ ! -e $STOP ] && [ "$(date +%s)" -lt $end ]
}

# cycler FUNC CTRL - link, start, stop, unlink; prints its cycle count
cycler() {
	local n=0 bad=0

	while [ $n -lt $cycles ] && more; do
		n=$((n + 1))
		if vntb_up $1 $2; then
			host_cmd $2 5 0 > /dev/null
		else
			bad=$((bad + 1))
		fi
		vntb_down $1 $2 || bad=$((bad + 1))
	done
	echo "$n $bad" > /tmp/races.$1
}

# host - commands and doorbells on both controllers while any cycler runs
host() {
	local n=0 c

	while more; do
		n=$((n + 1))
		for c in pci-epc-sim.0 pci-epc-sim.1; do
			hv_write32 $c 0 0x10 0x40000000 2>/dev/null
			hv_write32 $c 0 0x18 0x10000 2>/dev/null
			hv_write32 $c 0 0x4 $((n % 3)) 2>/dev/null
			hv_write32 $c 0 0x0 $((n % 6 + 1)) 2>/dev/null
			hv_write32 $c $DB_BAR $((n % 4 * 4)) 3 2>/dev/null
		done
	done
	echo $n > /tmp/races.host
}

# attrs - attribute writes, accepted only while a function is unlinked
attrs() {
	local n=0

	while more; do
		n=$((n + 1))
		echo $((n % 4 + 4)) > "$(vntb_attr f0 spad_count)" 2>/dev/null
		echo $((n % 3 + 3)) > "$(vntb_attr f1 db_count)" 2>/dev/null
		cat "$(vntb_attr f0 num_mws)" "$(vntb_attr f1 mw2)" > /dev/null
	done
	echo $n > /tmp/races.attrs
}

# clients - NTB clients come and go on whatever devices exist
clients() {
	local n=0

	while more; do
		n=$((n + 1))
		modprobe ntb_tool && rmmod ntb_tool
		modprobe ntb_pingpong delay_ms=1 && usleep 20000 && rmmod ntb_pingpong
	done
	echo $n > /tmp/races.clients
}

host & h=$!
attrs & a=$!
clients & c=$!
cycler f0 pci-epc-sim.0 & p0=$!
cycler f1 pci-epc-sim.1 & p1=$!
wait $p0 $p1
touch $STOP
wait $h $a $c

read -r n0 bad0 < /tmp/races.f0
read -r n1 bad1 < /tmp/races.f1
ktap_info "cycles $n0 + $n1, host rounds $(cat /tmp/races.host), attribute rounds $(cat /tmp/races.attrs), client rounds $(cat /tmp/races.clients)"
echo "vntb-races: $((n0 + n1)) interleaved cycles" > /dev/kmsg
ktap_report "interleaved lifecycle cycles" $((n0 + n1)) $((bad0 + bad1))
ktap_result "every cycle linked, started, stopped and unlinked" \
	test "$bad0/$bad1" = 0/0
ktap_result "both actors cycled at least once each" test "$n0" -gt 0 -a "$n1" -gt 0

echo 4 > "$(vntb_attr f0 spad_count)"
answers() {
	vntb_up $1 $2 && test "$(host_cmd $2 5 0)" = 1 &&
		test "$(hv_read32 $2 0 0x2c)" = "$3" && vntb_down $1 $2
}
ktap_result "f0 works afterwards, with the last spad_count written" \
	answers f0 pci-epc-sim.0 4
ktap_result "f1 works afterwards" answers f1 pci-epc-sim.1 4
ktap_result "no controller contract violation" \
	test "$(sim_state pci-epc-sim.0 violations)/$(sim_state pci-epc-sim.1 violations)" = 0/0
vntb_destroy f0
vntb_destroy f1
vntb_unload
sim_unload
ktap_finish
