#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The rig's entry point: build the test kernels and the modules, boot the
# guests that rig/plan lists for the mode and print one KTAP report ending
# in "N passed, N failed, N skipped".
#
# usage: run.sh check|soak|demo|bench [KVERSION[/ARCH]]
#        run.sh tests KVERSION[/ARCH] TEST... (one boot of the tests named)
# env:   VNTB_BOOTS     only the plan's boots of these names (all if empty)
#        VNTB_MUTANTS=0 skips the planted-bug runs of check
#        VNTB_KERNEL_BUILDS the test kernels a run may build (2)
#        VNTB_*         the tests' knobs, over the plan's values
set -eu

here=$(cd "$(dirname "$0")" && pwd)
suites=$(cd "$here/.." && pwd)
top=$(cd "$suites/.." && pwd)
. "$here/common.sh"
. "$here/report.sh"

start=$(date +%s)
mode=${1:-check}
kversion=${2:-6.12}
out=$top/.rig
mkdir -p "$out"

# the bench's figures come from a kernel without the bug detectors
flavour=debug
[ "$mode" = bench ] && flavour=bench
# KVERSION[/ARCH]: the kernel's version, and its architecture
karch=x86_64
case "$kversion" in
*/*) karch=${kversion#*/} kversion=${kversion%/*} ;;
esac
# cached VERSION ARCH [FLAVOUR] - that test kernel is built already
cached() {
	RIG_NO_BUILD=1 "$here/build-kernel.sh" "$@" > /dev/null 2>&1
}
# A run builds at most VNTB_KERNEL_BUILDS test kernels (2): a cold run,
# with no kernel cached, then stays inside CI's 90 minutes. The boots of
# a kernel past that are skipped, saying so; the next run builds it.
kernel_builds=0
cached "$kversion" "$karch" "$flavour" || kernel_builds=1
kdir=$("$here/build-kernel.sh" "$kversion" "$karch" "$flavour")
echo "rig: kernel $kdir" >&2

# the rig's modules: the folder of selftests/ each is built in, and its name
helper_dirs=(epc-sim helpers/splat-probe helpers/db-echo helpers/dma-client)
helper_mods=(pci-epc-sim vntb-splat-probe vntb-db-echo vntb-dma-client)

# build KDIR DIR - build the modules in DIR, warning-free
build() {
	local k=$1 dir=$2
	local log

	log=$out/build-$(basename "$dir").log
	cross_build "$(kernel_arch "$k")"
	make -C "$k" M="$dir" "${kbuild[@]}" W=1 modules >"$log" 2>&1 ||
		{ cat "$log" >&2; die "build of $dir failed"; }
	if grep -q "warning:" "$log"; then
		cat "$log" >&2
		die "build of $dir has warnings"
	fi
}

# build_copy KDIR DEST - build copies of the modules for another kernel in
# DEST, leaving the tree's own objects alone; sets boot_mods
build_copy() {
	local i dir

	rm -rf "$2"
	mkdir -p "$2/vntb"
	cp -r "$top/Kbuild" "$top/src" "$top/include" "$2/vntb/"
	build "$1" "$2/vntb"
	boot_mods=("$2/vntb/pci-epf-vntb.ko")
	for i in "${!helper_dirs[@]}"; do
		dir=${helper_dirs[$i]}
		mkdir -p "$2/$dir"
		cp -r "$suites/$dir/." "$2/$dir/"
		build "$1" "$2/$dir"
		boot_mods+=("$2/$dir/${helper_mods[$i]}.ko")
	done
}

if [ "$flavour" = debug ] && [ "$karch" = x86_64 ]; then
	build "$kdir" "$top"
	mods=("$top/pci-epf-vntb.ko")
	for i in "${!helper_dirs[@]}"; do
		build "$kdir" "$suites/${helper_dirs[$i]}"
		mods+=("$suites/${helper_dirs[$i]}/${helper_mods[$i]}.ko")
	done
	boot_mods=("${mods[@]}")
else
	build_copy "$kdir" "$out/modules-$flavour-$karch"
	mods=("${boot_mods[@]}")
fi
boot_kdir=$kdir boot_env=()

# boot NAME TEST... - one guest boot of boot_kdir with boot_mods, in the
# environment boot_env (VAR=VALUE...) adds; its report goes to $out/NAME
boot() {
	local name=$1

	shift
	env "${boot_env[@]}" "$here/run-qemu.sh" "$boot_kdir" "$out/$name" \
		"${boot_mods[@]}" -- "$@" \
		> "$out/$name/report" 2>"$out/$name/stderr" || return 1
}

# read_plan MODE - the plan's boots for MODE, one a line: NAME KERNEL
# EXPECT WORD..., groups expanded, comments dropped, filtered by VNTB_BOOTS
read_plan() {
	awk -v mode="$1" -v only="${VNTB_BOOTS-}" '
	{ sub(/#.*/, "") }
	$1 == "group" {
		g = ""
		for (i = 3; i <= NF; i++) g = g " " $i
		group["@" $2] = substr(g, 2)
		next
	}
	$1 == mode && (only == "" || index(" " only " ", " " $2 " ")) {
		line = $2 " " $3 " " $4
		for (i = 5; i <= NF; i++) {
			if ($i ~ /^@/ && !($i in group)) {
				print "plan: no group " $i > "/dev/stderr"
				exit 1
			}
			line = line " " (($i in group) ? group[$i] : $i)
		}
		print line
	}' "$here/plan"
}

