# SPDX-License-Identifier: GPL-2.0
# Helpers for selftests running inside the rig's guest: the simulated
# controller, its host view and bounded waits.

CFS=/sys/kernel/config/pci_ep
SIMDBG=/sys/kernel/debug/pci-epc-sim
MODDIR=/lib/modules/$(uname -r)
. /etc/rig.conf

# rig_mark TEXT - put a marker in the kernel log (for splat attribution)
rig_mark() {
	echo "vntb-rig: $*" > /dev/kmsg
}

# sim_load COUNT PRESETS - load the simulated controllers
sim_load() {
	insmod "$MODDIR/extra/pci-epc-sim.ko" count="${1:-2}" \
		presets="${2:-generic}" ob_base="$RIG_OB_BASE" \
		ob_size="$RIG_OB_SIZE"
}

sim_unload() {
	rmmod pci_epc_sim || ktap_fail "pci-epc-sim unloads"
}

# sim_state CTRL KEY - one value from the controller's state file
sim_state() {
	sed -n "s/^$2 //p" "$SIMDBG/$1/state"
}

# sim_empty CTRL FILE - the host-view list FILE (bars, outbound) exists
# and is empty; debugfs reports every file's size as 0, so test -s cannot
# tell, and a file that cannot be read is not empty
sim_empty() {
	local list

	list=$(cat "$SIMDBG/$1/$2") || return 1
	[ -z "$list" ]
}

# sim_irq CTRL VECTOR - interrupts raised on an MSI vector
sim_irq() {
	sed -n "s/^msi$2 //p" "$SIMDBG/$1/irqs"
}

# sim_fault CTRL OP COUNT ERRNO [SKIP] - after SKIP calls of OP pass,
# fail the next COUNT
sim_fault() {
	echo "$2 $3 $4 ${5:-0}" > "$SIMDBG/$1/faults"
}

# hv_read32 CTRL BAR OFFSET - read a little-endian u32 as the host
hv_read32() {
	dd if="$SIMDBG/$1/bar$2" bs=4 skip=$(($3 / 4)) count=1 2>/dev/null |
		od -An -tu4 | tr -d ' '
}

# hv_read16 CTRL BAR OFFSET - read a little-endian u16 as the host
hv_read16() {
	dd if="$SIMDBG/$1/bar$2" bs=2 skip=$(($3 / 2)) count=1 2>/dev/null |
		od -An -tu2 | tr -d ' '
}

# hv_write32 CTRL BAR OFFSET VALUE - write a little-endian u32 as the host
hv_write32() {
	local v=$(($4))

	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((v & 255)) \
		$(((v >> 8) & 255)) $(((v >> 16) & 255)) $(((v >> 24) & 255)))" |
		dd of="$SIMDBG/$1/bar$2" bs=4 seek=$(($3 / 4)) count=1 \
			conv=notrunc 2>/dev/null
}

# rand32 - a random unsigned 32-bit number
rand32() {
	od -An -N4 -tu4 /dev/urandom | tr -d ' '
}

# uptime_ms - milliseconds since boot, at 10 ms resolution
uptime_ms() {
	local up cs

	read -r up _ < /proc/uptime
	cs=${up#*.}
	echo $((${up%.*} * 1000 + ${cs#0} * 10))
}

# wait_until MS COMMAND... - poll COMMAND every 10 ms until it succeeds or
# MS milliseconds of real time have passed
wait_until() {
	local deadline=$(($(uptime_ms) + $1))

	shift
	while ! "$@"; do
		[ "$(uptime_ms)" -ge $deadline ] && return 1
		usleep 10000
	done
}

# bar_of CTRL FIELD... - the BAR whose size matches, from the host view
sim_bar_size() {
	sed -n "s/^$2 size=\(0x[0-9a-f]*\) .*/\1/p" "$SIMDBG/$1/bars"
}
