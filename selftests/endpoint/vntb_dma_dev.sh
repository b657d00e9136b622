#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Clients map DMA against the device that reaches their buffers: where the
# kernel's NTB API has get_dma_dev (7.2; Debian's 6.1 and 6.12 carry it),
# ntb_get_dma_dev() names the controller's device, whose IOMMU and DMA
# mask stand between the host and a window, not the virtual PCI device.
# vntb-dma-client backs window 1 with a buffer allocated as ntb_transport
# allocates, and the host's writes through the window must land in it.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

MW1=0x10000
D=/sys/kernel/debug/vntb-dma-client

ktap_header
ktap_plan 5

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0 db_count=4 spad_count=16 num_mws=1 mw1=$MW1
vntb_up v0 $C
host_cmd $C 5 0 > /dev/null

# buf_word OFFSET - the u32 at OFFSET of the client's buffer
buf_word() {
	dd if="$CD/buffer" bs=4 skip=$(($1 / 4)) count=1 2>/dev/null | od -An -tu4 | tr -d ' '
}

ktap_result "the client loads and backs window 1" \
	insmod "$MODDIR/extra/vntb-dma-client.ko"
CD=$(ls -d $D/* 2>/dev/null | head -n 1)
ktap_result "with a buffer of the whole window" \
	test "$(wc -c < "$CD/buffer")" = $((MW1))

if [ -e "$CD/dma_dev" ]; then
	parent=$(readlink -f /sys/class/pci_epc/$C/device)
	ctrl="$(basename "$(readlink -f "$parent/subsystem")") $(basename "$parent")"
	ktap_info "ntb_get_dma_dev(): $(cat "$CD/dma_dev"), the controller's: $ctrl"
	ktap_result "ntb_get_dma_dev() names the controller's device" \
		test "$(cat "$CD/dma_dev")" = "$ctrl"
else
	ktap_skip "ntb_get_dma_dev() names the controller's device" \
		"this kernel's NTB API has no get_dma_dev"
fi

hv_write32 $C $MW1_BAR 0 0x5a5a5a5a
hv_write32 $C $MW1_BAR $((MW1 - 4)) 0xa5a5a5a5
ktap_result "the host's writes through window 1 land in the buffer" \
	test "$(buf_word 0)/$(buf_word $((MW1 - 4)))" = $((0x5a5a5a5a))/$((0xa5a5a5a5))

rmmod vntb-dma-client
ktap_result "unloaded, the client's buffer is out of the window" \
	test "$(hv_read32 $C $MW1_BAR 0)" = 0

vntb_down v0 $C
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
