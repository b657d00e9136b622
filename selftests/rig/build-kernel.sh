#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug test kernel from Debian's linux-source-VERSION and the
# config fragment in selftests/config. The build lives in the cache,
# keyed by version, arch and fragment; the last line printed is its path,
# the KDIR the module builds against.
#
# usage: build-kernel.sh [VERSION] [ARCH]   (default 6.12 x86_64)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

version=${1:-6.12}
arch=${2:-x86_64}
fragment="$here/../config"

need_packages "linux-source-$version" build-essential flex bison bc \
	libelf-dev libssl-dev dwarves xz-utils cpio kmod python3
[ "$arch" = arm64 ] && need_packages gcc-aarch64-linux-gnu

tarball=/usr/src/linux-source-$version.tar.xz
[ -f "$tarball" ] || die "$tarball missing"
key=$(cat "$fragment" "$here/build-kernel.sh" | sha256sum | cut -c1-12)
pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$version")
src="$VNTB_CACHE/src/linux-source-$version-$pkgver"
out="$VNTB_CACHE/kernel-$version-$pkgver-$arch-$key"

if [ -f "$out/.vntb-built" ]; then
	echo "$out"
	exit 0
fi

if [ ! -f "$src/.vntb-unpacked" ]; then
	rm -rf "$src" && mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.vntb-unpacked"
fi

cross=
karch=$arch
if [ "$arch" = arm64 ]; then
	cross=aarch64-linux-gnu-
fi
kmake() {
	make -C "$src" O="$out" ARCH="$karch" CROSS_COMPILE="$cross" "$@"
}

rm -rf "$out" && mkdir -p "$out"
kmake -s tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" >/dev/null
kmake -s olddefconfig >&2

# Every option the fragment asks for must have survived Kconfig.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx "$line" "$out/.config" || { echo "kernel config: $line not set" >&2; bad=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$out/.config" || { echo "kernel config: $opt still set" >&2; bad=1; } ;;
	esac
done < "$fragment"
[ $bad -eq 0 ] || die "config fragment not honoured"

kmake -s -j"$(nproc)" all >&2
touch "$out/.vntb-built"
echo "$out"
