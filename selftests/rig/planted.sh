#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The planted bugs of "make check", one after the other: a KTAP line for
# each, numbered from FIRST, and the names of those that failed in
# OUT/planted.failed. run.sh runs it beside the boots: a guest keeps one
# of the machine's cores busy, and this lane's guests take the other.
#
# usage: planted.sh KDIR FIRST OUT MODULE.ko... -- PATCH...
#        (the modules are the rig's others, as mutant.sh takes them)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
kdir=$1 n=$2 out=$3
shift 3
mods=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	mods+=("$1")
	shift
done
[ $# -gt 0 ] || { echo "usage: planted.sh KDIR FIRST OUT MODULE.ko... -- PATCH..." >&2; exit 1; }
shift

i=0
: > "$out/planted.failed"
for m in "$@"; do
	i=$((i + 1))
	name=$(basename "$m" .patch)
	what=$(sed -n 's/^Plants: //p' "$m")
	echo "# planted bug $name, $i of $#"
	if "$here/mutant.sh" "$kdir" "$m" "$out/mutant/$name" "${mods[@]}" \
		2> "$out/mutant-$name.err"; then
		echo "ok $n planted bug turns its tests red: $what"
	else
		echo "not ok $n planted bug turns its tests red: $what"
		sed 's/^/# /' "$out/mutant-$name.err"
		echo "planted bug $name" >> "$out/planted.failed"
	fi
	n=$((n + 1))
done
