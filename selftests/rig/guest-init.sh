#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the rig's guest: mount the pseudo filesystems, run each test
# listed in /tests/list with its KTAP on the second serial port, scan for
# leaks, and power off.

/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t configfs configfs /sys/kernel/config
mount -t tmpfs tmpfs /tmp

out=/dev/ttyS1
echo "vntb-rig: guest up" > /dev/kmsg

while read -r test; do
	[ -n "$test" ] || continue
	echo "vntb-rig: begin $test" > /dev/kmsg
	echo "# vntb-rig begin $test" > $out
	(cd /tests && sh "./$test") > $out 2>&1
	echo "# vntb-rig end $test rc=$?" > $out
	echo "vntb-rig: end $test" > /dev/kmsg
done < /tests/list

echo "vntb-rig: begin kmemleak" > /dev/kmsg
if [ -w /sys/kernel/debug/kmemleak ] && ! grep -q kmemleak=off /proc/cmdline; then
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > /dev/kmsg
fi
echo "vntb-rig: end kmemleak" > /dev/kmsg
echo "# vntb-rig done" > $out
echo "vntb-rig: done" > /dev/kmsg
sync
reboot -f