# expected_red REPORT PATTERN - the boot's failures are the detectors'
# (kernel splats, a leak, a guest that never finished), one of them
# matches PATTERN, and every case a script reported passed
expected_red() {
	grep -q "^ *not ok [0-9]* \(no kernel splat: .*\)\?$2" "$1" || return 1
	! grep "^    not ok " "$1" | grep -vq "no kernel splat: \|script finished"
}

# gate LOG WHAT FAILURE CMD... - result $n: ok when CMD succeeds, its
# output kept in LOG and shown when it fails; FAILURE names it, with
# the log's last line, in the list of failures printed above the totals
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
	# with its log's last line: the list may be all a reader sees
	failures+=("$failure: $(tail -n 1 "$log")")
}

# lint N - the style gate, as result N
lint() {
	local n=$1

	gate "$out/lint.log" "lint: checkpatch --strict, W=1, sparse" lint \
		"$here/lint.sh" "$kdir" "$top"
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

# packaging N KERNEL KDIR EPC-SIM.ko - result N: DKMS and make install
# against KDIR, each booted (rig/packaging.sh)
packaging() {
	local n=$1 kernel=$2

	gate "$out/packaging-$kernel.log" "packaging on $kernel: installed with DKMS and with make install, modprobe loads ours; removed, the in-tree one" \
		"packaging on $kernel" "$here/packaging.sh" "$3" "$out/packaging-$kernel" "$4"
}

# planted_kernel NAME KDIR MODULE.ko... - the kernel the planted bugs
# marked "Kernel: NAME" boot, and the rig's other modules (planted.sh)
planted_kernel() {
	local name=$1

	shift
	printf '%s\n' "$@" > "$out/planted/kernel-$name"
}

# second_lane FIRST MUTANT... - what runs beside the plan's boots, on the
# other core: the lint, the build matrix, the packaging on the run's
# kernel and on 7.2 (numbered from FIRST), then the planted bugs
# (planted.sh), which the first lane joins when its boots are done;
# prints the KTAP lines of the first four to $out/lane.tap and adds what
# failed to $out/lane.failed. The lint's builds of the tree write no
# object the boots load: their sources and flags are the tree's build's.
second_lane() {
	local n=$1 failures=()

	shift
	lint "$n"
	n=$((n + 1))
	gate "$out/matrix.log" "build matrix: 6.1, 6.12 and 7.2, x86_64 and arm64, W=1 and sparse" \
		"build matrix" "$here/build-matrix.sh"
	grep "^\(not \)\?ok" "$out/matrix.log" | sed 's/^/# /' || true
	n=$((n + 1))
	packaging "$n" "$kversion" "$kdir" "${mods[1]}"
	n=$((n + 1))
	if [ -n "$k72" ]; then
		packaging "$n" 7.2 "$k72" "$out/lane-7.2-epc-sim/pci-epc-sim.ko"
	else
		echo "ok $n packaging on 7.2 # SKIP the 7.2 kernel is not cached: a later run builds it"
	fi
	for f in "${failures[@]}"; do
		echo "$f" >> "$out/lane.failed"
	done
	"$here/planted.sh" "$out" $((n + 1)) "$@" > "$out/lane-planted.log" 2>&1
}

case "$mode" in
bench)
	# the bench kernel has no kmemleak to scan with
	boot_env+=(RIG_KMEMLEAK=off)
	mkdir -p "$out/bench"
	boot bench bench.sh || true
	sed -n '/# Subtest: bench.sh/,$p' "$out/bench/report" | grep -v "vntb-bench:"
	logs=("$out/bench/ktap.log")
	# where the in-tree function takes doorbell interrupts in that boot,
	# its poll in a boot of its own
	if [ -f "$boot_kdir/source/drivers/pci/endpoint/pci-ep-msi.c" ]; then
		mkdir -p "$out/bench-poll"
		boot_env+=(VNTB_BENCH_PART=intree_poll)
		boot bench-poll bench.sh || true
		sed -n '/# Subtest: bench.sh/,$p' "$out/bench-poll/report" |
			grep -v "vntb-bench:"
		logs+=("$out/bench-poll/ktap.log")
	fi
	cat "${logs[@]}" > "$out/bench.ktap"
	bench_table "$out/bench.ktap"
	;;
