#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The board collection run as on a board: installed with make -C
# selftests install (the rig packs it in /ksft, with the test kernel's
# own run_kselftest.sh), run by that runner against two simulated
# controllers in host mode, where this kernel is also the host:
# VNTB_HOST_SH runs the host's side in a local shell. Without host mode
# (RIG_HOST_MODE=n: off x86, and on 7.2) the host's test skips, as on a
# board with no host given. The tests source nothing of the rig; each
# one's verdict from the runner is a case here.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/host.sh

K=/ksft
tests=$(sed -n 's/^vntb://p' $K/kselftest-list.txt)
ktap_header
ktap_plan $(($(echo "$tests" | wc -l) + 1))
host_sh=
if [ "$RIG_HOST_MODE" = y ]; then
	host_sim_load 2 generic,imx8
	host_sh="sh -c"
else
	sim_load 2 generic,imx8
fi
out=$(cd $K && VNTB_EPC="pci-epc-sim.0 pci-epc-sim.1" VNTB_HOST_SH="$host_sh" \
	./run_kselftest.sh -c vntb 2>&1)
echo "$out" | sed 's/^/# /'
for t in $tests; do
	line=$(echo "$out" | grep -E "^(not )?ok [0-9]+ selftests: vntb: $t( |$)")
	case "$line" in
	"ok "*"# SKIP"*)
		reason=${line#*# SKIP}
		ktap_skip "kselftest vntb:$t" \
			"${reason:-the runner gives no reason: the test's own lines above do}" ;;
	"ok "*) ktap_ok "kselftest vntb:$t" ;;
	*) ktap_fail "kselftest vntb:$t${line:+: $line}" ;;
	esac
done
ktap_result "pci-epf-vntb and the controllers unload after the runner" \
	eval '{ [ -z "$host_sh" ] || rmmod ntb_hw_epf; } &&
	      rmmod pci_epf_vntb && rmmod pci_epc_sim'
ktap_finish
