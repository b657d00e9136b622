#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The rig's entry point: build the test kernel and the modules, boot the
# guests and print one KTAP report ending in "N passed, N failed".
#
# usage: run.sh check|soak|demo|bench [KVERSION]
# env:   VNTB_CYCLES lifecycle cycles (check: 50, soak: 300)
#        VNTB_MUTANTS=0 skips the planted-bug runs of check
#        VNTB_ALSO_KERNEL the second kernel check boots our tests on
#        (default 6.1; empty for none), with VNTB_ALSO_CYCLES (20)
#        lifecycle cycles, VNTB_ALSO_FUZZ_ROUNDS (10) fuzz rounds and
#        VNTB_ALSO_RESCAN_CYCLES (10) rescan cycles
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/rig/common.sh"

start=$(date +%s)
mode=${1:-check}
kversion=${2:-6.12}
out=$top/.rig
mkdir -p "$out"

# the bench's figures come from a kernel without the bug detectors
flavour=debug
[ "$mode" = bench ] && flavour=bench
kdir=$("$here/rig/build-kernel.sh" "$kversion" x86_64 "$flavour")
echo "rig: kernel $kdir" >&2

# build KDIR DIR - build the modules in DIR, warning-free
build() {
	local k=$1 dir=$2
	local log
	log=$out/build-$(basename "$dir").log

	make -C "$k" M="$dir" W=1 modules >"$log" 2>&1 ||
		{ cat "$log" >&2; die "build of $dir failed"; }
	if grep -q "warning:" "$log"; then
		cat "$log" >&2
		die "build of $dir has warnings"
	fi
}
# build_copy KDIR DEST - build copies of the modules for another kernel in
# DEST, leaving the tree's own objects alone; sets boot_mods
build_copy() {
	rm -rf "$2"
	mkdir -p "$2/vntb"
	cp -r "$top/Kbuild" "$top/src" "$top/include" "$2/vntb/"
	cp -r "$here/epc-sim" "$here/splat-probe" "$here/db-echo" "$2/"
	build "$1" "$2/vntb"
	build "$1" "$2/epc-sim"
	build "$1" "$2/splat-probe"
	build "$1" "$2/db-echo"
	boot_mods=("$2/vntb/pci-epf-vntb.ko" "$2/epc-sim/pci-epc-sim.ko"
		   "$2/splat-probe/vntb-splat-probe.ko" "$2/db-echo/vntb-db-echo.ko")
}

if [ "$flavour" = debug ]; then
	build "$kdir" "$top"
	build "$kdir" "$here/epc-sim"
	build "$kdir" "$here/splat-probe"
	build "$kdir" "$here/db-echo"
	mods=("$top/pci-epf-vntb.ko" "$here/epc-sim/pci-epc-sim.ko"
	      "$here/splat-probe/vntb-splat-probe.ko" "$here/db-echo/vntb-db-echo.ko")
	boot_mods=("${mods[@]}")
else
	build_copy "$kdir" "$out/modules-$flavour"
fi
boot_kdir=$kdir boot_env=()

# boot NAME TEST... - one guest boot of boot_kdir with boot_mods, in the
# environment boot_env (VAR=VALUE...) adds; its report goes to $out/NAME
boot() {
	local name=$1

	shift
	env "${boot_env[@]}" "$here/rig/run-qemu.sh" "$boot_kdir" "$out/$name" \
		"${boot_mods[@]}" -- "$@" \
		> "$out/$name/report" 2>"$out/$name/stderr" || return 1
}

# expected_red REPORT PATTERN - the boot's failures are the detectors'
# (kernel splats, a leak, a guest that never finished), one of them
# matches PATTERN, and every case a script reported passed
expected_red() {
	grep -q "^ *not ok [0-9]* \(no kernel splat: .*\)\?$2" "$1" || return 1
	! grep "^    not ok " "$1" | grep -vq "no kernel splat: \|script finished"
}

# gate LOG WHAT FAILURE CMD... - result $n: ok when CMD succeeds, its
# output kept in LOG and shown when it fails; FAILURE names it in the
# list of failures printed above the totals
gate() {
	local log=$1 what=$2 failure=$3

	shift 3
	if "$@" > "$log" 2>&1; then
		echo "ok $n $what"
		passed=$((passed + 1))
		return
	fi
	echo "not ok $n $what"
	sed 's/^/# /' "$log"
	failed=$((failed + 1))
	failures+=("$failure")
}

