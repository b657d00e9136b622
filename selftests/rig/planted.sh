#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The planted bugs of "make check": a worker that boots, one after the
# other, each planted bug no other worker has claimed. run.sh starts one
# in the second lane and another when the plan's boots are done, so the
# two cores stay busy until the last planted bug: a guest keeps one core
# busy under TCG.
#
# The I-th patch (from 1) is claimed by creating OUT/planted/I.claim. Its
# KTAP line, numbered FIRST + I - 1, and its time go to OUT/planted/I.tap;
# its name, if it failed, to OUT/planted/I.failed. A patch with a
# "Kernel: VERSION" line boots that kernel, else "default": the kernel
# and the rig's other modules, as mutant.sh takes them, are the lines of
# OUT/planted/kernel-VERSION, KDIR first; without that file the patch is
# skipped, saying so.
#
# usage: planted.sh OUT FIRST PATCH...
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=$1 first=$2
shift 2
dir=$out/planted

i=0
for m in "$@"; do
	i=$((i + 1))
	mkdir "$dir/$i.claim" 2>/dev/null || continue
	n=$((first + i - 1))
	name=$(basename "$m" .patch)
	what=$(sed -n 's/^Plants: //p' "$m")
	kernel=$(sed -n 's/^Kernel: //p' "$m")
	kernel=${kernel:-default}
	tap=$dir/$i.tap
	if [ ! -f "$dir/kernel-$kernel" ]; then
		echo "ok $n planted bug $name # SKIP the $kernel kernel is not cached: a later run builds it" > "$tap"
		continue
	fi
	mapfile -t mods < "$dir/kernel-$kernel"
	began=$(date +%s)
	if "$here/mutant.sh" "${mods[0]}" "$m" "$out/mutant/$name" "${mods[@]:1}" \
		> "$tap.out" 2> "$out/mutant-$name.err"; then
		echo "ok $n planted bug turns its tests red: $what"
		cat "$tap.out"
	else
		echo "not ok $n planted bug turns its tests red: $what"
		sed 's/^/# /' "$out/mutant-$name.err"
		echo "planted bug $name" > "$dir/$i.failed"
	fi > "$tap.part"
	echo "# planted bug $name took $(($(date +%s) - began)) s" >> "$tap.part"
	rm -f "$tap.out"
	# complete or absent: the report reads it only when both lanes end
	mv "$tap.part" "$tap"
done
