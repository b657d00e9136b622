#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build a test kernel from Debian's linux-source-VERSION and config
# fragments: the debug kernel from selftests/config, the bench kernel
# from that and selftests/config.bench, which drops the bug detectors;
# an arm64 kernel adds selftests/config.arm64 for QEMU's virt machine.
# The build lives in the cache, keyed by version, arch, flavour and
# fragments; the last line printed is its path, the KDIR the module
# builds against.
#
# usage: build-kernel.sh [VERSION] [ARCH] [debug|bench]
#        (default 6.12 x86_64 debug)
# env:   RIG_NO_BUILD=1 prints the path of a cached kernel, and exits 3
#        rather than build one
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

version=${1:-6.12}
arch=${2:-x86_64}
flavour=${3:-debug}
fragments=("$here/../config")
[ "$arch" = arm64 ] && fragments+=("$here/../config.arm64")
case "$flavour" in
debug) ;;
bench) fragments+=("$here/../config.bench") ;;
*) die "unknown kernel flavour $flavour" ;;
esac

need_packages build-essential flex bison bc libelf-dev libssl-dev dwarves \
	xz-utils cpio kmod python3
cross_build "$arch"

src=$(kernel_source "$version")
key=$(cat "${fragments[@]}" "$here/build-kernel.sh" | sha256sum | cut -c1-12)
name=kernel-${src##*/linux-source-}-$arch
[ "$flavour" = debug ] || name=$name-$flavour
out="$VNTB_CACHE/$name-$key"

if [ -f "$out/.vntb-built" ]; then
	echo "$out"
	exit 0
fi
# RIG_NO_BUILD=1: only tell, by the exit status, that it is not cached
[ "${RIG_NO_BUILD:-0}" = 1 ] && exit 3

kmake() {
	make -C "$src" O="$out" "${kbuild[@]}" "$@"
}

rm -rf "$out" && mkdir -p "$out"
kmake -s tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${fragments[@]}" >/dev/null
kmake -s olddefconfig >&2

# Every option must survive Kconfig as the last fragment naming it asks,
# except those a version cannot have on an arch: a test that needs one
# must skip there.
unavailable=()
case "$version/$arch" in
6.1/* | 6.12/*)
	# the interrupt doorbell came with pci-ep-msi.c, after 6.12
	unavailable+=(CONFIG_PCI_ENDPOINT_MSI_DOORBELL) ;;&
6.1/x86_64)
	# "depends on !X86_64" on 6.1, a dependency later kernels dropped
	unavailable+=(CONFIG_FAULT_INJECTION_STACKTRACE_FILTER) ;;
*/arm64)
	# the simulated root complex's DMA ops: x86 only, as its host mode
	unavailable+=(CONFIG_CPU_SUP_AMD CONFIG_GART_IOMMU) ;;
esac
check_fragment "$out/.config" "${fragments[@]}" -- "${unavailable[@]}"

began=$(date +%s)
echo "rig: building the $version $flavour test kernel for $arch, once" \
	"(5 to 10 minutes on two cores); cached in $out" >&2
progress_start "building the $version $flavour kernel" "$out"
trap progress_stop EXIT
kmake -s -j"$(nproc)" all >&2
progress_stop
took=$(($(date +%s) - began))
echo "rig: built the $version $flavour kernel in $((took / 60)) min $((took % 60)) s" >&2
touch "$out/.vntb-built"
echo "$out"
