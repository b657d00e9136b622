#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Our pci-epf-vntb as the host sees it: header, BARs, control region
# fields, every command answered, doorbells in both directions, and a
# hostile host getting COMMAND_STATUS_ERROR instead of an out-of-bounds
# access.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 17

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 db_count=4 spad_count=16 num_mws=2 mw1=0x100000 mw2=0x200000
vntb_up v0 $C

ktap_result "header: vendor and class seen by the host" \
	grep -q "vendorid 0x1957" $SIMDBG/$C/header
ktap_result "BARs: ctrl, db, mw1 1 MiB, mw2 2 MiB" \
	test "$(sim_bar_size $C $MW1_BAR)" = 0x100000 -a "$(sim_bar_size $C $MW2_BAR)" = 0x200000
ktap_result "ctrl: num_mws 2, spad_count 16, spad_offset 0x134" \
	test "$(hv_read32 $C 0 0x20)/$(hv_read32 $C 0 0x2c)/$(hv_read32 $C 0 0x28)" = 2/16/308
ktap_result "ctrl: db_entry_size 4, db_data[2] 3" \
	test "$(hv_read32 $C 0 0x30)/$(hv_read32 $C 0 $((0x34 + 8)))" = 4/3

ktap_result "LINK_UP answered OK" test "$(host_cmd $C 5 0)" = 1
ktap_result "link_status up" test "$(hv_read16 $C 0 0xa)" = 1
ktap_result "CONFIGURE_DOORBELL 16 MSI vectors answered OK" \
	test "$(host_cmd $C 1 16)" = 1

host_mw_args $C 0x40000000 0x100000
ktap_result "CONFIGURE_MW 0 answered OK" test "$(host_cmd $C 3 0)" = 1
ktap_result "CONFIGURE_MW 0 mapped the outbound window" \
	grep -q "pci=0x40000000 size=0x100000" $SIMDBG/$C/outbound
teardown_unmaps() {
	test "$(host_cmd $C 4 0)" = 1 && sim_empty $C outbound
}
ktap_result "TEARDOWN_MW 0 unmaps it" teardown_unmaps

ktap_result "hostile: unknown command 77 answered ERROR" \
	test "$(host_cmd $C 77 0)" = 2
ktap_result "hostile: CONFIGURE_MW index 2 (of 2) answered ERROR" \
	test "$(host_cmd $C 3 2)" = 2
hv_write32 $C 0 0x18 0x400000
ktap_result "hostile: CONFIGURE_MW larger than the window answered ERROR" \
	test "$(host_cmd $C 3 1)" = 2
ktap_result "hostile: TEARDOWN_MW index 0xffffffff answered ERROR" \
	test "$(host_cmd $C 4 0xffffffff)" = 2

modprobe ntb_tool
T=$(ls -d /sys/kernel/debug/ntb_tool/* | head -n 1)
hv_write32 $C $DB_BAR 8 3
db_seen() { [ "$(cat $T/db)" = 0x1 ]; }
ktap_result "doorbell host->ep: slot 2 rings bit 0 at the endpoint" \
	wait_until 2000 db_seen
before=$(sim_irq $C 3)
echo "s 0x1" > $T/peer_db
irq_raised() { [ "$(sim_irq $C 3)" -gt "$before" ]; }
ktap_result "doorbell ep->host: bit 0 raises MSI 3" wait_until 2000 irq_raised

rmmod ntb_tool
before=$(sim_irq $C 3)
modprobe ntb_pingpong delay_ms=1
ktap_result "ntb_pingpong rings the host from atomic context" \
	wait_until 3000 irq_raised
rmmod ntb_pingpong
vntb_down v0 $C
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
