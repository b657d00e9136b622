#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module installed as users install it, then booted. A copy of the
# test kernel's module tree stands for /lib/modules/RELEASE of a machine
# running that kernel; in turn:
#   dkms add, build and install into it   -> modprobe loads ours
#   dkms remove                           -> modprobe loads the in-tree one
#   make install into it                  -> ours again
#   make uninstall                        -> the in-tree one again
# After each step a guest boots that tree and runs vntb_installed.sh,
# told which module to expect. Nothing is installed into this machine's
# /lib/modules, and DKMS forgets the module on the way out.
#
# usage: packaging.sh KDIR OUTDIR MODULE.ko...   (the rig's other modules)
set -eEu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
top=$(cd "$here/../.." && pwd)

[ $# -ge 2 ] || die "usage: packaging.sh KDIR OUTDIR MODULE.ko..."
kdir=$(readlink -f "$1") out=$2
shift 2
[ -f "$kdir/include/config/kernel.release" ] || die "$kdir is not a configured kernel tree"
release=$(cat "$kdir/include/config/kernel.release")

need_packages dkms kmod
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$top/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
if [ -z "$name" ] || [ -z "$version" ]; then
	die "dkms.conf has no PACKAGE_NAME or PACKAGE_VERSION"
fi
srcdir=/usr/src/$name-$version
root=$out/root
tree=$root/lib/modules

# an installed copy is the machine's own, not a leftover of this script
dkms status "$name/$version" 2>/dev/null | grep -q ': installed' &&
	die "$name/$version is installed here; dkms remove it first"

forget() {
	if dkms status "$name/$version" 2>/dev/null | grep -q .; then
		dkms remove "$name/$version" --all --installtree "$tree" > /dev/null
	fi
	rm -rf "$srcdir"
}
forget
trap forget EXIT

# fresh_tree - the test kernel's modules as its package installs them
fresh_tree() {
	rm -rf "$root"
	make -s -C "$kdir" modules_install INSTALL_MOD_PATH="$root" \
		INSTALL_MOD_STRIP=1 DEPMOD=/bin/true > /dev/null
	depmod -b "$root" "$release"
}

# boot_tree NAME WANT - boot the tree; vntb_installed.sh expects WANT
boot_tree() {
	local dir=$out/$1

	mkdir -p "$dir"
	if RIG_MODULE_ROOT=$root VNTB_INSTALLED=$2 \
		"$here/run-qemu.sh" "$kdir" "$dir" "${mods[@]}" -- vntb_installed.sh \
		> "$dir/report" 2> "$dir/stderr"; then
		echo "ok $1: modprobe pci-epf-vntb loads the $2 module"
		return
	fi
	echo "not ok $1: modprobe pci-epf-vntb loads the $2 module"
	sed 's/^/# /' "$dir/report" "$dir/stderr"
	failed+=("$1 ($(sed -n 's/^ *not ok [0-9]* //p' "$dir/report" "$dir/stderr" |
		awk 'NR > 1 { printf "; " } { printf "%s", $0 }'))")
}
failed=()
# the caller may see only the last line: a command that fails says so
trap 'echo "packaging.sh: line $LINENO exited $?" >&2' ERR

# copy_sources DIR - the files that build and package ours, copied to DIR
copy_sources() {
	mkdir -p "$1"
	(cd "$top" && cp --parents dkms.conf Makefile Kbuild src/*.c include/*.h "$1/")
}

mods=("$@")
fresh_tree
copy_sources "$srcdir"
dkms add "$name/$version" > /dev/null
dkms install "$name/$version" -k "$release" --kernelsourcedir "$kdir" \
	--installtree "$tree" --no-depmod > "$out/dkms-install.log" 2>&1 ||
	{ cat "$out/dkms-install.log" "/var/lib/dkms/$name/$version/build/make.log" 2>/dev/null; die "dkms install failed"; }
# what dkms runs on a machine that boots this tree
depmod -b "$root" "$release"
boot_tree dkms-installed ours
dkms remove "$name/$version" --all --installtree "$tree" --no-depmod > /dev/null
depmod -b "$root" "$release"
boot_tree dkms-removed intree

# make install from a copy: the tree's own module is the one the plan's
# boots load, built for their kernel, and this may run beside them
copy=$out/tree
rm -rf "$copy"
copy_sources "$copy"
fresh_tree
make -s -C "$copy" install KDIR="$kdir" INSTALL_MOD_PATH="$root" > /dev/null
boot_tree make-installed ours
make -s -C "$copy" uninstall KDIR="$kdir" INSTALL_MOD_PATH="$root" > /dev/null
boot_tree make-uninstalled intree
[ ${#failed[@]} -eq 0 ] || die "boots failed: ${failed[*]}"
