#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build pci-epf-vntb.ko with W=1 and sparse (C=2, the rig's own sparse:
# rig_sparse) against every supported kernel and architecture, and fail on
# any warning, or where sparse did not run.
# x86_64 builds against the full test kernel of build-kernel.sh when it is
# cached, arm64 (cross) and an x86_64 kernel not built yet against the
# build-only trees of prepare-tree.sh: the matrix never builds a whole
# kernel. Each build works on a copy of the sources under .rig/matrix/,
# so the tree's own objects are left alone.
# Prints KTAP, one case per build, ending in "N passed, N failed, 0 skipped".
#
# A build-only tree has no Module.symvers, so modpost cannot resolve the
# symbols the module imports: it prints a notice ("WARNING: .../Module.
# symvers is missing." and its indented continuation lines) and turns the
# unresolved symbols into warnings, "WARNING: modpost: "SYM" [...]
# undefined!" for the first ten and "suppressed N unresolved symbol
# warnings" for the rest. There, and only there, those lines are dropped
# and replaced by a complete check: every undefined symbol of the .ko
# (nm -u) must be exported somewhere in the kernel's sources. That is a
# check of the API, not of the config; the x86_64 builds resolve against
# a real Module.symvers. Every other warning fails the build.
#
# usage: build-matrix.sh [VERSION/ARCH...]   (default: all six)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
top=$(cd "$here/../.." && pwd)

combos=("$@")
[ ${#combos[@]} -gt 0 ] ||
	combos=(6.1/x86_64 6.12/x86_64 7.2/x86_64 6.1/arm64 6.12/arm64 7.2/arm64)

need_packages kmod
sparse=$(rig_sparse) || exit 1
out=$top/.rig/matrix
mkdir -p "$out"

# exports SRC - every symbol the kernel sources in SRC export, one a line,
# cached next to them: the EXPORT_SYMBOL*() family, and the dev_printk
# helpers that define_dev_printk_level() exports
exports() {
	local src=$1

	if [ ! -f "$src/.vntb-exports" ]; then
		grep -rhoE --include='*.[chS]' --exclude-dir=tools \
			--exclude-dir=Documentation \
			-e 'EXPORT_SYMBOL(_GPL)?(_NS(_GPL)?)?\([[:space:]]*[A-Za-z0-9_]+' \
			-e 'define_dev_printk_level\([[:space:]]*[A-Za-z0-9_]+' \
			"$src" | sed 's/.*(\s*//' | sort -u > "$src/.vntb-exports.tmp"
		mv "$src/.vntb-exports.tmp" "$src/.vntb-exports"
	fi
	cat "$src/.vntb-exports"
}

# findings LOG - the warnings and errors of a build log
findings() {
	grep -E 'warning:|error:|WARNING|ERROR' "$1" || true
}

# findings_prepared LOG SRC KO NM - the same for a build-only tree: the
# missing Module.symvers notice and modpost's unresolved symbols replaced
# by the symbols of KO that SRC does not export
findings_prepared() {
	local log=$1 src=$2 ko=$3 nm=$4

	awk '/^WARNING: .*Module\.symvers is missing\.$/ { skip = 1; next }
	     skip && /^         / { next }
	     { skip = 0; print }' "$log" |
		grep -vE '^WARNING: modpost: "[A-Za-z0-9_.]+" \[.*\] undefined!$' |
		grep -vE '^WARNING: modpost: suppressed [0-9]+ unresolved symbol warnings' |
		grep -E 'warning:|error:|WARNING|ERROR' || true
	"$nm" -u "$ko" | awk '{ print $NF }' | sort -u |
		comm -23 - <(exports "$src") | sed 's/^/not exported by the kernel: /'
}

# build N VERSION ARCH - one case of the matrix
build() {
	local n=$1 version=$2 arch=$3
	local name="build $version $arch" dir=$out/$version-$arch
	local log=$out/$version-$arch.log
	local kdir prepared=0 src release found
	local extra=()

	# the test kernel where it is built, else a build-only tree
	if [ "$arch" != x86_64 ] ||
		! kdir=$(RIG_NO_BUILD=1 "$here/build-kernel.sh" "$version" "$arch" 2>"$log"); then
		prepared=1 extra=(KBUILD_MODPOST_WARN=1)
		kdir=$("$here/prepare-tree.sh" "$version" "$arch" 2>"$log") || {
			echo "not ok $n $name # no kernel tree"
			sed 's/^/# /' "$log"
			return 1
		}
	fi
	src=$(readlink -f "$kdir/source")
	release=$(cat "$kdir/include/config/kernel.release")

	rm -rf "$dir" && mkdir -p "$dir"
	(cd "$top" && cp --parents Kbuild src/*.c include/*.h "$dir/")
	cross_build "$arch"
	if ! make -C "$kdir" M="$dir" "${kbuild[@]}" \
		"${extra[@]}" W=1 C=2 CHECK="$sparse" modules >"$log" 2>&1; then
		echo "not ok $n $name # build failed"
		sed 's/^/# /' "$log"
		return 1
	fi
	if [ "$prepared" = 1 ]; then
		found=$(findings_prepared "$log" "$src" "$dir/pci-epf-vntb.ko" \
			"${cross}nm")
	else
		found=$(findings "$log")
	fi
	if [ -n "$found" ]; then
		echo "not ok $n $name # warnings"
		echo "$found" | sed 's/^/# /'
		return 1
	fi
	if [ "$(modinfo -F vermagic "$dir/pci-epf-vntb.ko" | cut -d' ' -f1)" != "$release" ]; then
		echo "not ok $n $name # pci-epf-vntb.ko is not for $release"
		return 1
	fi
	if ! sparse_ran "$log"; then
		echo "not ok $n $name # sparse did not run"
		sed 's/^/# /' "$log"
		return 1
	fi
	echo "ok $n $name"
}

echo "KTAP version 1"
echo "1..${#combos[@]}"
passed=0 failed=0 n=0
for combo in "${combos[@]}"; do
	n=$((n + 1))
	if build "$n" "${combo%/*}" "${combo#*/}"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
