#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: our function, then the test kernel's in-tree one, in the
# same boot, each across the sim's host mode with the unchanged
# ntb_hw_epf. Every figure is a line "# vntb-bench: KEY DRIVER VALUE"
# that run.sh puts side by side; no figure passes or fails, KTAP reports
# only whether each measurement could be taken.
#
# The in-tree function goes last and stays linked: it cannot be unlinked
# and linked again (Documentation/comparison.rst), so its cycle time is not
# measured.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

C=pci-epc-sim.0
HDEV=$(host_dev $C)
H=$TOOLDBG/$HDEV
# a 99th percentile of 2000 round trips is the 20th worst, not the 3rd
ROUNDS=${VNTB_BENCH_ROUNDS:-2000}
IDLE_S=${VNTB_BENCH_IDLE_S:-10}
CYCLES=5
ECHO_ROUNDS=${VNTB_BENCH_ECHO_ROUNDS:-2000}
FIRST_ROUNDS=${VNTB_BENCH_FIRST_ROUNDS:-15}
BULK_BYTES=$((8 << 20))
NET_RUNS=3

# fig KEY DRIVER VALUE - one figure
fig() {
	echo "# vntb-bench: $1 $2 $3"
}

# timer_irqs - local timer interrupts of every CPU so far
timer_irqs() {
	awk '/^ *LOC:/ { s = 0
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i
		print s }' /proc/interrupts
}

# wakeups_per_s - timer interrupts per second over IDLE_S idle seconds
wakeups_per_s() {
	local t0

	t0=$(timer_irqs)
	sleep "$IDLE_S"
	echo $((($(timer_irqs) - t0) / IDLE_S))
}

# ep_ntb_dev - the endpoint's NTB device
ep_ntb_dev() {
	ls /sys/bus/ntb/devices | grep -v "$HDEV" | head -n 1
}

# bench_doorbells DRIVER [AT] - wake-ups with the link idle, then the
# doorbell ping-pong. With AT ("poll_min_us=N", ours relinked with that
# limit) only the ping-pong, its figures keyed KEY@AT. The host rings bit
# 0, which the endpoint sees as the bits its first ring shows: bit 1 from
# 6.12's in-tree function (off by one), every valid bit from a doorbell
# interrupt shared by all.
bench_doorbells() {
	local d=$1 at=${2:+@$2} in=${2:+ at $2} e bits

	modprobe ntb_tool
	e=$TOOLDBG/$(ep_ntb_dev)
	echo Y > $H/link
	_linked() { tool_is $H peer0/link Y && tool_is "$e" peer0/link Y; }
	ktap_result "$d: link up for the doorbell figures$in" wait_until 5000 _linked
	if [ -z "$at" ]; then
		fig idle_wakeups_per_s "$d" "$(wakeups_per_s)"
	fi
	_rung() { ! tool_is "$e" db 0x0; }
	echo "s 0x1" > $H/peer_db
	wait_until 2000 _rung
	bits=$(tool_read "$e/db")
	echo "c $bits" > "$e/db"
	ktap_info "$d: the host's bit 0 shows as $bits at the endpoint"
	if timeout 300 dbping $H "$e" "$bits" "$ROUNDS" > /tmp/dbping.out; then
		ktap_ok "$d: $ROUNDS doorbell round trips$in"
		fig db_round_trips_per_s$at "$d" "$(sed -n 's/^round_trips_per_s //p' /tmp/dbping.out)"
		fig db_host_to_ep_median_us$at "$d" "$(awk '/^host_to_ep_us/ { print $3 }' /tmp/dbping.out)"
		fig db_host_to_ep_p99_us$at "$d" "$(awk '/^host_to_ep_us/ { print $5 }' /tmp/dbping.out)"
		fig db_ep_to_host_median_us$at "$d" "$(awk '/^ep_to_host_us/ { print $3 }' /tmp/dbping.out)"
		fig db_ep_to_host_p99_us$at "$d" "$(awk '/^ep_to_host_us/ { print $5 }' /tmp/dbping.out)"
	else
		ktap_fail "$d: $ROUNDS doorbell round trips$in"
	fi
	rmmod ntb_tool
}

