#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job, shown: our pci-epf-vntb on a simulated controller, the
# host's view of it, a command and a doorbell each way, then a full
# reconfiguration cycle without a reboot.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

say() {
	echo "# vntb-demo: $*"
}

ktap_header
ktap_plan 3
sim_load 1 generic
C=pci-epc-sim.0
vntb_load
say "configfs commands (dry run of configfs-scripts/vntb-cfs.sh):"
sh $VNTB_CFS -n create v0 vendorid=0x1957 deviceid=0x0809 vntb_vid=0x104c \
	vntb_pid=0xb00d db_count=4 spad_count=16 num_mws=1 mw1=0x100000 |
	sed 's/^/# vntb-demo:   /'
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=0x100000
vntb_up v0 $C
say "host view of the header:"
sed 's/^/# vntb-demo:   /' $SIMDBG/$C/header
say "host view of the BARs:"
sed 's/^/# vntb-demo:   /' $SIMDBG/$C/bars
ktap_result "host enables the link" test "$(host_cmd $C 5 0)" = 1
modprobe ntb_tool
T=$(ls -d /sys/kernel/debug/ntb_tool/* | head -n 1)
say "endpoint NTB device: $(basename "$T"), link $(cat $T/link)"
hv_write32 $C 1 8 3
db_seen() { [ "$(cat $T/db)" = 0x1 ]; }
ktap_result "host rings doorbell 0, the endpoint sees it" wait_until 2000 db_seen
rmmod ntb_tool
vntb_down v0 $C
echo 2 > "$(vntb_attr v0 num_mws)"
echo 0x200000 > "$(vntb_attr v0 mw2)"
vntb_up v0 $C
say "after stop/unlink/num_mws=2/relink/start, the host sees:"
sed 's/^/# vntb-demo:   /' $SIMDBG/$C/bars
ktap_result "reconfigured without a reboot" test "$(hv_read32 $C 0 0x20)" = 2
vntb_down v0 $C
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
