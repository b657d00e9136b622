#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Style gate: checkpatch --strict on every C file of the project, and a
# W=1 + sparse (C=2) build of each module. Out-of-tree modules must test
# the kernel version, so LINUX_VERSION_CODE comparisons (only in the
# compat headers) are the one checkpatch finding accepted. The
# Documentation/ files must parse as reStructuredText without warnings.
#
# usage: lint.sh KDIR TOP
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

kdir=$1 top=$2
need_packages sparse perl python3-docutils
src=$(readlink -f "$kdir/source")

files=$(cd "$top" && git ls-files '*.c' '*.h')
(cd "$top" && perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse \
	--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f $files) |
	grep -v '^total:' && die "checkpatch findings above"

for dir in "$top" "$top/selftests/epc-sim" "$top/selftests/splat-probe" \
	   "$top/selftests/db-echo"; do
	log=$(mktemp)
	make -C "$kdir" M="$dir" W=1 C=2 modules >"$log" 2>&1 ||
		{ cat "$log" >&2; die "build of $dir failed"; }
	if grep -E "warning:|error:" "$log" >&2; then
		die "W=1/sparse findings in $dir"
	fi
	rm -f "$log"
done
for doc in $(cd "$top" && git ls-files 'Documentation/*.rst'); do
	python3 -c 'import sys, docutils.core
docutils.core.publish_doctree(open(sys.argv[1]).read(),
	settings_overrides={"report_level": 2, "halt_level": 2})' \
		"$top/$doc" > /dev/null || die "reStructuredText errors in $doc"
done
echo "lint: checkpatch --strict, W=1, sparse and reStructuredText clean"
