#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The tables run.sh prints after its boots: the soak's report and the
# bench's figures. Sourced by run.sh; each function reads one boot's
# files and prints KTAP comment lines.

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
