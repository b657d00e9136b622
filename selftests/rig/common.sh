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