# echo_run HOW - doorbell round trips timed in the kernel: the host
# rings, the endpoint's vntb-db-echo rings back from its doorbell event
# (HOW "event") or from a work item (HOW "work"), ECHO_ROUNDS times;
# prints the run's results, or fails when the echo never answers
echo_run() {
	local run=/sys/kernel/debug/vntb-db-echo/$HDEV/run from_work=0 rc=0

	[ "$1" = work ] && from_work=1
	insmod "$MODDIR/extra/vntb-db-echo.ko" answer_from_work=$from_work
	_echoing() { echo 10 > $run; } 2>/dev/null
	if wait_until 10000 _echoing && echo "$ECHO_ROUNDS" > $run; then
		cat $run
	else
		rc=1
	fi
	rmmod vntb_db_echo
	return $rc
}

# bench_echo DRIVER HOW - the figures of one echo_run
bench_echo() {
	local d=$1 how=$2 res

	if res=$(echo_run "$how"); then
		ktap_ok "$d: $ECHO_ROUNDS round trips answered from the $how"
		fig echo_${how}_round_trips_per_s "$d" "$(echo "$res" | sed -n 's/^round_trips_per_s //p')"
		fig echo_${how}_rtt_median_us "$d" "$(echo "$res" | awk '/^rtt_us/ { print $3 }')"
		fig echo_${how}_rtt_p99_us "$d" "$(echo "$res" | awk '/^rtt_us/ { print $5 }')"
	else
		ktap_fail "$d: $ECHO_ROUNDS round trips answered from the $how"
	fi
}

# median - the median of the numbers on standard input
median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1] }'
}

# bench_first DRIVER HOW - FIRST_ROUNDS doorbells, each after a second of
# idleness, answered as echo_run's HOW says: the medians of the first
# doorbell after a quiet spell, to the endpoint's client, and of its
# round trip
bench_first() {
	local d=$1 run=/sys/kernel/debug/vntb-db-echo/$HDEV/run from_work=0
	local i=0

	[ "$2" = work ] && from_work=1
	: > /tmp/first.out
	insmod "$MODDIR/extra/vntb-db-echo.ko" answer_from_work=$from_work
	_echoing() { echo 1 > $run; } 2>/dev/null
	if wait_until 10000 _echoing; then
		while [ $i -lt "$FIRST_ROUNDS" ]; do
			# the quiet spell measured, not a wait for anything
			sleep 1
			echo 1 > $run || break
			cat $run >> /tmp/first.out
			i=$((i + 1))
		done
	fi
	rmmod vntb_db_echo
	if [ $i = "$FIRST_ROUNDS" ]; then
		ktap_ok "$d: $FIRST_ROUNDS doorbells, each after a second of idleness"
		fig first_db_after_1s_idle_median_us "$d" \
			"$(awk '/^to_peer_us/ { print $3 }' /tmp/first.out | median)"
		fig first_rtt_after_1s_idle_median_us "$d" \
			"$(awk '/^rtt_us/ { print $3 }' /tmp/first.out | median)"
	else
		ktap_fail "$d: $FIRST_ROUNDS doorbells, each after a second of idleness"
	fi
}