# intree_report NAME - what the in-tree driver of the boot's kernel did:
# the rows its scripts observed and the splats of its boot; nothing here
# is gated but that the rows were observed
intree_report() {
	local dir=$out/$1 kver rows

	kver=$(cat "$boot_kdir/include/config/kernel.release")
	rows=$(sed -n 's/^# vntb-intree: //p' "$dir/ktap.log")
	sed 's/^/    # /' "$dir/report"
	if [ -z "$rows" ]; then
		echo "not ok $n boot $1: the in-tree driver of $kver observed"
		failed=$((failed + 1))
		failures+=("boot $1: nothing observed of the in-tree driver")
		return
	fi
	echo "ok $n boot $1: the in-tree driver of $kver observed (a report, not gated)"
	passed=$((passed + 1))
	echo "$rows" | sed "s/^/# in-tree $kver: /"
	sed -n "s/^ *not ok [0-9]* no kernel splat: /# in-tree $kver splat: /p" \
		"$dir/report" | head -n 5
	grep -q "^# vntb-rig done" "$dir/ktap.log" ||
		echo "# in-tree $kver: the guest did not finish (hang or panic)"
}

# soak_report DIR - what the soak tried, per category, and what it found
soak_report() {
	echo "# soak report: category, cases tried, failed"
	sed -n 's/^# vntb-report: /#   /p' "$1/ktap.log"
	echo "#   kernel splats in tests: $(grep -c 'no kernel splat' "$1/report")"
	echo "#   leaked objects (kmemleak): $(grep -c 'unreferenced object' "$1/ktap.log")"
}

# bench_table KTAP_LOG - the bench's figures, ours beside the in-tree
# driver's, with the ratio ours/in-tree
bench_table() {
	awk '/^# vntb-bench: / { v[$3 " " $4] = $5; if (!($3 in seen)) { seen[$3] = 1; keys[n++] = $3 } }
	END {
		printf "# %-44s %10s %10s %8s\n", "figure", "ours", "in-tree", "ratio"
		for (i = 0; i < n; i++) {
			k = keys[i]; o = v[k " ours"]; t = v[k " in-tree"]
			if (k == "idle_wakeups_per_s") printf "# %-44s %10s (no function loaded)\n", "idle_wakeups_per_s base", v[k " base"]
			r = (o != "" && t != "" && t + 0 > 0) ? sprintf("%.1fx", o / t) : "-"
			printf "# %-44s %10s %10s %8s\n", k, o == "" ? "-" : o, t == "" ? "-" : t, r
		}
	}' "$1"
}

case "$mode" in
bench)
	mkdir -p "$out/bench"
	boot bench bench.sh || true
	sed -n '/# Subtest: bench.sh/,$p' "$out/bench/report" | grep -v "vntb-bench:"
	bench_table "$out/bench/ktap.log"
	;;
demo)
	mkdir -p "$out/demo"
	boot demo demo.sh || true
	sed -n '/# Subtest: demo.sh/,$p' "$out/demo/report"
	sed -n 's/^# vntb-demo: //p' "$out/demo/ktap.log"
	tail -n 1 "$out/demo/report"
	;;
