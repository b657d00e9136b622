#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A hostile host: each command and unknown ones with adversarial arguments, and
# random bytes at random places of the control region and the doorbell
# BAR, while the link is up and an NTB client reads the endpoint side.
# Every command must be answered, ERROR when its argument is invalid
# (include/vntb-regs.h: status 1 OK, 2 ERROR); random doorbell words may
# ring only the doorbells the client was offered; nothing may be read or
# written out of bounds (KASAN and the judge); the function must still
# work afterwards. VNTB_FUZZ_ROUNDS (default 40) bounds the random part.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

rounds=${VNTB_FUZZ_ROUNDS:-40}
ktap_header
ktap_plan 5

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 db_count=6 spad_count=16 num_mws=2 mw1=0x10000 mw2=0x10000
vntb_up v0 $C
host_cmd $C 5 0 > /dev/null
modprobe ntb_tool
T=$(ls -d /sys/kernel/debug/ntb_tool/* | head -n 1)

# client_reads - the endpoint's client reads its doorbells and
# scratchpads, and tries the host's (refused while the link is down)
client_reads() {
	cat $T/peer0/spad* > /dev/null 2>&1
	cat $T/db $T/db_valid_mask $T/spad* > /dev/null
}

# answered CMD ARG - the endpoint answered OK or ERROR
answered() {
	case "$(host_cmd $C "$1" "$2")" in
	1|2) return 0 ;;
	esac
	ktap_info "command $1 argument $2 got no answer"
	return 1
}

# want CMD ARG - the status the endpoint owes a command with a window
# that does not fit (num_mws=2): 1 (OK) only where the argument is valid
# or ignored, 2 (ERROR) for every invalid one and every unknown command
want() {
	case "$1 $2" in
	"1 2") echo 1 ;;		# CONFIGURE_DOORBELL, 2 vectors
	"2 "*|"5 "*|"6 "*) echo 1 ;;	# TEARDOWN_DOORBELL, LINK_*: no argument
	"4 0") echo 1 ;;		# TEARDOWN_MW of window 0
	*) echo 2 ;;			# 0 or > 32 vectors, MSI-X, no such
	esac				# window, window too large, unknown
}

# every command code with arguments that are out of range for it, and a
# window that does not fit; the address wraps with a size that fits
wrong=0
hv_write32 $C 0 0x10 0xfffff000
hv_write32 $C 0 0x14 0xffffffff
hv_write32 $C 0 0x18 0xffffffff
hv_write32 $C 0 0x1c 0xffffffff
for cmd in 1 2 3 4 5 6 7 8 255 0xffffffff; do
	for arg in 0 2 33 0xffff 0x1ffff 0x7fffffff 0xffffffff; do
		got=$(host_cmd $C $cmd $arg)
		if [ "$got" != "$(want $((cmd)) $((arg)))" ]; then
			ktap_info "command $cmd argument $arg: status $got, want $(want $((cmd)) $((arg)))"
			wrong=$((wrong + 1))
		fi
	done
done
hv_write32 $C 0 0x18 0x1000
hv_write32 $C 0 0x1c 0
for arg in 0 1; do
	got=$(host_cmd $C 3 $arg)
	if [ "$got" != 2 ]; then
		ktap_info "CONFIGURE_MW $arg, address range wrapping: status $got, want 2"
		wrong=$((wrong + 1))
	fi
done
client_reads
ktap_result "commands 1-6 and unknown ones, adversarial arguments: ERROR when invalid" \
	test $wrong -eq 0

# random words at random offsets of the control region (after the
# command word, so the protocol itself stays in the host's hands), then
# a random command and argument, which must be answered too
ctrl_size=$((0x134 + 16 * 4))
i=0 unanswered=0
while [ $i -lt $rounds ]; do
	i=$((i + 1))
	off=$(($(rand32) % (ctrl_size / 4 - 3) * 4 + 12))
	hv_write32 $C 0 $off "$(rand32)"
	answered $(($(rand32) % 8 + 1)) "$(rand32)" || unanswered=$((unanswered + 1))
	client_reads
done
ktap_report "hostile host commands" $((72 + rounds)) $((wrong + unanswered))
ktap_result "$rounds random control words, random commands: OK or ERROR" \
	test $unanswered -eq 0

# random doorbell words in the slots the host can reach, two below and
# two above the four of db_count=6 (slots 2-5, bits 0-3): only bits 0-3
# may ring, and a clean ring of slot 2 must still arrive as bit 0
# slots_polled - the poll took every ring of slots 2-5
slots_polled() {
	local s

	for s in 2 3 4 5; do
		[ "$(hv_read32 $C $DB_BAR $((s * 4)))" = 0 ] || return 1
	done
}
# db_is BITS - the client reads exactly BITS
db_is() {
	[ "$(($(cat $T/db)))" = "$(($1))" ]
}
i=0
while [ $i -lt $rounds ]; do
	i=$((i + 1))
	hv_write32 $C $DB_BAR $(($(rand32) % 8 * 4)) "$(rand32)"
	client_reads
done
wait_until 2000 slots_polled
db=$(cat $T/db)
ktap_info "doorbells after the random writes: $db"
echo "c 0xf" > $T/db
hv_write32 $C $DB_BAR 8 3
doorbells_sane() {
	[ $((db & ~0xf)) = 0 ] && wait_until 2000 db_is 0x1
}
ktap_result "$rounds random doorbell writes: only bits 0-3 ring, slot 2 still rings bit 0" \
	doorbells_sane

rmmod ntb_tool
hv_write32 $C 0 0x4 0
ktap_result "the function still answers LINK_UP" \
	test "$(host_cmd $C 5 0)" = 1
vntb_down v0 $C
vntb_destroy v0
vntb_unload
ktap_result "no controller contract violations" \
	test "$(sim_state $C violations)" = 0
sim_unload
ktap_finish
