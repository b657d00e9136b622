#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the rig's guest: mount the pseudo filesystems, run each test
# listed in /tests/list with its KTAP on its own port (RIG_KTAP), scan for
# leaks and report them there too, and power off.

/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t configfs configfs /sys/kernel/config
mount -t tmpfs tmpfs /tmp
# what udev makes on a real system; the kselftest runner writes to
# /dev/stdout
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr

# the port the KTAP stream goes out on
. /etc/rig.conf
out=$RIG_KTAP
echo "vntb-rig: guest up" > /dev/kmsg

# a list entry is a script, or SCRIPT:ARG for a script taking one argument
while read -r test; do
	[ -n "$test" ] || continue
	script=${test%%:*}
	arg=
	[ "$script" = "$test" ] || arg=${test#*:}
	echo "vntb-rig: begin $test" > /dev/kmsg
	echo "# vntb-rig begin $test" > $out
	(cd /tests && sh "./$script" $arg) > $out 2>&1
	echo "# vntb-rig end $test rc=$?" > $out
	echo "vntb-rig: end $test" > /dev/kmsg
done < /tests/list

# The leak scan, its report on the KTAP port where the judge reads it
# whole (a /dev/kmsg write is limited to 1024 bytes). kmemleak reports no
# object younger than five seconds, so the scan waits that long after the
# last test: nothing else tells when an object becomes reportable.
echo "vntb-rig: begin kmemleak" > /dev/kmsg
if grep -q kmemleak=off /proc/cmdline; then
	echo "# vntb-rig kmemleak off" > $out
elif sleep 5 && echo scan > /sys/kernel/debug/kmemleak &&
	echo scan > /sys/kernel/debug/kmemleak; then
	echo "# vntb-rig kmemleak scanned" > $out
	cat /sys/kernel/debug/kmemleak > $out
else
	echo "# vntb-rig kmemleak failed" > $out
fi
echo "vntb-rig: end kmemleak" > /dev/kmsg
echo "# vntb-rig done" > $out
echo "vntb-rig: done" > /dev/kmsg
sync
reboot -f
