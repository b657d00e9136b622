#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The rig's entry point: build the test kernel and the modules, boot the
# guests and print one KTAP report ending in "N passed, N failed".
#
# usage: run.sh check|demo [KVERSION]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/rig/common.sh"

mode=${1:-check}
kversion=${2:-6.12}
out=$top/.rig
mkdir -p "$out"

kdir=$("$here/rig/build-kernel.sh" "$kversion" x86_64)
echo "rig: kernel $kdir" >&2

build() {
	local dir=$1
	local log
	log=$out/build-$(basename "$dir").log

	make -C "$kdir" M="$dir" W=1 modules >"$log" 2>&1 ||
		{ cat "$log" >&2; die "build of $dir failed"; }
	if grep -q "warning:" "$log"; then
		cat "$log" >&2
		die "build of $dir has warnings"
	fi
}
build "$top"
build "$here/epc-sim"
build "$here/splat-probe"
mods=("$top/pci-epf-vntb.ko" "$here/epc-sim/pci-epc-sim.ko"
      "$here/splat-probe/vntb-splat-probe.ko")

# boot NAME TEST... - one guest boot; its report goes to $out/NAME
boot() {
	local name=$1

	shift
	"$here/rig/run-qemu.sh" "$kdir" "$out/$name" "${mods[@]}" -- "$@" \
		> "$out/$name/report" 2>"$out/$name/stderr" || return 1
}

case "$mode" in
demo)
	mkdir -p "$out/demo"
	boot demo demo.sh || true
	sed -n '/# Subtest: demo.sh/,$p' "$out/demo/report"
	sed -n 's/^# vntb-demo: //p' "$out/demo/ktap.log"
	tail -n 1 "$out/demo/report"
	;;
check)
	passed=0 failed=0 skipped=0
	# each boot: name and the tests it runs, in order
	boots=(
		"main vntb_protocol.sh vntb_configfs.sh vntb_faults.sh vntb_multi.sh vntb_lifecycle.sh"
		"intree rig_proof.sh"
		"splat splat_probe.sh"
	)
	echo "KTAP version 1"
	echo "1..$((${#boots[@]} + 1))"
	n=1
	if "$here/rig/lint.sh" "$kdir" "$top" > "$out/lint.log" 2>&1; then
		echo "ok 1 lint: checkpatch --strict, W=1, sparse"
		passed=$((passed + 1))
	else
		echo "not ok 1 lint: checkpatch --strict, W=1, sparse"
		sed 's/^/# /' "$out/lint.log"
		failed=$((failed + 1))
	fi
	for b in "${boots[@]}"; do
		n=$((n + 1))
		read -r name tests <<<"$b"
		mkdir -p "$out/$name"
		# shellcheck disable=SC2086
		if boot "$name" $tests; then rc=0; else rc=1; fi
		report=$out/$name/report
		totals=$(tail -n 1 "$report")
		p=$(echo "$totals" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
		f=$(echo "$totals" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
		s=$(echo "$totals" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
		echo "# Subtest: boot $name"
		sed '$d' "$report" | sed 's/^/    /'
		if [ "$name" = splat ]; then
			# the detector must turn this boot red, on the probe alone
			if [ $rc -ne 0 ] && grep -q "no kernel splat: WARNING:.*vntb-splat-probe\|no kernel splat: vntb-splat-probe" "$report"; then
				echo "ok $n splat detector turned a deliberate WARN red"
				passed=$((passed + 1))
			else
				echo "not ok $n splat detector missed a deliberate WARN"
				failed=$((failed + 1))
			fi
			continue
		fi
		passed=$((passed + ${p:-0})) failed=$((failed + ${f:-1}))
		skipped=$((skipped + ${s:-0}))
		if [ $rc -eq 0 ]; then
			echo "ok $n boot $name"
		else
			echo "not ok $n boot $name"
			sed 's/^/# /' "$out/$name/stderr"
		fi
	done
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	;;
*)
	die "usage: run.sh check|demo [KVERSION]"
	;;
esac