check|soak)
	# each boot: name, expected outcome and the tests it runs, in order.
	# "red:PATTERN" boots pass only when a detector turns them red with a
	# report matching PATTERN and every case the scripts reported passed:
	# they prove the detectors. "report" boots run the in-tree driver and
	# print what it does, gated on nothing it does (Debian updates it).
	reliability="vntb_alloc_sweep.sh vntb_hostile.sh vntb_cfs_fuzz.sh vntb_races.sh vntb_unload.sh"
	if [ "$mode" = soak ]; then
		# about two hours under TCG (measured: 117 minutes, of
		# which fuzz 46, races 31, hostile 19, lifecycle 19); 250
		# cycles per race actor give the 500 interleavings asked for
		export VNTB_CYCLES=${VNTB_CYCLES:-300} RIG_TIMEOUT=${RIG_TIMEOUT:-7200} \
			VNTB_FUZZ_ROUNDS=${VNTB_FUZZ_ROUNDS:-300} \
			VNTB_RACE_CYCLES=${VNTB_RACE_CYCLES:-250} \
			VNTB_RACE_SECONDS=${VNTB_RACE_SECONDS:-3000} \
			VNTB_SWEEP_STRIDE=${VNTB_SWEEP_STRIDE:-1}
		boots=("soak green vntb_lifecycle.sh vntb_faults.sh $reliability")
	else
		export VNTB_SWEEP_STRIDE=${VNTB_SWEEP_STRIDE:-4}
		boots=(
			"main green vntb_protocol.sh vntb_configfs.sh vntb_faults.sh vntb_multi.sh vntb_bars.sh vntb_rescan.sh vntb_poll.sh vntb_vdev_sysfs.sh vntb_windows.sh vntb_linkdown.sh vntb_seed.sh vntb_lifecycle.sh"
			"reliability green $reliability"
			"host green vntb_host.sh vntb_host_checks.sh vntb_host_multi.sh vntb_host_cycles.sh vntb_host_perf.sh vntb_host_net.sh vntb_host_ntb_test.sh vntb_host_presets.sh"
			"intree green rig_pcitest.sh rig_proof.sh"
			"intree-host report intree_host.sh"
			"intree-pp report intree_host_pingpong.sh"
			"seed report intree_seed.sh"
			"splat-warn red:vntb-splat-probe splat_probe.sh:warn"
			"splat-kasan red:KASAN splat_probe.sh:kasan"
			"splat-lockdep red:circular.locking splat_probe.sh:lockdep"
			"splat-hung red:blocked.for.more.than splat_probe.sh:hung"
			"splat-leak red:no.leaks:.kmemleak.reports.[1-9] splat_probe.sh:leak"
		)
	fi
	# our own tests again on a second kernel, and its ntb_hw_epf across
	# the link (the in-tree boots are kept to the first: their
	# expectations are 6.12's)
	also=${VNTB_ALSO_KERNEL-6.1}
	[ "$mode" = check ] && [ -n "$also" ] && boots+=(
		"main-$also green vntb_protocol.sh vntb_configfs.sh vntb_faults.sh vntb_multi.sh vntb_bars.sh vntb_rescan.sh vntb_poll.sh vntb_vdev_sysfs.sh vntb_windows.sh vntb_linkdown.sh vntb_seed.sh vntb_lifecycle.sh"
		"reliability-$also green $reliability"
		"host-$also green vntb_host.sh vntb_host_perf.sh vntb_host_ntb_test.sh vntb_host_presets.sh rig_pcitest.sh"
	)
	# planted bugs, each of which must turn the tests it names red
	mutants=()
	[ "$mode" = check ] && [ "${VNTB_MUTANTS:-1}" = 1 ] &&
		mutants=("$here"/mutants/*.patch)
	passed=0 failed=0 skipped=0
	# what failed, repeated above the totals: a long log is often
	# read from its end only
	failures=()
	echo "KTAP version 1"
	builds=0
	[ "$mode" = check ] && builds=2
	echo "1..$((${#boots[@]} + ${#mutants[@]} + builds + 2))"
	n=1
	gate "$out/lint.log" "lint: checkpatch --strict, W=1, sparse" lint \
		"$here/rig/lint.sh" "$kdir" "$top"
	# the judge of every boot below, judged first on crafted runs
	n=$((n + 1))
	gate "$out/judge-test.log" "judge fails closed" "judge self-test" \
		python3 "$here/rig/judge_test.py"
	echo "# judge self-test: $(tail -n 1 "$out/judge-test.log")"
	for b in "${boots[@]}"; do
		n=$((n + 1))
		read -r name expect tests <<<"$b"
		if [ -n "${also:-}" ] && [ "$name" = "main-$also" ]; then
			boot_kdir=$("$here/rig/build-kernel.sh" "$also" x86_64)
			build_copy "$boot_kdir" "$out/modules-$also"
		fi
		mkdir -p "$out/$name"
		# a red or in-tree boot may hang: give it a short bound
		case "$expect" in
		red:* | report) t=${RIG_TIMEOUT_RED:-150} ;;
		*) t=${RIG_TIMEOUT:-1200} ;;
		esac
		boot_env=(RIG_TIMEOUT="$t")
		# the second kernel's debug build runs about half as fast:
		# shorter loops there, the same cases
		[ -n "${also:-}" ] && [ "$name" != "${name%-"$also"}" ] &&
			boot_env+=(VNTB_CYCLES="${VNTB_ALSO_CYCLES:-20}"
				   VNTB_FUZZ_ROUNDS="${VNTB_ALSO_FUZZ_ROUNDS:-10}"
				   VNTB_RESCAN_CYCLES="${VNTB_ALSO_RESCAN_CYCLES:-10}")
		echo "# boot $name, $((n - 2)) of ${#boots[@]}: $tests"
		began=$(date +%s)
		# shellcheck disable=SC2086
		if boot "$name" $tests; then rc=0; else rc=1; fi
		echo "# boot $name took $(($(date +%s) - began)) s"
		report=$out/$name/report
		if [ "$expect" = report ]; then
			intree_report "$name"
			continue
		fi
		echo "# Subtest: boot $name"
		sed '$d' "$report" | sed 's/^/    /'
		case "$expect" in
		red:*)
			if [ $rc -ne 0 ] && expected_red "$report" "${expect#red:}"; then
				echo "ok $n boot $name turned red as expected: ${expect#red:}"
				passed=$((passed + 1))
			else
				echo "not ok $n boot $name did not turn red for ${expect#red:} alone"
				failed=$((failed + 1))
				failures+=("boot $name: not red for ${expect#red:} alone")
			fi
			continue
			;;
		esac
		totals=$(tail -n 1 "$report")
		p=$(echo "$totals" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
		f=$(echo "$totals" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
		s=$(echo "$totals" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
		passed=$((passed + ${p:-0})) failed=$((failed + ${f:-1}))
		skipped=$((skipped + ${s:-0}))
		if [ $rc -eq 0 ]; then
			echo "ok $n boot $name"
		else
			echo "not ok $n boot $name"
			sed 's/^/# /' "$out/$name/stderr"
			mapfile -t -O "${#failures[@]}" failures < <(
				sed -n "s/^ *not ok [0-9]* \(.*\)/boot $name: \1/p" "$report")
		fi
	done
	if [ "$builds" -gt 0 ]; then
		n=$((n + 1))
		if "$here/rig/build-matrix.sh" > "$out/matrix.log" 2>&1; then
			echo "ok $n build matrix: 6.1 and 6.12, x86_64 and arm64, W=1 and sparse"
			passed=$((passed + 1))
		else
			echo "not ok $n build matrix: 6.1 and 6.12, x86_64 and arm64, W=1 and sparse"
			failed=$((failed + 1))
			failures+=("build matrix")
		fi
		sed 's/^/# /' "$out/matrix.log" | grep "^# \(not \)\?ok" || true
		n=$((n + 1))
		gate "$out/dkms.log" "dkms add and build against the test kernel" \
			dkms "$here/rig/dkms-build.sh" "$kdir"
	fi
	for m in "${mutants[@]}"; do
		n=$((n + 1))
		name=$(basename "$m" .patch)
		what=$(sed -n 's/^Plants: //p' "$m")
		echo "# planted bug $name, $((n - 2 - ${#boots[@]} - builds)) of ${#mutants[@]}"
		if "$here/rig/mutant.sh" "$kdir" "$m" "$out/mutant/$name" \
			"${mods[1]}" 2> "$out/mutant-$name.err"; then
			echo "ok $n planted bug turns its tests red: $what"
			passed=$((passed + 1))
		else
			echo "not ok $n planted bug turns its tests red: $what"
			sed 's/^/# /' "$out/mutant-$name.err"
			failed=$((failed + 1))
			failures+=("planted bug $name")
		fi
	done
	[ "$mode" = soak ] && soak_report "$out/soak"
	for f in "${failures[@]}"; do
		echo "# failed: $f"
	done
	took=$(($(date +%s) - start))
	echo "# make $mode took $((took / 60)) min $((took % 60)) s, kernel builds included"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	;;
*)
	die "usage: run.sh check|soak|demo|bench [KVERSION]"
	;;
esac
