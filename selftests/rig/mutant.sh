#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prove that a selftest can fail: build the module with one planted bug
# (a patch from selftests/mutants/), boot the tests the patch names in
# its "Expect-red:" line, and succeed only if each of them turns red.
# A patch to the simulated controller plants a bug in the rig itself: the
# controller is then built from the patched copy instead. A leak is seen
# by the boot's final kmemleak scan, not by a script: with "kmemleak" in
# its Expect-red: line, a patch's tests are run and the scan must report
# objects.
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
kmemleak=off
case " $tests " in
*" kmemleak "*)
	kmemleak=on
	tests=$(echo " $tests " | sed 's/ kmemleak / /')
	;;
esac

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

# a planted bug shows within a few lifecycle cycles, fuzz rounds or host
# events, and in the cases of the tests it names, or in the leak scan
# where it asks for one. It may leave the guest hung; the slowest red boot that
# finishes takes two minutes (each unanswered command waits 2 s), so ten
# bound the boot (RIG_TIMEOUT_MUTANT)
export VNTB_CYCLES=5 VNTB_FUZZ_ROUNDS=10 VNTB_HOST_REBOOTS=2 \
	VNTB_HOST_LINKLOSS=2 VNTB_HOST_PERST=2 RIG_KMEMLEAK=$kmemleak \
	RIG_TIMEOUT=${RIG_TIMEOUT_MUTANT:-600}
# shellcheck disable=SC2086
"$here/run-qemu.sh" "$kdir" "$out/boot" "$out/src/pci-epf-vntb.ko" \
	"${mods[@]}" -- $tests > "$out/report" 2> "$out/stderr" || true
green=0
[ $kmemleak = on ] || for test in $tests; do
	if ! grep -q "^not ok [0-9]* $test\$" "$out/report"; then
		echo "# $(basename "$patch"): $test stayed green" >&2
		green=1
	fi
done
if [ $kmemleak = on ] &&
	! grep -q "^not ok [0-9]* no leaks: kmemleak reports [1-9]" "$out/report"; then
	echo "# $(basename "$patch"): the leak scan found nothing" >&2
	green=1
fi
[ $green -eq 0 ] || exit 1
grep -E "^    not ok|^not ok [0-9]* no leaks" "$out/report" | head -n 3 | sed 's/^ */# /'