# bench_poll MIN MAX - our function relinked with other poll limits: the
# echo answered from a work item, the idle wake-ups and the doorbell
# ping-pong, the figures the defaults of poll_min_us and poll_max_us were
# chosen from
bench_poll() {
	local res

	host_remove $C
	vntb_down v0 $C
	# each write is refused if it would put min above max: widen first
	echo 1000000 > "$(vntb_attr v0 poll_max_us)"
	echo "$1" > "$(vntb_attr v0 poll_min_us)"
	echo "$2" > "$(vntb_attr v0 poll_max_us)"
	vntb_up v0 $C
	if res=$(echo_run work); then
		ktap_ok "ours: poll_min_us=$1 poll_max_us=$2 measured"
		fig "echo_work_round_trips_per_s@poll_min_us=$1" ours \
			"$(echo "$res" | sed -n 's/^round_trips_per_s //p')"
		fig "idle_wakeups_per_s@poll_max_us=$2" ours "$(wakeups_per_s)"
	else
		ktap_fail "ours: poll_min_us=$1 poll_max_us=$2 measured"
	fi
	bench_doorbells ours "poll_min_us=$1"
}

# bench_perf DRIVER - ntb_perf through the memory window, both ways, the
# best of three runs: a run lasts about 50 ms, and the guest now and then
# stalls for most of a second
bench_perf() {
	local d=$1 dev mbs best i

	modprobe ntb_perf total_order=26 chunk_order=19
	for dev in $HDEV $(ls /sys/kernel/debug/ntb_perf | grep -v "$HDEV"); do
		_perf_run() {
			echo 0 > /sys/kernel/debug/ntb_perf/$dev/run 2>/dev/null &&
				grep -q MBytes/s /sys/kernel/debug/ntb_perf/$dev/run
		}
		best=0 i=0
		while [ $i -lt 3 ] && wait_until 20000 _perf_run; do
			mbs=$(sed -n 's/.* \([0-9]*\) MBytes\/s.*/\1/p' \
				/sys/kernel/debug/ntb_perf/$dev/run | head -n 1)
			[ "$mbs" -gt $best ] && best=$mbs
			i=$((i + 1))
		done
		if [ $i = 3 ]; then
			[ $dev = $HDEV ] && fig perf_host_to_ep_MBps "$d" $best
			[ $dev != $HDEV ] && fig perf_ep_to_host_MBps "$d" $best
			ktap_ok "$d: ntb_perf from $dev"
		else
			ktap_fail "$d: ntb_perf from $dev"
		fi
	done
	rmmod ntb_perf
}

# iperf3_KBps - iperf3 sending BULK_BYTES from the namespace of net_pair
# to this side, as its receiver counted them; fails without a figure
iperf3_KBps() {
	local srv kbits

	iperf3 -s -1 -B 10.99.0.1 > /tmp/iperf3.srv 2>&1 &
	srv=$!
	_listening() { netstat -ltn | grep -q "10.99.0.1:5201 "; }
	wait_until 10000 _listening &&
		nsenter -t $NET_NS -n timeout 120 iperf3 -f k -c 10.99.0.1 \
			-n $BULK_BYTES > /tmp/iperf3.out 2>&1
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	kbits=$(awk '/receiver$/ { print int($7) }' /tmp/iperf3.out)
	[ -n "$kbits" ] && echo $((kbits / 8))
}

