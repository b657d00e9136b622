#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every attribute is range-checked, refused writes change nothing and
# log one line naming the attribute, and writes are refused with EBUSY
# while the function is linked; a window above num_mws is refused with
# ERANGE. Each refusal is checked by its errno, as the shell's write
# error names it, and by its one dmesg line.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh

# attribute, value, expected outcome (ok|err)
table="
db_count 2 err
db_count 33 err
db_count 3 ok
db_count 32 ok
spad_count 1025 err
spad_count 64 ok
num_mws 0 err
num_mws 5 err
num_mws 2 ok
mw1 0x1000 ok
mw2 0x1800 err
mw2 4095 err
mw3 0x1000 err
mw1 banana err
vbus_number 256 err
vbus_number 0x80 ok
vntb_vid 0x10000 err
vntb_pid 0xb00d ok
ctrl_bar 6 err
ctrl_bar -2 err
db_bar -1 ok
mw4_bar 5 ok
poll_min_us 0 err
poll_min_us 1000001 err
poll_min_us 20000 err
poll_max_us 5000 ok
poll_min_us 5000 ok
poll_max_us 4999 err
poll_min_us 1 ok
poll_max_us 1000000 ok
"

ktap_header
ktap_plan $(($(echo "$table" | grep -c .) + 5))

sim_load 1 generic
C=pci-epc-sim.0
vntb_load
vntb_create v0

while read -r attr val want; do
	[ -n "$attr" ] || continue
	f=$(vntb_attr v0 "$attr")
	before=$(cat "$f")
	dmesg -c > /dev/null
	if echo "$val" > "$f" 2>/dev/null; then got=ok; else got=err; fi
	after=$(cat "$f")
	if [ $got != "$want" ]; then
		ktap_fail "$attr=$val: expected $want, got $got"
	elif [ $got = err ] && [ "$after" != "$before" ]; then
		ktap_fail "$attr=$val: refused but changed to $after"
	elif [ $got = err ] && ! dmesg | grep -q "$attr: refusing"; then
		ktap_fail "$attr=$val: refused without a log line naming it"
	else
		ktap_ok "$attr=$val is $want"
	fi
done <<EOF_TABLE
$table
EOF_TABLE

echo 4 > "$(vntb_attr v0 db_count)"
echo 1 > "$(vntb_attr v0 num_mws)"
ktap_result "a window above num_mws is refused with ERANGE, as upstream" \
	vntb_refused "echo 0x1000 > $(vntb_attr v0 mw2)" \
	"Numerical result out of range" \
	"mw2: refusing '0x1000': window index above num_mws"
echo 0xff > "$(vntb_attr v0 vbus_number)"
echo 0x104c > "$(vntb_attr v0 vntb_vid)"
echo -1 > "$(vntb_attr v0 mw4_bar)"
vntb_up v0 $C
ktap_result "writes while linked are refused with EBUSY" \
	vntb_refused "echo 8 > $(vntb_attr v0 db_count)" \
	"Device or resource busy" \
	"db_count: refusing '8': function is linked to a controller"
ktap_result "the refused write left db_count as it was" \
	test "$(cat "$(vntb_attr v0 db_count)")" = 4
vntb_down v0 $C
ktap_result "writes work again after unlink" \
	sh -c "echo 8 > $(vntb_attr v0 db_count)"
echo 0 > "$(vntb_attr v0 vntb_vid)"
ktap_result "link refused with EINVAL while vntb_vid names no device" \
	vntb_refused "sh $VNTB_CFS link v0 $C" "Invalid argument" \
	"cannot link: vntb_vid: must name a device"
vntb_destroy v0
vntb_unload
sim_unload
ktap_finish
