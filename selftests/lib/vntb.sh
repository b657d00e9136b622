# SPDX-License-Identifier: GPL-2.0
# Helpers for the vntb selftests: our module, its functions and the
# host side of the control protocol.

VNTB_CFS=/configfs-scripts/vntb-cfs.sh

vntb_load() {
	modprobe ntb
	insmod "$MODDIR/updates/pci-epf-vntb.ko"
}

# intree_load - the test kernel's own pci-epf-vntb, for comparisons
intree_load() {
	modprobe ntb
	insmod "$MODDIR/kernel/drivers/pci/endpoint/functions/pci-epf-vntb.ko"
}

# intree_row WHAT COMMAND... - report, not assert, what the in-tree
# driver does: a "vntb-intree: WHAT: yes|no" row, yes when COMMAND
# succeeds, that the runner prints beside the kernel release
intree_row() {
	local what=$1 answer=no

	shift
	"$@" && answer=yes
	echo "# vntb-intree: $what: $answer"
	ktap_ok "observed: $what: $answer"
}

# vdev BUS - the PCI name of device 00.0 of the virtual bus numbered BUS
# (two hex digits): in domain 0000 on x86, in a domain of its own where
# the architecture has generic PCI domains (arm64); a pattern that names
# no file when there is no such device
vdev() {
	set -- /sys/bus/pci/devices/*:"$1":00.0
	echo "${1##*/}"
}

vntb_unload() {
	rmmod pci_epf_vntb || ktap_fail "pci-epf-vntb unloads"
}

# The BARs a function with vntb_create's IDs, 1957:0809, takes on a
# controller: those of the map the host's ntb_hw_epf has for these IDs
DB_BAR=2
MW1_BAR=4
MW2_BAR=5
# IDs ntb_hw_epf has no map for: regions go on the BARs their *_bar
# attributes name, the rest on the lowest free BARs
UNMAPPED_IDS="vendorid=0x1234 deviceid=0x0001"

# vntb_create FUNC ATTR=VALUE... - function with mx8-like IDs (without
# vntb_vid/pid the in-tree virtual device never binds, and a LINK_UP then
# takes its unregistered NTB device's uninitialised lock)
vntb_create() {
	local f=$1

	shift
	sh $VNTB_CFS create "$f" vendorid=0x1957 deviceid=0x0809 \
		vntb_vid=0x104c vntb_pid=0xb00d "$@"
}

# vntb_attr FUNC ATTR - path of a vNTB attribute
vntb_attr() {
	echo "$CFS/functions/pci_epf_vntb/$1/$(ls $CFS/functions/pci_epf_vntb/$1 | grep pci_epf_vntb)/$2"
}

vntb_up() {
	sh $VNTB_CFS link "$1" "$2" && sh $VNTB_CFS start "$2"
}

vntb_down() {
	sh $VNTB_CFS stop "$2"
	sh $VNTB_CFS unlink "$1" "$2"
}

vntb_destroy() {
	sh $VNTB_CFS destroy "$1"
}

# vntb_refused CMD ERRNO LOG - CMD, run by eval, fails, its error names
# ERRNO (strerror), and the kernel log gained exactly one line containing
# LOG while it ran
vntb_refused() {
	local err n

	dmesg -c > /dev/null
	if err=$(eval "$1" 2>&1); then
		ktap_info "$1: succeeded"
		return 1
	fi
	n=$(dmesg | grep -cF "$3")
	case "$err" in
	*"$2"*) ;;
	*)
		ktap_info "$1: '$err', not $2"
		return 1
		;;
	esac
	[ "$n" = 1 ] && return 0
	ktap_info "$1: $n dmesg lines with '$3', not 1"
	return 1
}

# host_mw_args CTRL ADDR SIZE - the 64-bit address and size fields a
# CONFIGURE_MW reads, written as ntb_hw_epf does (32-bit values)
host_mw_args() {
	hv_write32 "$1" 0 0x10 "$2"
	hv_write32 "$1" 0 0x14 0
	hv_write32 "$1" 0 0x18 "$3"
	hv_write32 "$1" 0 0x1c 0
}

# host_cmd CTRL COMMAND ARGUMENT - issue a command as ntb_hw_epf does and
# print the status the endpoint answered (0: no answer within 2 s)
host_cmd() {
	local c=$1 status

	hv_write32 "$c" 0 0x4 "$3"
	hv_write32 "$c" 0 0x0 "$2"
	_host_cmd_done() {
		status=$(hv_read16 "$c" 0 0x8)
		[ "$status" != 0 ]
	}
	wait_until 2000 _host_cmd_done || status=0
	hv_write32 "$c" 0 0x8 "$(( $(hv_read32 "$c" 0 0x8) & 0xffff0000 ))"
	echo "$status"
}
