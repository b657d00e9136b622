#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove that a selftest can fail: build the module with one planted bug
# (a patch from selftests/mutants/), boot the tests the patch names in
# its "Expect-red:" line, and succeed only if each of them turns red.
# A patch to the simulated controller plants a bug in the rig itself: the
# controller is then built from the patched copy instead.
#
# usage: mutant.sh KDIR PATCH OUTDIR MODULE.ko...
#        (the modules are the rig's others: the simulated controller...)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/common.sh"

kdir=$1 patch=$2 out=$3
shift 3

tests=$(sed -n 's/^Expect-red: //p' "$patch")
[ -n "$tests" ] || die "$patch names no test in an Expect-red: line"

rm -rf "$out"
mkdir -p "$out/src/selftests/epc-sim"
cp -r "$top/Kbuild" "$top/src" "$top/include" "$out/src/"
cp "$top"/selftests/epc-sim/{Kbuild,*.c,*.h} "$out/src/selftests/epc-sim/"
patch -s -d "$out/src" -p1 < "$patch" || die "$patch no longer applies"
make -C "$kdir" M="$out/src" modules > "$out/build.log" 2>&1 ||
	die "$patch does not build (see $out/build.log)"
mods=("$@")
if grep -q '^+++ b/selftests/epc-sim/' "$patch"; then
	make -C "$kdir" M="$out/src/selftests/epc-sim" modules \
		>> "$out/build.log" 2>&1 ||
		die "$patch does not build (see $out/build.log)"
	for i in "${!mods[@]}"; do
		if [ "$(basename "${mods[$i]}")" = pci-epc-sim.ko ]; then
			mods[i]=$out/src/selftests/epc-sim/pci-epc-sim.ko
		fi
	done
fi

# a planted bug shows within a few lifecycle cycles, and in the cases of
# the tests it names: a leak scan would not count. It may leave the
# guest hung; the slowest red boot that finishes takes three and a half
# minutes (each unanswered command waits 2 s), so ten bound the boot
# (RIG_TIMEOUT_MUTANT)
export VNTB_CYCLES=5 RIG_KMEMLEAK=off RIG_TIMEOUT=${RIG_TIMEOUT_MUTANT:-600}
# shellcheck disable=SC2086
"$here/run-qemu.sh" "$kdir" "$out/boot" "$out/src/pci-epf-vntb.ko" \
	"${mods[@]}" -- $tests > "$out/report" 2> "$out/stderr" || true
green=0
for test in $tests; do
	if ! grep -q "^not ok [0-9]* $test\$" "$out/report"; then
		echo "# $(basename "$patch"): $test stayed green" >&2
		green=1
	fi
done
[ $green -eq 0 ] || exit 1
grep "^    not ok" "$out/report" | head -n 3 | sed 's/^ */# /'
