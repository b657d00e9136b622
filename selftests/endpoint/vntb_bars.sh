#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# BAR assignment on controllers modelled on real ones. IDs the host's
# ntb_hw_epf has a map for put every region where that map looks, and a
# choice against the map is refused; other IDs honour ctrl_bar, db_bar
# and mwN_bar for every region. A choice the controller cannot take
# (reserved, already used, the upper half of a 64-bit BAR, a fixed size
# that differs) is refused at link with one log line naming the
# attribute, the BAR and why, leaving no BAR set.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

ktap_header
ktap_plan 25

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

W="$UNMAPPED_IDS db_count=4 spad_count=8"
M="db_count=4 spad_count=8"
IMX8="for 1957:0809 (i.MX8)"
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

ktap_result "imx8: a layout for another host driver on request" \
	placed $I "0:0x* 2:0x* 4:0x20000 5:0x10000 " \
	$W num_mws=2 mw1=0x10000 mw2=0x20000 mw1_bar=5 mw2_bar=4
ktap_result "imx8: a region on reserved BAR 3 refused" \
	refused $I "db_bar: BAR 3 refused: reserved by the controller" \
	$W num_mws=1 mw1=0x10000 db_bar=3

# IDs the host's ntb_hw_epf knows: its map, whatever the controller
ktap_result "generic: 1957:0809 takes ntb_hw_epf's i.MX8 map" \
	placed $G "0:0x* 2:0x* 4:0x10000 5:0x20000 " \
	$M num_mws=2 mw1=0x10000 mw2=0x20000
ktap_result "imx8: 1957:0809 takes ntb_hw_epf's i.MX8 map" \
	placed $I "0:0x* 2:0x* 4:0x10000 5:0x20000 " \
	$M num_mws=2 mw1=0x10000 mw2=0x20000
ktap_result "reserved: 1957:0809 with one window fits the i.MX8 map" \
	placed $R "0:0x* 2:0x* 4:0x10000 " $M num_mws=1 mw1=0x10000
ktap_result "reserved: 1957:0809's window 2 on reserved BAR 5 refused" \
	refused $R "mw2_bar: BAR 5 refused: reserved by the controller; ntb_hw_epf expects it there $IMX8" \
	$M num_mws=2 mw1=0x10000 mw2=0x10000
ktap_result "generic: 1957:0809 with a BAR against the map refused" \
	refused $G "mw1_bar: BAR 2 refused: ntb_hw_epf expects it on BAR 4 $IMX8" \
	$M num_mws=1 mw1=0x10000 mw1_bar=2
ktap_result "generic: 1957:0809 with a window the map lacks refused" \
	refused $G "num_mws: ntb_hw_epf maps 2 window(s) $IMX8, not 3" \
	$M num_mws=3 mw1=0x10000 mw2=0x10000 mw3=0x10000
ktap_result "generic: 1912:0030 takes ntb_hw_epf's R-Car map" \
	placed $G "0:0x* 2:0x10000 4:0x* " \
	$M num_mws=1 mw1=0x10000 vendorid=0x1912 deviceid=0x0030
ktap_result "generic: 104c:b00d refused, its map made for pci-epf-ntb" \
	refused $G "deviceid: ntb_hw_epf maps 104c:b00d (J721E) made for pci-epf-ntb,.*doorbell BAR; choose other IDs$" \
	$M num_mws=1 mw1=0x10000 vendorid=0x104c deviceid=0xb00d

# logged CTRL LINE ATTR=VALUE... - linking logs LINE, once
logged() {
	local c=$1 line=$2 mark="vntb_bars logged $n"

	shift 2
	n=$((n + 1))
	rig_mark "$mark"
	placed "$c" "*" "$@" &&
		[ "$(dmesg | sed -n "/$mark/,\$p" | grep -cF "$line")" = 1 ]
}
ktap_result "the link logs the BARs and the host driver's map" \
	logged $G "ctrl BAR 0, db BAR 2, mw1 BAR 4, as ntb_hw_epf maps 1957:0809 (i.MX8)" \
	$M num_mws=1 mw1=0x10000
ktap_result "the link logs the BARs a host driver without a map must expect" \
	logged $G "ctrl BAR 0, db BAR 1, mw1 BAR 2; ntb_hw_epf has no map for 1234:0001" \
	$W num_mws=1 mw1=0x10000
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
