#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Traffic between the two ends in one kernel: ntb_pingpong rings the
# doorbells back and forth from its hrtimer (atomic context), and
# ntb_perf copies through the memory windows in both directions.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 6

C=pci-epc-sim.0
host_setup $C v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
HDEV=$(host_dev $C)
EDEV=0000:ff:00.0

modprobe ntb_pingpong delay_ms=50
PP=/sys/kernel/debug/ntb_pingpong
pp_counts() {
	[ "$(cat $PP/$HDEV/count)" -ge 5 ] && [ "$(cat $PP/$EDEV/count)" -ge 5 ]
}
ktap_result "pingpong: both ends answered 5 doorbells from atomic context" \
	wait_until 10000 pp_counts
ktap_info "pingpong counts: host $(cat $PP/$HDEV/count) endpoint $(cat $PP/$EDEV/count)"
rmmod ntb_pingpong

# 64 MiB per run: ntb_perf divides by the run's duration in microseconds,
# and on the guest's jiffies clock a 4 MiB run can measure 0 (an oops)
modprobe ntb_perf total_order=26 chunk_order=19
PERF=/sys/kernel/debug/ntb_perf
perf_run() {
	echo 0 > $PERF/$1/run 2>/dev/null && grep -q "MBytes/s" $PERF/$1/run
}
ktap_result "perf: host to endpoint through the endpoint's window BAR" \
	wait_until 20000 perf_run $HDEV
ktap_info "perf host->ep: $(grep MBytes $PERF/$HDEV/run | head -n 1)"
ktap_result "perf: endpoint to host through the outbound window" \
	wait_until 20000 perf_run $EDEV
ktap_info "perf ep->host: $(grep MBytes $PERF/$EDEV/run | head -n 1)"
rmmod ntb_perf
ktap_result "host: pingpong and perf left the host driver bound" \
	test "$(host_driver $C)" = ntb_hw_epf
ktap_result "host: every MSI delivered, none refused" \
	test "$(host_state $C 'delivered msi3')" -ge 5

host_teardown $C v0
ktap_finish
