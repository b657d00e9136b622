#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Exercise the DKMS packaging against a kernel tree: copy the sources to
# /usr/src/vntb-VERSION, dkms add, dkms build for KDIR's release, check
# that pci-epf-vntb.ko came out for that release, then dkms remove --all
# and delete the copy, so it can run again and leaves nothing behind.
# Nothing is installed into /lib/modules.
#
# usage: dkms-build.sh KDIR
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
top=$(cd "$here/../.." && pwd)

[ $# -eq 1 ] || die "usage: dkms-build.sh KDIR"
kdir=$(readlink -f "$1")
[ -f "$kdir/include/config/kernel.release" ] || die "$kdir is not a configured kernel tree"
release=$(cat "$kdir/include/config/kernel.release")

need_packages dkms kmod
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$top/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
if [ -z "$name" ] || [ -z "$version" ]; then
	die "dkms.conf has no PACKAGE_NAME or PACKAGE_VERSION"
fi
srcdir=/usr/src/$name-$version

# an installed copy is the machine's own, not a leftover of this script
dkms status "$name/$version" 2>/dev/null | grep -q ': installed' &&
	die "$name/$version is installed here; dkms remove it first"

cleanup() {
	if dkms status "$name/$version" 2>/dev/null | grep -q .; then
		dkms remove "$name/$version" --all >&2
	fi
	rm -rf "$srcdir"
}
cleanup
trap cleanup EXIT

mkdir -p "$srcdir"
(cd "$top" && cp --parents dkms.conf Makefile Kbuild src/*.c include/*.h "$srcdir/")

dkms add "$name/$version" >&2
if ! dkms build "$name/$version" -k "$release" --kernelsourcedir "$kdir" >&2; then
	cat "/var/lib/dkms/$name/$version/build/make.log" >&2 || true
	die "dkms build failed"
fi

ko=$(find "/var/lib/dkms/$name/$version/$release" -name pci-epf-vntb.ko | head -n 1)
[ -n "$ko" ] || die "dkms build left no pci-epf-vntb.ko for $release"
[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$release" ] ||
	die "$ko is not for $release"
echo "dkms: $name/$version built pci-epf-vntb.ko for $release"
