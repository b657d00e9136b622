#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# BAR assignment on controllers modelled on real ones: ctrl_bar, db_bar
# and mwN_bar honoured for every region, and a choice the controller
# cannot take (reserved, already used, the upper half of a 64-bit BAR,
# a fixed size that differs) refused at link with one log line naming
# the attribute, the BAR and why, leaving no BAR set.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 16

sim_load 4 generic,reserved,fixed256,imx8
G=pci-epc-sim.0 R=pci-epc-sim.1 F=pci-epc-sim.2 I=pci-epc-sim.3
vntb_load

# bars CTRL - "BAR:size" of every BAR set, in order
bars() {
	sed -n 's/^\([0-5]\) size=\(0x[0-9a-f]*\) .*/\1:\2/p' "$SIMDBG/$1/bars" |
		tr '\n' ' '
}

# refused CTRL MESSAGE ATTR=VALUE... - a function with these attributes
# fails to link, the log says MESSAGE once, and no BAR is left set
n=0
refused() {
	local c=$1 msg=$2 mark

	shift 2
	n=$((n + 1))
	mark="vntb_bars refusal $n"
	vntb_create r "$@"
	rig_mark "$mark"
	if sh $VNTB_CFS link r "$c" 2>/dev/null; then
		sh $VNTB_CFS unlink r "$c"
		vntb_destroy r
		return 1
	fi
	vntb_destroy r
	[ "$(dmesg | sed -n "/$mark/,\$p" | grep -c "pci_epf_vntb.*$msg")" = 1 ] &&
		sim_empty "$c" bars
}

# placed CTRL EXPECTED ATTR=VALUE... - a function with these attributes
# links and its BARs match the pattern EXPECTED (as printed by bars; the
# control and doorbell sizes, the endpoint core's rounding, are "*")
placed() {
	local c=$1 want=$2 got

	shift 2
	vntb_create p "$@"
	sh $VNTB_CFS link p "$c" || { vntb_destroy p; return 1; }
	got=$(bars "$c")
	sh $VNTB_CFS unlink p "$c"
	vntb_destroy p
	# shellcheck disable=SC2254
	case "$got" in
	$want) ;;
	*) ktap_info "BARs: $got, expected $want"; return 1 ;;
	esac
}

W="db_count=4 spad_count=8"
# shellcheck disable=SC2086
{
ktap_result "generic: every region on the BAR asked for, windows told apart" \
	placed $G "0:0x* 1:0x* 2:0x20000 3:0x40000 4:0x10000 5:0x8000 " \
	$W num_mws=4 mw1=0x10000 mw2=0x20000 mw3=0x40000 mw4=0x8000 \
	ctrl_bar=0 db_bar=1 mw1_bar=4 mw2_bar=2 mw3_bar=3 mw4_bar=5
ktap_result "generic: the regions left automatic take the lowest free BARs" \
	placed $G "0:0x10000 1:0x* 2:0x* " \
	$W num_mws=1 mw1=0x10000 mw1_bar=0
ktap_result "generic: two regions on one BAR refused" \
	refused $G "db_bar: BAR 0 refused: already used by another region" \
	$W num_mws=1 mw1=0x10000 ctrl_bar=0 db_bar=0
ktap_result "generic: a 64-bit window on the last BAR refused" \
	refused $G "mw1_bar: BAR 5 refused: 64-bit, and the last BAR has no next one" \
	$W num_mws=1 mw1=0x100000000 mw1_bar=5
ktap_result "generic: a region on the upper half of a 64-bit window refused" \
	refused $G "mw2_bar: BAR 3 refused: already used by another region" \
	$W num_mws=2 mw1=0x100000000 mw2=0x10000 mw1_bar=2 mw2_bar=3
ktap_result "generic: more regions than BARs refused" \
	refused $G "mw4_bar: no free BAR left on the controller" \
	$W num_mws=4 mw1=0x100000000 mw2=0x10000 mw3=0x10000 mw4=0x10000

ktap_result "reserved: automatic layout skips BARs 1, 3 and 5" \
	placed $R "0:0x* 2:0x* 4:0x10000 " $W num_mws=1 mw1=0x10000
ktap_result "reserved: a region on a reserved BAR refused" \
	refused $R "ctrl_bar: BAR 1 refused: reserved by the controller" \
	$W num_mws=1 mw1=0x10000 ctrl_bar=1
ktap_result "reserved: a window on a reserved BAR refused" \
	refused $R "mw1_bar: BAR 5 refused: reserved by the controller" \
	$W num_mws=1 mw1=0x10000 mw1_bar=5

ktap_result "fixed256: the doorbells fit the fixed 256-byte BAR 4" \
	placed $F "0:0x* 1:0x10000 4:0x100 " \
	$W num_mws=1 mw1=0x10000 db_bar=4
ktap_result "fixed256: a window of another size on BAR 4 refused" \
	refused $F "cannot link: mw1: BAR 4 refused: the BAR has a fixed size that differs" \
	$W num_mws=1 mw1=0x10000 mw1_bar=4

ktap_result "imx8: the automatic layout ntb_hw_epf's mx8 map expects" \
	placed $I "0:0x* 2:0x* 4:0x10000 5:0x20000 " \
	$W num_mws=2 mw1=0x10000 mw2=0x20000
ktap_result "imx8: the windows swapped on request" \
	placed $I "0:0x* 2:0x* 4:0x20000 5:0x10000 " \
	$W num_mws=2 mw1=0x10000 mw2=0x20000 mw1_bar=5 mw2_bar=4
ktap_result "imx8: a region on reserved BAR 3 refused" \
	refused $I "db_bar: BAR 3 refused: reserved by the controller" \
	$W num_mws=1 mw1=0x10000 db_bar=3
}

ktap_result "no controller contract violation" \
	test "$(cat $SIMDBG/pci-epc-sim.*/state | sed -n 's/^violations //p' | tr -d '0\n')" = ""
ktap_result "a normal function links and starts on each controller after" \
	sh -c ". ./lib/rig.sh; . ./lib/vntb.sh
		vntb_create ok $W num_mws=1 mw1=0x10000 &&
		for c in $G $R $F $I; do vntb_up ok \$c && vntb_down ok \$c || exit 1; done
		vntb_destroy ok"

vntb_unload
sim_unload
ktap_finish
