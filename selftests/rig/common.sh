# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the rig scripts: cache location and Debian packages.

VNTB_CACHE=${VNTB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vntb}

die() {
	echo "$0: $*" >&2
	exit 1
}

# need_packages PKG... - install the Debian packages that are missing
need_packages() {
	local missing=() pkg

	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "rig: installing ${missing[*]}" >&2
	apt-get update -qq >&2 || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

# kernel_source VERSION - Debian's linux-source-VERSION unpacked in the
# cache, once per package version, by one script at a time; prints the
# tree's path. Called as $(...), where set -e does not hold.
kernel_source() {
	local version=$1 tarball pkgver src

	tarball=/usr/src/linux-source-$version.tar.xz
	[ -f "$tarball" ] || die "$tarball missing"
	pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$version")
	src=$VNTB_CACHE/src/linux-source-$version-$pkgver
	mkdir -p "$VNTB_CACHE/src"
	(
		flock 9
		[ -f "$src/.vntb-unpacked" ] || {
			rm -rf "$src" && mkdir -p "$src" &&
				tar -xf "$tarball" -C "$src" --strip-components=1 &&
				touch "$src/.vntb-unpacked"
		}
	) 9>"$src.lock"
	[ -f "$src/.vntb-unpacked" ] || die "cannot unpack $tarball"
	echo "$src"
}

# check_fragment DOTCONFIG FRAGMENT... [-- OPTION...] - every option the
# FRAGMENTs set or unset must have survived Kconfig in DOTCONFIG as the
# last fragment naming it asks, except the OPTIONs (CONFIG_FOO) this
# kernel cannot have
check_fragment() {
	local config=$1 fragments=() skip line opt i bad=0

	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		fragments+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	skip=" $* "
	for ((i = ${#fragments[@]} - 1; i >= 0; i--)); do
		while IFS= read -r line; do
			case "$line" in
			CONFIG_*=*) opt=${line%%=*} ;;
			"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *} ;;
			*) continue ;;
			esac
			case "$skip" in *" $opt "*) continue ;; esac
			skip="$skip$opt "
			case "$line" in
			CONFIG_*)
				grep -qx "$line" "$config" ||
					{ echo "kernel config: $line not set" >&2; bad=1; } ;;
			*)
				! grep -q "^$opt=" "$config" ||
					{ echo "kernel config: $opt still set" >&2; bad=1; } ;;
			esac
		done < "${fragments[i]}"
	done
	[ $bad -eq 0 ] || die "config fragments ${fragments[*]} not honoured"
}
