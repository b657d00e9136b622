# SPDX-License-Identifier: GPL-2.0
# What the board tests share. They use only what an endpoint board has:
# configfs, sysfs, dmesg, and kmemleak when the kernel has it. Sourced
# from the installed collection (ktap.sh and vntb-cfs.sh beside it) or
# from the source tree.
#
# VNTB_EPC      the controller(s) to use, e.g. "2900000.pcie-ep"; default
#               the first in /sys/class/pci_epc (all of them for
#               board_epcs)
# VNTB_CYCLES   cycles of the loops, default 10

for d in . ./lib ../lib; do
	[ -r "$d/ktap.sh" ] && { . "$d/ktap.sh"; break; }
done
for VNTB_CFS in ./vntb-cfs.sh /configfs-scripts/vntb-cfs.sh \
		../../configfs-scripts/vntb-cfs.sh; do
	[ -r "$VNTB_CFS" ] && break
done
CFS_EP=${CONFIGFS:-/sys/kernel/config}/pci_ep
BOARD_FUNCS=$CFS_EP/functions/pci_epf_vntb

# board_epcs - the controllers the tests may use, one a line
board_epcs() {
	if [ -n "${VNTB_EPC:-}" ]; then
		printf '%s\n' $VNTB_EPC
	else
		ls /sys/class/pci_epc 2>/dev/null
	fi
}

# board_begin PLAN - the header and plan, or a whole skip with the reason
# when the board lacks what the tests need: configfs, a controller, and
# this driver (a function of the in-tree one has no poll_min_us)
board_begin() {
	local why=

	ktap_header
	if [ ! -d "$CFS_EP" ]; then
		why="no $CFS_EP: mount configfs, CONFIG_PCI_ENDPOINT_CONFIGFS"
	elif [ -z "$(board_epcs)" ]; then
		why="no endpoint controller: set VNTB_EPC"
	elif ! modprobe pci-epf-vntb 2>/dev/null && [ ! -d "$BOARD_FUNCS" ]; then
		why="pci-epf-vntb does not load"
	elif ! mkdir "$BOARD_FUNCS/board_probe" 2>/dev/null; then
		why="cannot make a pci_epf_vntb function"
	else
		[ -e "$BOARD_FUNCS"/board_probe/pci_epf_vntb.*/poll_min_us ] ||
			why="the pci-epf-vntb loaded is not vntb (no poll_min_us)"
		rmdir "$BOARD_FUNCS/board_probe"
	fi
	if [ -n "$why" ]; then
		echo "1..0 # SKIP $why"
		exit 4
	fi
	ktap_plan "$1"
	ktap_info "controller(s): $(board_epcs | tr '\n' ' ')"
	board_mark begin
}

# board_create FUNC [ATTR=VALUE...] - a function as the README sets one up
board_create() {
	local f=$1

	shift
	sh "$VNTB_CFS" create "$f" vendorid=0x1957 deviceid=0x0809 \
		vntb_vid=0x104c vntb_pid=0xb00d db_count=4 spad_count=16 \
		num_mws=1 mw1=0x100000 "$@"
}

# board_attr FUNC ATTR - path of a vNTB attribute of FUNC
board_attr() {
	echo "$(ls -d "$BOARD_FUNCS/$1"/pci_epf_vntb.*)/$2"
}

# board_mark WORD - a line in the kernel log the checks below start from
board_mark() {
	echo "vntb-board: $(basename "$0") $1" > /dev/kmsg
}

# board_splats - kernel warnings since board_begin, counted
board_splats() {
	dmesg | sed -n "/vntb-board: $(basename "$0") begin/,\$p" |
		grep -cE "WARNING:|BUG:|KASAN:|Oops|circular locking|blocked for more than"
}

# board_leaks - objects kmemleak finds with vntb in their allocation
# trace, or nothing printed when the kernel has no kmemleak. kmemleak
# reports no object younger than five seconds: nothing but waiting that
# long lets the last cycle's objects be judged.
board_leaks() {
	local k=/sys/kernel/debug/kmemleak

	[ -w $k ] || return 0
	sleep 5
	echo scan > $k && echo scan > $k
	awk '/^unreferenced object/ { if (ours) n++; ours = 0 }
	     /vntb_/ { ours = 1 }
	     END { if (ours) n++; print n + 0 }' $k
}

# board_ms - milliseconds since boot, from /proc/uptime's centiseconds
board_ms() {
	local up

	read -r up _ < /proc/uptime
	echo $((${up%.*} * 1000 + (1${up#*.} - 100) * 10))
}

# board_wait MS COMMAND... - run COMMAND every 10 ms until it succeeds or
# MS milliseconds have passed
board_wait() {
	local deadline=$(($(board_ms) + $1))

	shift
	while ! "$@"; do
		[ "$(board_ms)" -ge $deadline ] && return 1
		sleep 0.01
	done
}
