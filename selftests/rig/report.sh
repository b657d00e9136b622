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

# bench_table KTAP_LOG - the bench's figures, a column for each function
# measured (ours, and on 7.2 ours with the doorbell interrupt and the
# in-tree driver's poll beside its interrupt, and "limit", the rig's own
# network over a veth pair), the ratio of each of ours to the in-tree
# driver, and of each function to the limit where the figure has one
bench_table() {
	awk '/^# vntb-bench: / {
		v[$3 " " $4] = $5
		if (!($3 in seen)) { seen[$3] = 1; keys[n++] = $3 }
		if ($4 != "base" && !($4 in dseen)) { dseen[$4] = 1; drv[m++] = $4 }
	}
	function ratio(a, b) {
		return (a != "" && b != "" && b + 0 > 0) ? sprintf("%.2fx", a / b) : "-"
	}
	END {
		line = sprintf("# %-44s", "figure")
		for (j = 0; j < m; j++) line = line sprintf(" %12s", drv[j])
		for (j = 0; j < m; j++) if (drv[j] !~ /^in-tree/ && drv[j] != "limit")
			line = line sprintf(" %16s", drv[j] "/in-tree")
		for (j = 0; j < m; j++) if (drv[j] != "limit" && ("limit" in dseen))
			line = line sprintf(" %16s", drv[j] "/limit")
		print line
		for (i = 0; i < n; i++) {
			k = keys[i]; t = v[k " in-tree"]
			if (k == "idle_wakeups_per_s") printf "# %-44s %12s (no function loaded)\n", "idle_wakeups_per_s base", v[k " base"]
			line = sprintf("# %-44s", k)
			for (j = 0; j < m; j++) {
				o = v[k " " drv[j]]
				line = line sprintf(" %12s", o == "" ? "-" : o)
			}
			for (j = 0; j < m; j++) if (drv[j] !~ /^in-tree/ && drv[j] != "limit")
				line = line sprintf(" %16s", ratio(v[k " " drv[j]], t))
			for (j = 0; j < m; j++) if (drv[j] != "limit" && ("limit" in dseen))
				line = line sprintf(" %16s", ratio(v[k " " drv[j]], v[k " limit"]))
			print line
		}
	}' "$1"
}
