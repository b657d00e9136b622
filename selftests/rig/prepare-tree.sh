#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare a build-only kernel tree: Debian's linux-source-VERSION with the
# architecture's defconfig plus build-only.config, and modules_prepare run
# in an output directory of the cache, keyed by version, arch and config
# like build-kernel.sh's kernels. Enough to compile and link modules, not
# to boot: there is no vmlinux and no Module.symvers (see build-matrix.sh).
# The last line printed is the KDIR.
#
# usage: prepare-tree.sh VERSION ARCH   (ARCH: x86_64 or arm64)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

[ $# -eq 2 ] || die "usage: prepare-tree.sh VERSION ARCH"
version=$1 arch=$2
fragment=$here/build-only.config

need_packages build-essential flex bison bc libelf-dev libssl-dev xz-utils kmod
cross_build "$arch"

src=$(kernel_source "$version")
key=$(cat "$fragment" "$here/prepare-tree.sh" | sha256sum | cut -c1-12)
out=$VNTB_CACHE/prepared-${src##*/linux-source-}-$arch-$key

# one preparation of a tree at a time; a second caller waits and reuses it
exec 9>"$out.lock"
flock 9
if [ -f "$out/.vntb-prepared" ]; then
	echo "$out"
	exit 0
fi

kmake() {
	make -C "$src" O="$out" "${kbuild[@]}" "$@"
}

rm -rf "$out" && mkdir -p "$out"
kmake -s defconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" >/dev/null
kmake -s olddefconfig >&2
check_fragment "$out/.config" "$fragment"

kmake -s -j"$(nproc)" modules_prepare >&2
touch "$out/.vntb-prepared"
echo "$out"
