#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The rig judged by the kernel's own endpoint test pair: the in-tree
# function pci-epf-test on a simulated controller in host mode, the
# in-tree host driver pci_endpoint_test bound to it across the simulated
# link, and pcitest, built from the unpacked kernel source, run through
# the cases of the kernel's pcitest.sh: BARs, interrupts, then read,
# write and copy at each of its sizes. The controller offers MSI and
# MSI-X; the legacy interrupt, which it does not have, and DMA without a
# DMA engine are skipped with the reason.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/host.sh

SIZES="1 1024 1025 1024000 1024001"
VECTORS=32

ktap_header
ktap_plan $((1 + 6 + 1 + VECTORS + 1 + VECTORS + 3 * 5 + 1 + 2))

# pci_byte DEV OFFSET - one byte of DEV's configuration space
pci_byte() {
	od -An -tu1 -j "$2" -N 1 "/sys/bus/pci/devices/$1/config" | tr -d ' '
}

# pci_cap DEV ID - DEV's configuration space lists capability ID
pci_cap() {
	local ptr id

	ptr=$(pci_byte "$1" 52)
	while [ "${ptr:-0}" -ne 0 ]; do
		id=$(pci_byte "$1" "$ptr")
		[ "$id" -eq "$2" ] && return 0
		ptr=$(pci_byte "$1" $((ptr + 1)))
	done
	return 1
}

# pcitest_case DESCRIPTION ARGS... - one pcitest run, its line as info
pcitest_case() {
	local desc=$1

	shift
	if pcitest "$@" > /tmp/pcitest.out 2>&1; then
		ktap_ok "$desc"
	else
		ktap_info "$(tr '\t\n' '  ' < /tmp/pcitest.out)"
		ktap_fail "$desc"
	fi
}

# vector_cases NAME OPTION - pcitest OPTION on each vector, a case each
vector_cases() {
	local v=1

	while [ $v -le $VECTORS ]; do
		pcitest_case "$1$v" "$2" $v
		v=$((v + 1))
	done
}

host_sim_load 1 msix
C=pci-epc-sim.0
H=$(host_dev $C)

ktap_result "pci_endpoint_test binds to pci-epf-test across the link" \
	epf_test_up $C $VECTORS

bar=0
while [ $bar -lt 6 ]; do
	pcitest_case "BAR$bar" -b $bar
	bar=$((bar + 1))
done

if [ "$(pci_byte "$H" 61)" = 0 ]; then
	ktap_skip "legacy interrupt" "the simulated controller has no INTx pin"
else
	pcitest -i 0 > /dev/null
	pcitest_case "legacy interrupt" -l
fi

pcitest -i 1 > /dev/null
vector_cases MSI -m

# the msix preset offers MSI-X: the host must see its capability
ktap_result "MSI-X capability in the configuration space" pci_cap "$H" 17
pcitest -i 2 > /dev/null
vector_cases MSI-X -x

pcitest -i 1 > /dev/null
for op in r:read w:write c:copy; do
	for size in $SIZES; do
		pcitest_case "${op#*:} $size bytes" "-${op%%:*}" -s $size
	done
done

if [ -n "$(ls /sys/class/dma 2>/dev/null)" ]; then
	pcitest_case "copy 1024000 bytes with DMA" -d -c -s 1024000
else
	ktap_skip "copy with DMA" "the rig has no DMA engine"
fi

epf_test_down $C
sim_unload
ktap_finish