# net_counts - what a transfer over ntb_netdev costs, as counters: the
# host's transmitted frames (ntb_transport), the doorbells the endpoint
# raised to it (the simulated host's MSIs) and our poll's runs that found
# a host doorbell or command (0 for the in-tree function)
net_counts() {
	local p

	p=$(ls -d /sys/kernel/debug/pci-epf-vntb/* 2>/dev/null | head -n 1)
	echo "$(awk '/^tx_pkts/ { print $3 }' \
			/sys/kernel/debug/ntb_transport/$HDEV/qp0/stats 2>/dev/null || echo 0)" \
		"$(awk '/^delivered msi[0-9]/ { s += $3 } END { print s + 0 }' \
			"$SIMDBG/$C/host")" \
		"$(cat "$p/active" 2>/dev/null || echo 0)"
}

# net_figures DRIVER - ping, a bulk transfer and iperf3 between the two
# interfaces of net_pair, each the median of NET_RUNS; over ntb_netdev
# also what the bulk transfers cost per MiB
net_figures() {
	local d=$1 ms c0 c1 i=0

	: > /tmp/rtt.runs
	: > /tmp/bulk.runs
	: > /tmp/iperf3.runs
	c0=$(net_counts)
	while [ $i -lt $NET_RUNS ]; do
		ms=$(net_bulk $BULK_BYTES) &&
			echo $((BULK_BYTES / 1024 * 1000 / (ms + 1))) >> /tmp/bulk.runs
		i=$((i + 1))
	done
	c1=$(net_counts)
	i=0
	while [ $i -lt $NET_RUNS ]; do
		ping_rtt 10.99.0.2 | awk -F/ '{ printf "%d\n", $4 * 1000 }' >> /tmp/rtt.runs
		iperf3_KBps >> /tmp/iperf3.runs || sed 's/^/# /' /tmp/iperf3.out
		i=$((i + 1))
	done
	fig net_ping_rtt_us "$d" "$(median < /tmp/rtt.runs)"
	fig net_bulk_KBps "$d" "$(median < /tmp/bulk.runs)"
	if [ "$d" != limit ]; then
		set -- $c0 $c1
		fig net_bulk_host_frames_per_MiB "$d" \
			$((($4 - $1) * 1048576 / BULK_BYTES / NET_RUNS))
		fig net_bulk_ep_to_host_msis_per_MiB "$d" \
			$((($5 - $2) * 1048576 / BULK_BYTES / NET_RUNS))
		fig net_bulk_active_polls_per_MiB "$d" \
			$((($6 - $3) * 1048576 / BULK_BYTES / NET_RUNS))
	fi
	if [ "$(wc -l < /tmp/iperf3.runs)" = $NET_RUNS ]; then
		ktap_ok "$d: iperf3 ran $NET_RUNS times"
		fig net_iperf3_KBps "$d" "$(median < /tmp/iperf3.runs)"
	else
		ktap_fail "$d: iperf3 ran $NET_RUNS times"
	fi
}

# bench_net DRIVER EDEV - the network figures over ntb_netdev
bench_net() {
	local d=$1 hnet enet

	modprobe ntb_netdev
	hnet=$(net_of $HDEV)
	enet=$(net_of "$2")
	net_pair "$hnet" "$enet"
	_carrier() { [ "$(cat /sys/class/net/$hnet/carrier)" = 1 ]; }
	if wait_until 60000 _carrier && ping_n 3 10.99.0.2; then
		ktap_ok "$d: ntb_netdev links"
		net_figures "$d"
	else
		ktap_fail "$d: ntb_netdev links"
		ktap_skip "$d: iperf3 ran $NET_RUNS times" "no link"
	fi
	net_unpair "$hnet"
	rmmod ntb_netdev
	rmmod ntb_transport
}

# bench_limit - the rig's own limit for the network figures: the same
# tools between the same two namespaces over a veth pair, no NTB between
bench_limit() {
	local peer n

	# busybox's ip takes no peer name: the kernel names the peer
	ip link add vl0 type veth
	for n in /sys/class/net/*; do
		[ "$(cat "$n/ifindex")" = "$(cat /sys/class/net/vl0/iflink)" ] &&
			[ "${n##*/}" != vl0 ] && peer=${n##*/}
	done
	if net_pair vl0 "$peer" && ping_n 3 10.99.0.2; then
		ktap_ok "limit: a veth pair links"
		net_figures limit
	else
		ktap_fail "limit: a veth pair links"
		ktap_skip "limit: iperf3 ran $NET_RUNS times" "no link"
	fi
	net_unpair vl0
	ip link del vl0 2>/dev/null
}

# bench_cycle - mean milliseconds of one stop/unlink/relink/start cycle
bench_cycle() {
	local i=0 t0

	t0=$(uptime_ms)
	while [ $i -lt $CYCLES ]; do
		host_remove $C
		vntb_down v0 $C
		vntb_up v0 $C || return 1
		i=$((i + 1))
	done
	echo $((($(uptime_ms) - t0) / CYCLES))
}

