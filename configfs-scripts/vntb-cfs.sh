#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Set up a vNTB endpoint function through configfs. POSIX sh, busybox
# compatible; usable as it is on an endpoint SoC.
#
# usage: vntb-cfs.sh [-n] COMMAND [ARGS]
#   create  FUNC [ATTR=VALUE...]   make functions/pci_epf_vntb/FUNC and set
#                                  header (vendorid=..., deviceid=...) and
#                                  vNTB attributes (num_mws=..., mw1=...)
#   link    FUNC CONTROLLER        link the function to a controller
#   start   CONTROLLER             start the controller
#   stop    CONTROLLER             stop the controller
#   unlink  FUNC CONTROLLER        unlink the function
#   destroy FUNC                   remove the function
#   -n                             print the commands instead of running them
#
# Environment: CONFIGFS (default /sys/kernel/config), DRIVER (default
# pci_epf_vntb).

set -e

CONFIGFS=${CONFIGFS:-/sys/kernel/config}
DRIVER=${DRIVER:-pci_epf_vntb}
EP=$CONFIGFS/pci_ep
DRY=

run() {
	if [ -n "$DRY" ]; then
		echo "$*"
	else
		"$@"
	fi
}

# put VALUE FILE - write VALUE into FILE
put() {
	if [ -n "$DRY" ]; then
		echo "echo $1 > $2"
	else
		echo "$1" > "$2"
	fi
}

usage() {
	sed -n 's/^# \{0,1\}//;4,18p' "$0" >&2
	exit 2
}

[ "$1" = -n ] && { DRY=1; shift; }
[ $# -ge 1 ] || usage
cmd=$1
shift

case "$cmd" in
create)
	[ $# -ge 1 ] || usage
	func=$EP/functions/$DRIVER/$1
	shift
	run mkdir "$func"
	for kv in "$@"; do
		attr=${kv%%=*}
		val=${kv#*=}
		case "$attr" in
		vendorid|deviceid|revid|progif_code|subclass_code|baseclass_code|\
		cache_line_size|subsys_vendor_id|subsys_id|interrupt_pin)
			put "$val" "$func/$attr"
			;;
		*)
			sub=$(ls -d "$func/$DRIVER".* 2>/dev/null || echo "$func/$DRIVER.N")
			put "$val" "$sub/$attr"
			;;
		esac
	done
	;;
link)
	[ $# -eq 2 ] || usage
	run ln -s "$EP/functions/$DRIVER/$1" "$EP/controllers/$2/"
	;;
start)
	[ $# -eq 1 ] || usage
	put 1 "$EP/controllers/$1/start"
	;;
stop)
	[ $# -eq 1 ] || usage
	put 0 "$EP/controllers/$1/start"
	;;
unlink)
	[ $# -eq 2 ] || usage
	run rm "$EP/controllers/$2/$1"
	;;
destroy)
	[ $# -eq 1 ] || usage
	run rmdir "$EP/functions/$DRIVER/$1"
	;;
*)
	usage
	;;
esac
