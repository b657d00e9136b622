#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel's own NTB selftest, tools/testing/selftests/ntb/ntb_test.sh
# packed unchanged from the unpacked kernel source (but for the one
# adaptation below, where the kernel's ntb_tool needs it), run against
# the pair:
# the host's ntb_hw_epf device is its local end, our endpoint device its
# remote one. Every part it prints becomes a KTAP case; the parts the
# pair cannot run, as Documentation/test-rig.rst lists them, are skips
# with the reason, and any other part it calls "Unsupported" fails.
#
# The host derives its doorbell count from the 16 MSI vectors (14 usable
# doorbells): the function runs with db_count=16 to offer the same. The
# windows are tested whole (-m): the host's buffer for a window is then
# exactly that window's outbound chunk.

. ./lib/ktap.sh
. ./lib/rig.sh
. ./lib/vntb.sh
. ./lib/host.sh

# port 1, link 2, db 2, spad 2, msg 2, mw 4, pingpong 1, msi 1, perf 2
NTB_TEST_PARTS=17

ktap_header
ktap_plan $((NTB_TEST_PARTS + 3))

C=pci-epc-sim.0
host_setup $C v0 db_count=16 spad_count=16 num_mws=2 mw1=0x100000 mw2=0x100000
HDEV=$(host_dev $C)
EDEV=0000:ff:00.0

# The modprobe ntb_test.sh finds first. Busybox's "modprobe -r" fails
# when a module the named one uses stays in use (ntb, by ntb_hw_epf);
# kmod's removes the named module alone, so this one does. And ntb_test.sh
# writes ntb_perf's "run" right after modprobe returns, before the two ends
# have exchanged their buffers (-ENOLINK): across two machines its ssh to
# the remote leaves time for that; in one kernel, modprobe returns once
# both ends are ready.
mkdir -p /tmp/ntb_test_bin
cat > /tmp/ntb_test_bin/modprobe <<'EOF'
#!/bin/sh
if [ "$1" = -r ]; then
	shift
	exec rmmod "$@"
fi
/bin/modprobe "$@" || exit
[ "$1" = ntb_perf ] || exit 0
. /tests/lib/rig.sh
perf_ready() {
	local info

	for info in /sys/kernel/debug/ntb_perf/*/info; do
		grep -q "Link status: up" "$info" || return 1
		grep -q "Out buffer xlat 0x0*\[p\]" "$info" && return 1
	done
	return 0
}
wait_until 20000 perf_ready
EOF
chmod +x /tmp/ntb_test_bin/modprobe

# why_unsupported PART - the reason a part the pair cannot run is
# skipped; fails for a part that is not documented as unsupported
why_unsupported() {
	case "$1" in
	"link tests on: $EDEV / $HDEV")
		echo "the host owns the link: the endpoint's ntb_link_disable() returns -EOPNOTSUPP" ;;
	"msg tests on: $HDEV / $EDEV"|"msg tests on: $EDEV / $HDEV")
		echo "no message registers in the protocol: scratchpads only" ;;
	*)
		return 1 ;;
	esac
}

# ntb_test.sh passes peer_mw_trans the DMA address ntb_tool showed, in
# hex. 7.2's ntb_tool parses that file as decimal ("%llu:%zu"; before,
# "%lli:%zi"), so there its own selftest fails every window test. Where
# ntb_tool refuses a hex address, the script runs with that address
# converted to decimal, the one line changed.
script=/ksrc/ntb_test.sh
modprobe ntb_tool
if ! echo 0x0:0 > "$TOOLDBG/$HDEV/peer0/peer_mw_trans0" 2>/dev/null; then
	script=/tmp/ntb_test.sh
	sed 's/^\([[:space:]]*MW_DMA_ADDR=\)\(\$(echo "\$INB_MW" | get_number "DMA Address")\)$/\1$((\2))/' \
		/ksrc/ntb_test.sh > $script
	ktap_info "ntb_tool refuses a hex window address: ntb_test.sh passes it in decimal"
	cmp -s /ksrc/ntb_test.sh $script &&
		ktap_info "ntb_test.sh: no MW_DMA_ADDR line to convert"
fi
rmmod ntb_tool

PATH=/tmp/ntb_test_bin:/usr/gnu/bin:$PATH timeout 600 \
	bash $script -p 24 -m 1048576 "$HDEV" "$EDEV" \
	> /tmp/ntb_test.out 2>&1
rc=$?

part=
while IFS= read -r line; do
	ktap_info "ntb_test.sh: $line"
	case "$line" in
	"Running "*)
		[ -n "$part" ] && ktap_fail "ntb_test.sh: $part"
		part=${line#Running } ;;
	"  Passed")
		ktap_ok "ntb_test.sh: $part"
		part= ;;
	"  Unsupported")
		if why=$(why_unsupported "$part"); then
			ktap_skip "ntb_test.sh: $part" "$why"
		else
			ktap_fail "ntb_test.sh: $part (Unsupported, and not documented so)"
		fi
		part= ;;
	"  Not doing MSI tests"*)
		ktap_skip "ntb_test.sh: MSI interrupt tests" \
			"ntb_msi_test is not built: the test kernel has no CONFIG_NTB_MSI" ;;
	esac
done < /tmp/ntb_test.out
[ -n "$part" ] && ktap_fail "ntb_test.sh: $part"
while [ "$KTAP_N" -lt $NTB_TEST_PARTS ]; do
	ktap_fail "ntb_test.sh: part $((KTAP_N + 1)) did not run"
done
ktap_result "ntb_test.sh: exited 0 (rc=$rc)" test "$rc" = 0
ktap_result "host: ntb_hw_epf still bound" test "$(host_driver $C)" = ntb_hw_epf

# a script stopped midway leaves ntb_tool loaded (its exit trap is never
# set): release its windows before it goes
if [ -d "$TOOLDBG" ]; then
	tool_release_windows 2 "$TOOLDBG/$HDEV" "$TOOLDBG/$EDEV"
	rmmod ntb_tool
fi

host_teardown $C v0
ktap_finish