# the doorbell interrupt of 7.2 (pci_epf_alloc_doorbell()), offered by
# the controller with doorbell=1
DOORBELL=""
grep -qw pci_epf_alloc_doorbell /proc/kallsyms && DOORBELL=1

# Debian's preemption model, voluntary, where the kernel still offers it
# (config.bench); 7.x on x86 keeps its default, lazy
SCHED_PREEMPT=/sys/kernel/debug/sched/preempt
echo voluntary 2> /dev/null > $SCHED_PREEMPT
preempt_model=$(sed -n 's/.*(\([a-z]*\)).*/\1/p' $SCHED_PREEMPT)

# VNTB_BENCH_PART=intree_poll: the in-tree function alone on a controller
# without a doorbell, where a kernel with the doorbell interrupt has it
# take interrupts in the boot above: it cannot be linked twice in a boot
if [ "${VNTB_BENCH_PART:-}" = intree_poll ]; then
	ktap_header
	ktap_plan 3
	ktap_info "preemption: $preempt_model"
	host_sim_load 1 imx8
	modprobe ntb_hw_epf
	intree_load
	vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
	vntb_up v0 $C
	bench_doorbells in-tree-poll
	bench_first in-tree-poll work
	ktap_finish
	exit
fi

ktap_header
ktap_plan $((30 + ${DOORBELL:-0} * 8))
ktap_info "preemption: $preempt_model"

host_sim_load 1 imx8
modprobe ntb_hw_epf
fig idle_wakeups_per_s base "$(wakeups_per_s)"
bench_limit

vntb_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C
bench_doorbells ours
bench_echo ours event
bench_echo ours work
bench_first ours event
# before the relinks, as the in-tree function's is measured after its
# one link: once the function has been relinked, the host's copies into
# the window run at about a tenth of the speed for the rest of the boot
# (Documentation/comparison.rst)
bench_perf ours
bench_poll 200 1000
bench_poll 2000 100000
bench_poll 20 10000
if ms=$(bench_cycle); then
	ktap_ok "ours: $CYCLES stop/unlink/relink/start cycles"
	fig cycle_ms ours "$ms"
else
	ktap_fail "ours: $CYCLES stop/unlink/relink/start cycles"
fi
ktap_result "ours: ntb_transport loaded at both ends" transport_load $C
bench_net ours "$(ep_ntb_dev)"
host_remove $C
vntb_down v0 $C
vntb_destroy v0
vntb_unload

# From here on, where the kernel has the doorbell interrupt, the
# controller offers it: ours takes it, and so does the in-tree function,
# whose poll is measured in a boot of its own (VNTB_BENCH_PART).
if [ -n "$DOORBELL" ]; then
	rmmod ntb_hw_epf
	sim_unload
	host_sim_load 1 imx8 doorbell=1
	modprobe ntb_hw_epf
	vntb_load
	vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
	vntb_up v0 $C
	P=/sys/kernel/debug/pci-epf-vntb/$(ls /sys/kernel/debug/pci-epf-vntb)
	ktap_result "ours-irq: host doorbells taken as interrupts" \
		test "$(cat $P/db_irq_count)" -gt 0
	bench_doorbells ours-irq
	bench_echo ours-irq event
	bench_first ours-irq event
	ktap_result "ours-irq: ntb_transport loaded at both ends" \
		transport_load $C
	bench_net ours-irq "$(ep_ntb_dev)"
	host_remove $C
	vntb_down v0 $C
	vntb_destroy v0
	vntb_unload
fi

intree_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C
bench_doorbells in-tree
# it clears a doorbell slot after the event, losing an answer rung back
# from the event itself: its echo answers from a work item only
bench_echo in-tree work
bench_first in-tree work
bench_perf in-tree
modprobe ntb_transport
bench_net in-tree "$(ep_ntb_dev)"
ktap_finish
