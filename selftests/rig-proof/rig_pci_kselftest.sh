#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The rig judged by the kernel's endpoint kselftest, pci_endpoint_test
# (tools/testing/selftests/pci_endpoint, which replaced pcitest in 6.14),
# built from the unpacked source: the in-tree function pci-epf-test on a
# simulated controller in host mode, the in-tree host driver
# pci_endpoint_test bound to it across the simulated link, and each of
# the kselftest's cases a case here. Its own skips stay skips. What the
# controller lacks is checked where it is named: the legacy interrupt
# fails without an INTx pin (then skipped with that reason), and MSI-X
# "skips" at the first vector past the 32 offered, which means vectors 1
# to 32 all passed. Without a DMA engine the DMA variant is not run
# (-V dma) but skipped with the reason: 7.2's pci-epf-test drops such a
# command without a status or an interrupt, and pci_endpoint_test's copy
# then waits forever, holding the device.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/host.sh

KSELFTEST=/bin/pci_endpoint_test
VECTORS=32

ktap_header
if [ ! -x $KSELFTEST ]; then
	ktap_plan 1
	ktap_skip "the kernel's endpoint kselftest" \
		"it came with 6.14; this kernel has pcitest (rig_pcitest.sh)"
	ktap_finish
	exit
fi

host_sim_load 1 msix
C=pci-epc-sim.0
H=$(host_dev $C)

epf_test_up $C $VECTORS
bound=$?
pin=$(od -An -tu1 -j 61 -N 1 /sys/bus/pci/devices/$H/config | tr -d ' ')
nodma=""
[ -n "$(ls /sys/class/dma 2>/dev/null)" ] ||
	nodma="READ_TEST WRITE_TEST COPY_TEST"
rc=0
if [ $bound = 0 ]; then
	$KSELFTEST ${nodma:+-V dma} > /tmp/kselftest.out 2>&1 || rc=$?
fi
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' /tmp/kselftest.out 2>/dev/null)
ktap_plan $((2 + ${plan:-0} + $(echo $nodma | wc -w) + 2))
ktap_result "pci_endpoint_test binds to pci-epf-test across the link" \
	test $bound = 0
ran=$(grep -c "^\(not \)\?ok [0-9]* " /tmp/kselftest.out 2>/dev/null)
ktap_info "the kselftest: plan ${plan:-none}, ${ran:-0} results, exit $rc"
ktap_result "the kselftest ran its plan" \
	test -n "$plan" -a "${ran:-0}" = "${plan:-x}"

# the harness's log of one case: from its RUN line to its verdict
case_log() {
	sed -n "/#  RUN  *$1 /,/^\(not \)\?ok [0-9]* $1/p" /tmp/kselftest.out |
		sed '1d;$d' | tr '\t\n' '  '
}
grep "^\(not \)\?ok [0-9]* " /tmp/kselftest.out > /tmp/kselftest.results 2>/dev/null
while read -r line; do
	name=${line#*ok [0-9]* }
	name=${name%% *}
	reason=${line#*# SKIP }
	case "$line" in
	"not ok "*LEGACY_IRQ_TEST*)
		if [ "$pin" = 0 ]; then
			ktap_skip "$name" "the simulated controller has no INTx pin"
		else
			ktap_info "$(case_log "$name")"
			ktap_fail "$name"
		fi ;;
	"not ok "*)
		ktap_info "$(case_log "$name")"
		ktap_fail "$name" ;;
	*"MSIX_TEST # SKIP MSI-X$((VECTORS + 1)) is disabled")
		ktap_ok "$name: MSI-X 1 to $VECTORS, $((VECTORS + 1)) not offered" ;;
	*"# SKIP "*)
		ktap_skip "$name" "$reason" ;;
	*)
		ktap_ok "$name" ;;
	esac
done < /tmp/kselftest.results
for t in $nodma; do
	ktap_skip "pci_ep_data_transfer.dma.$t" "the rig has no DMA engine"
done

epf_test_down $C
sim_unload
ktap_finish
