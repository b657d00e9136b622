#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Trips one bug detector on purpose: loads the splat probe in the mode
# given (warn, kasan, lockdep, hung or leak; Documentation/test-rig.rst).
# The script itself passes; the rig's judge must still turn the boot red
# with that detector's report.

. ./lib/ktap.sh
. ./lib/rig.sh

mode=${1:-warn}

ktap_header
ktap_plan 1
case "$mode" in
hung)
	# report a task blocked for a second, not the default minute
	echo 1 > /proc/sys/kernel/hung_task_timeout_secs
	insmod "$MODDIR/extra/vntb-splat-probe.ko" mode=hung
	hung_reported() {
		dmesg | grep -q "vntb-splat-hung.*blocked for more than"
	}
	ktap_result "splat probe: a task blocked past the hung-task timeout" \
		wait_until 30000 hung_reported
	rmmod vntb_splat_probe
	;;
*)
	insmod "$MODDIR/extra/vntb-splat-probe.ko" mode="$mode"
	ktap_result "splat probe loaded in mode $mode" \
		grep -q vntb_splat_probe /proc/modules
	;;
esac
ktap_finish
