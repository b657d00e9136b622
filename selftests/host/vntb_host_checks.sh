#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The sim's host-mode checks fire: a host that sets up memory window 1
# before window 0, with a buffer smaller than the window, is lent window
# 0's outbound chunk, and the function's mapping of window 1 onto it
# (neither the chunk's own address nor a host streaming buffer) is a
# contract violation that the function answers
# ERROR; window 0, set up next, gets window 1's chunk and fails alike.
# An endpoint client that frees its window buffer twice (two of
# ntb_transport's link cleanups racing, on 6.12) is named once, and the
# window BAR keeps its memory: the host still reaches it, and the unlink
# that clears the BAR unmaps it once.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

ktap_header
ktap_plan 7

C=pci-epc-sim.0
modprobe ntb_tool
host_setup $C v0 db_count=4 spad_count=16 num_mws=2 mw1=0x100000 mw2=0x200000
H=$TOOLDBG/$(host_dev $C)
echo Y > $H/link
link_up() { tool_is $H peer0/link Y; }
wait_until 3000 link_up

echo 0x100000 > $H/peer0/mw_trans1
ktap_result "host: window 1's buffer is window 0's chunk, a violation" \
	test "$(sim_state $C violations)" = 1
ktap_result "host: the sim names it: not a host buffer" \
	sh -c "dmesg | grep -q 'contract violation: map_addr .*not a host buffer'"
ktap_result "host: the function refused the mapping" sim_empty $C outbound

echo 0x100000 > $H/peer0/mw_trans0
ktap_result "host: window 0, set up next, is lent window 1's chunk: refused too" \
	test "$(sim_state $C violations)" = 2

echo 0 > $H/peer0/mw_trans0
echo 0 > $H/peer0/mw_trans1
ktap_result "host: every buffer given back" \
	test -z "$(grep '^lent ' $SIMDBG/$C/host)"
host_remove $C
rmmod ntb_tool
# the link up, as a host's driver would have it, for the client's probe
host_cmd $C 5 0 > /dev/null
insmod "$MODDIR/extra/vntb-dma-client.ko" free_twice=1
rmmod vntb-dma-client
ktap_result "endpoint: a window buffer freed twice, named once" \
	test "$(dmesg | grep -c "window buffer .* freed twice")" = 1
hv_write32 $C $MW1_BAR 0 0x3c3c3c3c
ktap_result "endpoint: a window buffer freed twice: the host still reaches it" \
	test "$(hv_read32 $C $MW1_BAR 0)" = $((0x3c3c3c3c))
vntb_down v0 $C
vntb_destroy v0
rmmod ntb_hw_epf
vntb_unload
sim_unload
ktap_finish