tests)
	shift 2
	[ $# -gt 0 ] || die "usage: run.sh tests KVERSION TEST..."
	mkdir -p "$out/tests"
	if boot tests "$@"; then rc=0; else rc=1; fi
	cat "$out/tests/report"
	[ $rc -eq 0 ] || sed 's/^/# /' "$out/tests/stderr"
	took=$(($(date +%s) - start))
	echo "# make tests took $((took / 60)) min $((took % 60)) s"
	exit $rc
	;;
demo)
	mkdir -p "$out/demo"
	if boot demo demo.sh; then rc=0; else rc=1; fi
	# the narration, then the verdicts: each once
	sed -n 's/^# vntb-demo: //p' "$out/demo/ktap.log"
	grep "^ *\(not \)\?ok " "$out/demo/report" | sed 's/^ *//'
	tail -n 1 "$out/demo/report"
	took=$(($(date +%s) - start))
	echo "# make demo took $((took / 60)) min $((took % 60)) s"
	exit $rc
	;;
check|soak)
	plan=$(read_plan "$mode") || die "rig/plan cannot be read"
	[ -n "$plan" ] || die "rig/plan has no $mode boot to run"
	mapfile -t boots <<<"$plan"
	# planted bugs, each of which must turn the tests it names red
	mutants=()
	[ "$mode" = check ] && [ "${VNTB_MUTANTS:-1}" = 1 ] &&
		mutants=("$suites"/mutants/*.patch)
	passed=0 failed=0 skipped=0
	# what failed, repeated above the totals: a long log is often
	# read from its end only
	failures=()
	echo "KTAP version 1"
	# the second lane's results beside the planted bugs: the lint, the
	# build matrix and the packaging on two kernels
	lane_results=0
	[ "$mode" = check ] && lane_results=4
	# the lint first, where no second lane runs it beside the boots
	n=1
	if [ "$mode" = check ]; then
		echo "1..$((${#boots[@]} + ${#mutants[@]} + lane_results + 1))"
	else
		echo "1..$((${#boots[@]} + 2))"
		lint $n
		n=$((n + 1))
	fi
	# the judge of every boot below, judged first on crafted runs
	gate "$out/judge-test.log" "judge fails closed" "judge self-test" \
		python3 "$here/judge_test.py"
	echo "# judge self-test: $(tail -n 1 "$out/judge-test.log")"
	# the second lane runs beside the boots, in its own process group
	# (killed if this run dies); its lines are printed after the boots'
	lane=""
	if [ "$mode" = check ]; then
		: > "$out/lane.failed"
		rm -rf "$out/planted" && mkdir -p "$out/planted" "$out/mutant"
		planted_kernel default "$kdir" "${mods[@]:1}"
		# 7.2's packaging and planted bugs need its test kernel built
		# already: a run that has not got it says so
		k72=$(RIG_NO_BUILD=1 "$here/build-kernel.sh" 7.2 x86_64 2>/dev/null) ||
			k72=""
		if [ -n "$k72" ]; then
			rm -rf "$out/lane-7.2-epc-sim"
			cp -r "$suites/epc-sim" "$out/lane-7.2-epc-sim"
			build "$k72" "$out/lane-7.2-epc-sim"
			planted_kernel 7.2 "$k72" "$out/lane-7.2-epc-sim/pci-epc-sim.ko"
		fi
		first_planted=$((n + ${#boots[@]} + lane_results + 1))
		set -m
		second_lane $((n + ${#boots[@]} + 1)) "${mutants[@]}" \
			< /dev/null > "$out/lane.tap" 2>&1 &
		lane=$!
		set +m
		trap '[ -z "$lane" ] || kill -- -"$lane" 2>/dev/null || true' EXIT
	fi
	declare -A kernel_mods
	# the results before the boots: the judge, and the lint in soak
	before=$n
	for b in "${boots[@]}"; do
		n=$((n + 1))
		read -r name kernel expect words <<<"$b"
		# a red or in-tree boot may hang: give it a short bound
		case "$expect" in
		red:* | report) t=${RIG_TIMEOUT_RED:-150} ;;
		*) t=${RIG_TIMEOUT:-1200} ;;
		esac
		boot_env=(RIG_TIMEOUT="$t") tests=""
		for w in $words; do
			case "$w" in
			*=*)
				var=${w%%=*}
				[ -n "${!var+x}" ] || boot_env+=("$w")
				;;
			*) tests="$tests $w" ;;
			esac
		done
		tests=${tests# }
		if [ "$kernel" = - ]; then
			boot_kdir=$kdir boot_mods=("${mods[@]}")
		else
			# VERSION or VERSION/ARCH
			kv=${kernel%/*} ka=x86_64
			[ "$kv" = "$kernel" ] || ka=${kernel#*/}
			if [ -z "${kernel_mods[$kernel]:-}" ] && ! cached "$kv" "$ka"; then
				if [ "$kernel_builds" -ge "${VNTB_KERNEL_BUILDS:-2}" ]; then
					echo "ok $n boot $name # SKIP the $kv $ka kernel is not cached and a run builds at most ${VNTB_KERNEL_BUILDS:-2} (VNTB_KERNEL_BUILDS): the next run builds it"
					skipped=$((skipped + 1))
					continue
				fi
				kernel_builds=$((kernel_builds + 1))
			fi
			boot_kdir=$("$here/build-kernel.sh" "$kv" "$ka")
			if [ -z "${kernel_mods[$kernel]:-}" ]; then
				build_copy "$boot_kdir" "$out/modules-$kv-$ka"
				kernel_mods[$kernel]="${boot_mods[*]}"
			fi
			read -ra boot_mods <<<"${kernel_mods[$kernel]}"
		fi
		mkdir -p "$out/$name"
		echo "# boot $name, $((n - before)) of ${#boots[@]}: $tests"
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
	if [ -n "$lane" ]; then
		# the planted bugs the second lane has not claimed yet
		echo "# the plan's boots ended $(($(date +%s) - start)) s into the run"
		"$here/planted.sh" "$out" "$first_planted" "${mutants[@]}" \
			> "$out/main-planted.log" 2>&1 || true
		echo "# the first lane's planted bugs ended $(($(date +%s) - start)) s into the run"
		wait "$lane" || true
		lane=""
		echo "# the second lane ended $(($(date +%s) - start)) s into the run"
		for i in "${!mutants[@]}"; do
			cat "$out/planted/$((i + 1)).tap" 2>/dev/null || true
		done > "$out/planted.tap"
		cat "$out/lane.tap" "$out/planted.tap" | tee "$out/lane-all.tap"
		p=$(grep -c "^ok [0-9]* " "$out/lane-all.tap" || true)
		s=$(grep -c "^ok [0-9]* .*# SKIP" "$out/lane-all.tap" || true)
		f=$(grep -c "^not ok [0-9]* " "$out/lane-all.tap" || true)
		passed=$((passed + p - s)) failed=$((failed + f))
		skipped=$((skipped + s))
		mapfile -t -O "${#failures[@]}" failures < <(
			cat "$out/lane.failed" "$out"/planted/*.failed 2>/dev/null)
		# a lane that stopped short fails: each of its results has a line
		if [ $((p + f)) -ne $((${#mutants[@]} + lane_results)) ]; then
			echo "# the lanes gave $((p + f)) results of $((${#mutants[@]} + lane_results))"
			failed=$((failed + ${#mutants[@]} + lane_results - p - f))
			failures+=("the lanes gave $((p + f)) results of $((${#mutants[@]} + lane_results))")
		fi
	fi
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
	die "usage: run.sh check|soak|demo|bench [KVERSION] | tests KVERSION TEST..."
	;;
esac
