#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Unloading on a board: refused while a function exists (its attributes
# live in the module), accepted once it is gone, and the module loads
# again and serves a new function.

. ./board.sh

board_begin 4
C=$(board_epcs | head -n 1)
board_create u0
sh "$VNTB_CFS" link u0 "$C"
ktap_result "unload refused while a function is linked" \
	eval '! modprobe -r pci-epf-vntb 2>/dev/null'
sh "$VNTB_CFS" unlink u0 "$C"
ktap_result "unload refused while a function exists" \
	eval '! modprobe -r pci-epf-vntb 2>/dev/null'
sh "$VNTB_CFS" destroy u0
ktap_result "unload accepted once the function is gone" modprobe -r pci-epf-vntb
ktap_result "loaded again, a new function links and unlinks" \
	eval 'modprobe pci-epf-vntb && board_create u1 &&
		sh "$VNTB_CFS" link u1 "$C" && sh "$VNTB_CFS" unlink u1 "$C" &&
		sh "$VNTB_CFS" destroy u1'
ktap_finish
