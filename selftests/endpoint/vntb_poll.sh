#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The adaptive poll, counted by the function itself (its debugfs
# statistics, src/vntb-debugfs.c), not by the clock of a noisy guest:
# an idle link backs the interval off to poll_max_us; on a busy one, where
# the host rings again as soon as its last doorbell was taken, every
# doorbell but the first is found by a poll that followed an interval of
# poll_min_us. The interval stays at poll_min_us while the host was
# active within the last 8 x poll_min_us, so the limits are large (200 ms,
# 400 ms): the shell then has 1.6 s to ring again after each doorbell is
# taken, where it needs tens of milliseconds (a 50 ms floor, 400 ms of
# slack, once proved too little on a loaded debug guest). Last, a ring the
# endpoint's client clears before the poll takes it stays cleared.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

RINGS=10

ktap_header
ktap_plan 9

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000 \
	poll_max_us=400000 poll_min_us=200000
vntb_up v0 $C
P=/sys/kernel/debug/pci-epf-vntb/$(ls /sys/kernel/debug/pci-epf-vntb)

stat() {
	cat "$P/$1" 2>/dev/null
}
at_max() {
	[ "$(stat interval_us)" = 400000 ]
}
polled() {
	[ "$(stat polls)" -gt 0 ] 2>/dev/null
}
ktap_result "statistics: the function counts its polls" wait_until 2000 polled
ktap_result "idle: the interval backs off to poll_max_us" \
	wait_until 10000 at_max

# slot 2 of the doorbell BAR rings bit 0; the poll clears it when taken
taken() {
	[ "$(hv_read32 $C $DB_BAR 8)" = 0 ]
}
active=$(stat active) fast=$(stat active_fast)
i=0
while [ $i -lt $RINGS ]; do
	hv_write32 $C $DB_BAR 8 3
	wait_until 2000 taken || break
	i=$((i + 1))
done
ktap_result "busy: the host's $RINGS doorbells were each taken" test $i = $RINGS
active=$(($(stat active) - active)) fast=$(($(stat active_fast) - fast))
ktap_info "busy: $active polls found a doorbell, $fast after a poll_min_us interval"
ktap_result "busy: each doorbell was found by one poll" test $active = $RINGS
ktap_result "busy: every doorbell but the first found within poll_min_us" \
	test $fast = $((RINGS - 1))
ktap_result "idle again: the interval backs off to poll_max_us" \
	wait_until 10000 at_max

# a ring the endpoint's client clears before the poll takes it is gone,
# as from a hardware doorbell register: the next poll neither delivers it
# nor sets it again. Relinked to poll once a second, the poll is caught
# as it runs by a loop of shell builtins, and the ring and the clear
# follow at once: one fork, where a loaded debug guest once spent a
# second on the forks of a read, a ring and a clear. Where a poll still
# ran between the ring and the clear, it took the ring first, and the
# ring is tried again after the next poll.
vntb_down v0 $C
echo 1000000 > "$(vntb_attr v0 poll_max_us)"
echo 1000000 > "$(vntb_attr v0 poll_min_us)"
vntb_up v0 $C
modprobe ntb_tool
T=$(ls -d /sys/kernel/debug/ntb_tool/* | head -n 1)
# next_poll - return as the poll runs next, within 3 s, with no fork
next_poll() {
	local p up end

	read -r up _ < /proc/uptime
	end=$((${up%.*} + 3))
	while read -r p < "$P/polls" && [ "$p" = "$polls" ]; do
		read -r up _ < /proc/uptime
		[ "${up%.*}" -lt $end ] || return 1
	done
	[ -n "$p" ] && polls=$p
}
tries=0
while [ $tries -lt 3 ]; do
	tries=$((tries + 1))
	polls=$(stat polls) active=$(stat active)
	next_poll || break
	hv_write32 $C $DB_BAR 8 3
	echo "c 0x1" > $T/db
	read -r after < "$P/polls"
	[ "$after" = "$polls" ] && break
	ktap_info "cleared early: try $tries: a poll ran before the clear"
done
ktap_result "cleared early: the doorbell reads 0 after the clear" \
	test "$(cat $T/db)" = 0x0
polls=$(stat polls)
next_poll
ktap_result "cleared early: the next poll neither delivers nor sets it" \
	test "$(stat active)" = "$active" -a "$(cat $T/db)" = 0x0
# and a ring reads at once, whether or not the poll has taken it yet
hv_write32 $C $DB_BAR 8 3
ktap_result "a ring reads at once" test "$(cat $T/db)" = 0x1
echo "c 0x1" > $T/db
rmmod ntb_tool

vntb_down v0 $C
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
