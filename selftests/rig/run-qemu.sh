#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel in QEMU with the rig's guest, run the given tests
# and judge the run: KTAP from the second serial port, kernel splats and
# leaks from the console on the first.
#
# usage: run-qemu.sh KDIR OUTDIR MODULE.ko... -- TEST...
# env:   RIG_KVM=1 to use KVM (hangs at boot on some machines),
#        RIG_TIMEOUT seconds for the whole boot (default 900),
#        RIG_MEM guest memory in MiB (default 1536),
#        RIG_KMEMLEAK=off to boot without the leak detector and its final
#        scan, for a boot judged by its test cases alone
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

kdir=$1 outdir=$2
shift 2

need_packages qemu-system-x86 python3 gcc libc6-dev

ob_base=0x30000000
ob_size=0x4000000
mkdir -p "$outdir"
"$here/mkinitramfs.sh" "$kdir" "$outdir/initramfs.cpio" "$ob_base" "$ob_size" "$@"

# Under TCG the guest reads the host's TSC but cannot calibrate it (no
# HPET or ACPI PM timer, and an emulated PIT too slow to time): without
# its rate it falls back to a 4 ms jiffies clock, and timers, NO_HZ and
# every figure the tests measure lose their resolution.
accel="-accel tcg -cpu max"
gcc -O2 -Wall -o "$outdir/tsc-khz" "$here/tsc-khz.c"
clock="tsc_early_khz=$("$outdir/tsc-khz") tsc=reliable"
if [ "${RIG_KVM:-0}" = 1 ]; then
	accel="-accel kvm -cpu host"
	clock=
fi

rm -f "$outdir/console.log" "$outdir/ktap.log"
# shellcheck disable=SC2086
timeout --foreground -k 10 "${RIG_TIMEOUT:-900}" \
	qemu-system-x86_64 $accel -smp 2 -m "${RIG_MEM:-1536}" \
	-kernel "$kdir/arch/x86/boot/bzImage" \
	-initrd "$outdir/initramfs.cpio" \
	-append "console=ttyS0 memmap=$((ob_size >> 20))M\$$ob_base panic=-1 oops=panic \
hung_task_panic=0 $clock kmemleak=${RIG_KMEMLEAK:-on} loglevel=7 watchdog_thresh=30" \
	-display none -monitor none -no-reboot \
	-serial "file:$outdir/console.log" -serial "file:$outdir/ktap.log" \
	</dev/null || echo "rig: QEMU exited with $? (timeout or crash)" >&2

# the tests, as the guest's list has them (after the modules and --)
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	shift
done
[ $# -gt 0 ] && shift
python3 "$here/judge.py" "$outdir/console.log" "$outdir/ktap.log" \
	"${RIG_KMEMLEAK:-on}" "$@"
