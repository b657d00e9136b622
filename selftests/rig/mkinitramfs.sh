#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pack the rig's guest: busybox, bash, the test kernel's modules, our
# modules, the selftests, the kernel's NTB selftest script, its pcitest
# tool and the list of tests to run.
#
# usage: mkinitramfs.sh KDIR OUT.cpio OB_BASE OB_SIZE MODULE.ko... -- TEST...
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

kdir=$1 out=$2 ob_base=$3 ob_size=$4
shift 4
mods=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	mods+=("$1")
	shift
done
[ "${1:-}" = -- ] && shift

need_packages busybox-static cpio kmod gcc libc6-dev

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
kver=$(cat "$kdir/include/config/kernel.release")
arch=$(kernel_arch "$kdir")

# the guest's userland: this machine's own on x86_64; Debian's static
# busybox for arm64, and the tools cross-built
busybox=/bin/busybox ktap=/dev/ttyS1
cross_build "$arch"
if [ "$arch" = arm64 ]; then
	# QEMU's virt machine has one UART: KTAP goes to a virtio console
	ktap=/dev/hvc0
	need_packages libc6-dev-arm64-cross
	busybox=$(debian_unpack bookworm arm64 busybox-static)/bin/busybox
fi

mkdir -p "$stage"/{bin,sbin,etc,proc,sys,dev,tmp,tests,lib/modules}
cp "$busybox" "$stage/bin/busybox"
for tool in "$here"/../helpers/tools/*.c; do
	"${cross}gcc" -static -O2 -Wall -Wextra -Werror -o "$stage/bin/$(basename "$tool" .c)" "$tool"
done
ln -s busybox "$stage/bin/sh"
# bash, and GNU cmp in /usr/gnu/bin (busybox's takes no hexadecimal
# count), with their libraries: the kernel's own NTB selftest script,
# packed as the unpacked kernel source has it, needs both; it runs in
# host mode, which the simulated controller has on x86 only. iperf3 is
# the tool users post network figures from: make bench runs it too.
if [ "$arch" = x86_64 ]; then
	need_packages iperf3
	mkdir -p "$stage/usr/gnu/bin"
	cp /bin/bash "$stage/bin/bash"
	cp /usr/bin/cmp "$stage/usr/gnu/bin/cmp"
	cp /usr/bin/iperf3 "$stage/bin/iperf3"
	for lib in $({ ldd /bin/bash; ldd /usr/bin/cmp; ldd /usr/bin/iperf3; } |
			grep -o '/[^ ]*' | sort -u); do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
fi
mkdir -p "$stage/ksrc"
cp "$kdir/source/tools/testing/selftests/ntb/ntb_test.sh" "$stage/ksrc/"
# the kernel's endpoint test tool, built from the unpacked source with its
# ioctl header from the same tree: pcitest, or from 6.14 the kselftest
# that replaced it (selftests/pci_endpoint), with its harness
kselftests=$kdir/source/tools/testing/selftests
if [ -f "$kdir/source/tools/pci/pcitest.c" ]; then
	mkdir -p "$stage/ksrc/include/linux"
	cp "$kdir/source/include/uapi/linux/pcitest.h" "$stage/ksrc/include/linux/"
	"${cross}gcc" -static -O2 -I "$stage/ksrc/include" -o "$stage/bin/pcitest" \
		"$kdir/source/tools/pci/pcitest.c"
	rm -r "$stage/ksrc/include"
elif [ -f "$kselftests/pci_endpoint/pci_endpoint_test.c" ]; then
	"${cross}gcc" -static -O2 -I "$kselftests" \
		-o "$stage/bin/pci_endpoint_test" \
		"$kselftests/pci_endpoint/pci_endpoint_test.c"
fi
# the test kernel's modules, or the tree RIG_MODULE_ROOT holds (a root
# that packaging.sh installed ours into)
if [ -n "${RIG_MODULE_ROOT:-}" ]; then
	cp -a "$RIG_MODULE_ROOT/lib/modules/$kver" "$stage/lib/modules/"
else
	make -s -C "$kdir" "${kbuild[@]}" \
		modules_install INSTALL_MOD_PATH="$stage" \
		INSTALL_MOD_STRIP=1 DEPMOD=/bin/true >/dev/null
fi
for mod in "${mods[@]}"; do
	case "$(basename "$mod")" in
	pci-epf-vntb.ko) dest=updates ;;
	*) dest=extra ;;
	esac
	mkdir -p "$stage/lib/modules/$kver/$dest"
	"${cross}strip" --strip-debug -o "$stage/lib/modules/$kver/$dest/$(basename "$mod")" "$mod"
done
depmod -b "$stage" "$kver"

cp "$here/guest-init.sh" "$stage/init"
chmod +x "$stage/init"
# the guest runs every suite from one directory: the scripts of each
# folder of selftests/ (the rig's own host-side ones aside) side by side,
# with lib/ beside them
suites=$(cd "$here/.." && pwd)
cp -r "$suites/lib" "$stage/tests/"
for script in "$suites"/*/*.sh; do
	case "$script" in "$suites"/rig/* | "$suites"/lib/*) continue ;; esac
	[ -e "$stage/tests/$(basename "$script")" ] &&
		die "two test scripts named $(basename "$script")"
	cp "$script" "$stage/tests/"
done
# the board collection as a kselftest install lays it out, with the test
# kernel's own runner
make -s -C "$suites" install INSTALL_PATH="$stage/ksft" \
	KSFT="$kdir/source/tools/testing/selftests" > /dev/null
[ -d "$here/../../configfs-scripts" ] &&
	cp -r "$here/../../configfs-scripts" "$stage/configfs-scripts"
printf '%s\n' "$@" > "$stage/tests/list"
# whether the simulated controller was built with its host mode (x86, up
# to 6.12: EPC_SIM_HOST_MODE), read from its symbols
host_mode=n
for mod in "${mods[@]}"; do
	[ "$(basename "$mod")" = pci-epc-sim.ko ] &&
		"${cross}nm" "$mod" | grep -qw epc_sim_host_init && host_mode=y
done
# the outbound window, and the tests' VNTB_* knobs from the environment
{
	printf 'RIG_OB_BASE=%s\nRIG_OB_SIZE=%s\n' "$ob_base" "$ob_size"
	printf 'RIG_ARCH=%s\nRIG_KTAP=%s\nRIG_HOST_MODE=%s\n' "$arch" "$ktap" \
		"$host_mode"
	env | grep '^VNTB_[A-Z_]*=[0-9A-Za-z_.]*$' || true
} > "$stage/etc/rig.conf"

(cd "$stage" && find . | cpio -o -H newc --quiet) > "$out"
