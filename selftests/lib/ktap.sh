# SPDX-License-Identifier: GPL-2.0
# Minimal KTAP output for the vntb shell selftests (busybox sh).

KTAP_N=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0

ktap_header() {
	echo "KTAP version 1"
}

# ktap_plan COUNT
ktap_plan() {
	echo "1..$1"
}

ktap_info() {
	echo "# $*"
}

ktap_ok() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_N $*"
}

ktap_fail() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_N $*"
}

# ktap_skip DESCRIPTION REASON
ktap_skip() {
	KTAP_N=$((KTAP_N + 1))
	KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_N $1 # SKIP $2"
}

# ktap_result DESCRIPTION COMMAND... - ok when COMMAND succeeds
ktap_result() {
	local desc=$1

	shift
	if "$@"; then
		ktap_ok "$desc"
	else
		ktap_fail "$desc"
	fi
}

# ktap_report CATEGORY TRIED FAILED - one line of the soak report
ktap_report() {
	echo "# vntb-report: $1: tried $2, failed $3"
}

ktap_finish() {
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL skip:$KTAP_SKIP"
	[ "$KTAP_FAIL" -eq 0 ]
}
