# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the rig scripts: cache location and Debian packages.

VNTB_CACHE=${VNTB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vntb}

die() {
	echo "$0: $*" >&2
	exit 1
}

# need_packages PKG... - install the Debian packages that are missing;
# one apt-get at a time, as the two lanes of "make check" may both install
# and dpkg's lock refuses a second at once
need_packages() {
	local missing=() pkg log

	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "rig: installing from Debian, once: ${missing[*]}" >&2
	mkdir -p "$VNTB_CACHE"
	# apt's own lines only when it fails
	log=$(mktemp)
	if ! (
		flock 8 && apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends "${missing[@]}"
	) 8>"$VNTB_CACHE/apt-get.lock" >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		die "apt-get could not install ${missing[*]}"
	fi
	rm -f "$log"
}

# apt_state NAME LINE - an apt state of the rig's own in the cache (its
# own sources list, lists and archives: the machine's apt is left as it
# is), $VNTB_CACHE/apt/NAME, whose sources list is LINE; sets state, and
# apt_opts, the options that make apt-get use it
apt_state() {
	state=$VNTB_CACHE/apt/$1
	mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/cache"
	: > "$state/status"
	echo "$2" > "$state/sources.list"
	apt_opts=(-o "Dir::Etc::SourceList=$state/sources.list"
		  -o Dir::Etc::SourceParts=/nonexistent
		  -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache"
		  -o "Dir::Cache::Archives=$state/archives"
		  -o "Dir::State::status=$state/status"
		  -o APT::Sandbox::User=root)
}

# debian_unpack SUITE ARCH PKG - Debian's PKG for ARCH from SUITE,
# fetched once through the rig's apt state SUITE-ARCH and unpacked there;
# prints the unpacked tree's path, where .vntb-unpacked holds the
# package's version. A newer upload is not fetched: remove
# $VNTB_CACHE/apt/SUITE-ARCH to take it.
debian_unpack() {
	local suite=$1 arch=$2 pkg=$3 state apt_opts tree log deb

	tree=$VNTB_CACHE/apt/$suite-$arch/unpacked/$pkg
	[ -f "$tree/.vntb-unpacked" ] && { echo "$tree"; return 0; }
	apt_state "$suite-$arch" "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main"
	apt_opts+=(-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch")
	echo "rig: fetching $pkg for $arch from Debian $suite, once" >&2
	log=$(mktemp)
	rm -rf "$tree" && mkdir -p "$tree"
	if ! { apt-get -q "${apt_opts[@]}" update &&
	       (cd "$state/archives" && apt-get -q "${apt_opts[@]}" download "$pkg") &&
	       deb=$(find "$state/archives" -maxdepth 1 \( -name "${pkg}_*_$arch.deb" \
			-o -name "${pkg}_*_all.deb" \) | head -n 1) && [ -n "$deb" ] &&
	       dpkg-deb -x "$deb" "$tree"; } >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		die "cannot fetch $pkg for $arch from Debian $suite"
	fi
	rm -f "$log"
	dpkg-deb -f "$deb" Version > "$tree/.vntb-unpacked"
	echo "$tree"
}

# debian_source SUITE PKG - the Debian source package PKG of SUITE,
# fetched once through the rig's apt state SUITE-source and unpacked
# there with Debian's patches applied; prints the tree's path, where
# .vntb-unpacked holds the package's version
debian_source() {
	local suite=$1 pkg=$2 state apt_opts tree log dsc

	tree=$VNTB_CACHE/apt/$suite-source/unpacked/$pkg
	[ -f "$tree/.vntb-unpacked" ] && { echo "$tree"; return 0; }
	need_packages dpkg-dev
	apt_state "$suite-source" "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main"
	echo "rig: fetching the source of $pkg from Debian $suite, once" >&2
	log=$(mktemp)
	rm -rf "$tree" "$state/archives/${pkg}_"*
	mkdir -p "${tree%/*}"
	if ! { apt-get -q "${apt_opts[@]}" update &&
	       (cd "$state/archives" &&
		apt-get -q "${apt_opts[@]}" source --download-only "$pkg") &&
	       dsc=$(find "$state/archives" -maxdepth 1 -name "${pkg}_*.dsc" | head -n 1) &&
	       [ -n "$dsc" ] && dpkg-source -x "$dsc" "$tree"; } >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		die "cannot fetch the source of $pkg from Debian $suite"
	fi
	rm -f "$log"
	sed -n 's/^Version: //p' "$dsc" > "$tree/.vntb-unpacked"
	echo "$tree"
}

# rig_sparse - the sparse the rig checks with, built here once from
# Debian sid's source, by one script at a time; prints its path.
# bookworm's 0.6.4 lacks __typeof_unqual__, without which 7.2's Makefile
# turns C=2 off, and sid's own binary needs a newer C library. Built with
# this machine's gcc (Debian's patch names sid's), whose headers it reads.
# Called as $(...), where set -e does not hold.
rig_sparse() {
	local src dir

	src=$(debian_source sid sparse) || exit 1
	dir=$VNTB_CACHE/sparse-$(cat "$src/.vntb-unpacked")
	mkdir -p "$dir"
	(
		flock 9
		[ -x "$dir/sparse" ] || {
			echo "rig: building sparse $(cat "$src/.vntb-unpacked"), once" >&2
			make -s -C "$src" -j"$(nproc)" CC=gcc sparse > "$dir/build.log" 2>&1 &&
				cp "$src/sparse" "$dir/sparse"
		}
	) 9>"$dir.lock"
	[ -x "$dir/sparse" ] || die "cannot build sparse: $dir/build.log"
	echo "$dir/sparse"
}

# sparse_ran LOG - whether the C=2 build that wrote LOG had sparse check
# a file: a kernel turns C=2 off, with a notice only, when sparse is
# older than it needs (7.2: __typeof_unqual__)
sparse_ran() {
	grep -q "^  CHECK " "$1"
}

# cross_build ARCH - how this machine builds for ARCH (x86_64 or arm64):
# sets cross, the tools' prefix (empty for x86_64), and kbuild, the make
# arguments for Kbuild; installs the cross compiler once
cross_build() {
	case "$1" in
	x86_64)
		cross='' kbuild=(ARCH=x86_64)
		;;
	arm64)
		need_packages gcc-aarch64-linux-gnu
		cross=aarch64-linux-gnu-
		kbuild=(ARCH=arm64 CROSS_COMPILE="$cross")
		;;
	*)
		die "no build for $1: x86_64 or arm64"
		;;
	esac
}

