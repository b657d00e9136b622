#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel in QEMU with the rig's guest, run the given tests
# and judge the run: KTAP from a port of its own, kernel splats and leaks
# from the console. The kernel's architecture picks the machine: x86_64
# on QEMU's default PC, arm64 on its virt machine (both under TCG).
#
# usage: run-qemu.sh KDIR OUTDIR MODULE.ko... -- TEST...
# env:   RIG_KVM=1 to use KVM on x86_64 (hangs at boot on some machines),
#        RIG_TIMEOUT seconds for the whole boot (default 900),
#        RIG_MEM guest memory in MiB (default 1536),
#        RIG_KMEMLEAK=off to boot without the leak detector and its final
#        scan, for a boot judged by its test cases alone
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

kdir=$1 outdir=$2
shift 2

arch=$(kernel_arch "$kdir")
mkdir -p "$outdir"
rm -f "$outdir/console.log" "$outdir/ktap.log"
cmdline="panic=-1 oops=panic hung_task_panic=0 kmemleak=${RIG_KMEMLEAK:-on} \
loglevel=7 watchdog_thresh=30"
mem=${RIG_MEM:-1536}
ob_size=0x4000000

case "$arch" in
x86_64)
	need_packages qemu-system-x86 python3 gcc libc6-dev
	# the outbound window: reserved below the top of the guest's memory
	ob_base=0x30000000
	"$here/mkinitramfs.sh" "$kdir" "$outdir/initramfs.cpio" \
		"$ob_base" "$ob_size" "$@"
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
	# edu: a register whose write raises an interrupt, the simulated
	# controller's doorbell (epc-sim-doorbell.c)
	# shellcheck disable=SC2206
	qemu=(qemu-system-x86_64 $accel -kernel "$kdir/arch/x86/boot/bzImage"
	      -device edu)
	# KTAP on the second serial port
	ktap=(-serial "file:$outdir/ktap.log")
	cmdline="console=ttyS0 memmap=$((ob_size >> 20))M\$$ob_base $clock $cmdline"
	;;
arm64)
	need_packages qemu-system-arm python3
	# the outbound window: the last 64 MiB of the guest's memory (which
	# starts at 1 GiB on the virt machine), kept from the kernel by mem=
	ob_base=$(printf '0x%x' $((0x40000000 + (mem << 20) - ob_size)))
	"$here/mkinitramfs.sh" "$kdir" "$outdir/initramfs.cpio" \
		"$ob_base" "$ob_size" "$@"
	# TCG; pointer authentication with QEMU's cheap algorithm
	qemu=(qemu-system-aarch64 -M "virt,gic-version=3" -accel tcg
	      -cpu "max,pauth-impdef=on" -kernel "$kdir/arch/arm64/boot/Image")
	# the machine has one UART: KTAP on a virtio console
	ktap=(-device virtio-serial-device
	      -chardev "file,id=ktap,path=$outdir/ktap.log"
	      -device "virtconsole,chardev=ktap")
	cmdline="console=ttyAMA0 mem=$((mem - (ob_size >> 20)))M $cmdline"
	;;
esac

timeout --foreground -k 10 "${RIG_TIMEOUT:-900}" \
	"${qemu[@]}" -smp 2 -m "$mem" \
	-initrd "$outdir/initramfs.cpio" -append "$cmdline" \
	-display none -monitor none -no-reboot \
	-serial "file:$outdir/console.log" "${ktap[@]}" \
	</dev/null || echo "rig: QEMU exited with $? (timeout or crash)" >&2

# the tests, as the guest's list has them (after the modules and --)
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	shift
done
[ $# -gt 0 ] && shift
python3 "$here/judge.py" --arch "$arch" "$outdir/console.log" "$outdir/ktap.log" \
	"${RIG_KMEMLEAK:-on}" "$@"
