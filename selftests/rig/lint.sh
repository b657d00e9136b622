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
need_packages perl python3-docutils
src=$(readlink -f "$kdir/source")
sparse=$(rig_sparse) || exit 1

for tool in perl python3; do
	command -v $tool > /dev/null || die "$tool cannot run: not found"
done

# checkpatch FILE... - run checkpatch as the gate does, in TOP; its exit
# status is non-zero on findings and when it cannot run at all
checkpatch() {
	(cd "$top" && perl "$src/scripts/checkpatch.pl" --strict --no-tree \
		--terse --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f "$@")
}

# checkpatch prints nothing and exits 0 for a file it could not read, so
# it must first find the one planted error of a file of our own
canary=$(mktemp --suffix=.c)
printf '// SPDX-License-Identifier: GPL-2.0\nint vntb_lint_canary; \n' > "$canary"
out=$(checkpatch "$canary" 2>&1) && die "checkpatch cannot run: it passed $canary"
rm -f "$canary"
echo "$out" | grep -q "trailing whitespace" ||
	die "checkpatch cannot run: $out"

files=$(cd "$top" && git ls-files '*.c' '*.h')
[ -n "$files" ] || die "no C files to check in $top"
# shellcheck disable=SC2086
if ! out=$(checkpatch $files 2>&1) || [ -n "$out" ]; then
	echo "$out" | grep -v '^total:' >&2 || true
	die "checkpatch findings or failure above"
fi

for dir in "$top" "$top/selftests/epc-sim" "$top/selftests/helpers/splat-probe" \
	   "$top/selftests/helpers/db-echo" "$top/selftests/helpers/dma-client"; do
	log=$(mktemp)
	make -C "$kdir" M="$dir" W=1 C=2 CHECK="$sparse" modules >"$log" 2>&1 ||
		{ cat "$log" >&2; die "build of $dir failed"; }
	if grep -E "warning:|error:" "$log" >&2; then
		die "W=1/sparse findings in $dir"
	fi
	sparse_ran "$log" || { cat "$log" >&2; die "sparse did not run on $dir"; }
	rm -f "$log"
done
# calls between the driver's files go one way (Documentation/architecture.rst):
# an edge from each object to the objects defining the symbols it uses,
# and tsort, which fails on a loop
edges=$(for obj in "$top"/src/*.o; do
	for sym in $(nm -u "$obj" | awk '{print $2}'); do
		for def in "$top"/src/*.o; do
			[ "$def" != "$obj" ] &&
				nm --defined-only -g "$def" | grep -qw "$sym" &&
				echo "$(basename "$obj" .o) $(basename "$def" .o)"
		done
	done
done | sort -u)
[ -n "$edges" ] || die "no calls found between the files of src/"
echo "$edges" | tsort > /dev/null 2>&1 ||
	die "a call cycle between the files of src/: $(echo "$edges" | tsort 2>&1 >/dev/null | head -n 5)"

# the module's version is the DKMS package's: DKMS refuses to install a
# module whose version equals the in-tree one's (both empty without it)
[ "$(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' "$top"/src/*.c)" = \
  "$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")" ] ||
	die "MODULE_VERSION in src/ differs from dkms.conf's PACKAGE_VERSION"

# every test script is named in a document
for script in $(cd "$top" && git ls-files 'selftests/*/*.sh'); do
	case "$script" in selftests/rig/* | selftests/lib/*) continue ;; esac
	grep -qw "$(basename "$script")" "$top"/Documentation/*.rst ||
		die "$script is named in no document of Documentation/"
done

for doc in $(cd "$top" && git ls-files 'Documentation/*.rst'); do
	python3 -c 'import sys, docutils.core
docutils.core.publish_doctree(open(sys.argv[1]).read(),
	settings_overrides={"report_level": 2, "halt_level": 2})' \
		"$top/$doc" > /dev/null || die "reStructuredText errors in $doc"
done
echo "lint: checkpatch --strict, W=1, sparse, no call cycle in src/, every test in a document, reStructuredText clean"