# kernel_arch KDIR - the architecture a built kernel tree is for, as
# build-kernel.sh names it: x86_64 or arm64
kernel_arch() {
	if grep -qx CONFIG_ARM64=y "$1/.config"; then
		echo arm64
	else
		echo x86_64
	fi
}

# progress_start WHAT DIR - say, once a minute, how long WHAT has taken
# and how many objects it built in DIR; progress_stop ends it
progress_start() {
	local what=$1 dir=$2 began

	began=$(date +%s)
	(
		while sleep 60; do
			echo "rig: ... $what: $((($(date +%s) - began) / 60)) min," \
				"$(find "$dir" -name '*.o' | wc -l) objects built" >&2
		done
	) &
	progress_pid=$!
}

progress_stop() {
	kill "$progress_pid" 2>/dev/null || true
	wait "$progress_pid" 2>/dev/null || true
}

# kernel_source VERSION - Debian's linux-source-VERSION unpacked in the
# cache, once per package version, by one script at a time; prints the
# tree's path. 6.1 and 6.12 come from the machine's Debian (bookworm),
# 7.2 from sid through the rig's own apt state (debian_unpack). Called as
# $(...), where set -e does not hold.
kernel_source() {
	local version=$1 tarball pkgver src tree

	case "$version" in
	6.1 | 6.12)
		need_packages "linux-source-$version"
		tarball=/usr/src/linux-source-$version.tar.xz
		pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$version")
		;;
	7.2)
		tree=$(debian_unpack sid amd64 "linux-source-$version") || exit 1
		tarball=$tree/usr/src/linux-source-$version.tar.xz
		pkgver=$(cat "$tree/.vntb-unpacked")
		;;
	*)
		die "no kernel $version here: 6.1, 6.12 or 7.2"
		;;
	esac
	[ -f "$tarball" ] && [ -n "$pkgver" ] || die "$tarball missing"
	src=$VNTB_CACHE/src/linux-source-$version-$pkgver
	mkdir -p "$VNTB_CACHE/src"
	(
		flock 9
		[ -f "$src/.vntb-unpacked" ] || {
			echo "rig: unpacking linux-source-$version $pkgver, once" >&2
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
