#!/bin/sh
# Prepares a kernel source tree from Debian's source package, in a cache
# outside the checkout, and prints its path on the last line of stdout:
#   kernel-patch/prepare-tree.sh 6.1|6.12            with the series applied
#   kernel-patch/prepare-tree.sh 6.1|6.12 pristine   without it
# The tree is kept between runs for the same package version.  A series
# that changed since the last run is taken back out and the new one
# applied; one that did not is left as it is, so builds stay incremental.
# Exits 1, naming the patch, when a patch does not apply.
set -eu

version=${1:?usage: prepare-tree.sh 6.1|6.12 [pristine]}
flavour=${2:-patched}
here=$(cd "$(dirname "$0")" && pwd)
series=${EXITSTAT_SERIES_DIR:-$here/$version}
pkg=linux-source-$version
cache=${EXITSTAT_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exitstat/kernel}

say() { echo "prepare-tree $version: $*" >&2; }
die() { echo "prepare-tree $version: $*" >&2; exit 1; }

[ -d "$series" ] || die "no series in $series"
if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
	say "installing $pkg"
	"$here/../scripts/install-deps.sh" kernel >&2
fi
pkgver=$(dpkg-query -W -f='${Version}' "$pkg")
base=$cache/$pkg-$pkgver
[ "$flavour" = pristine ] && base=$base-pristine
src=$base/src
applied=$base/applied

unpack() {
	say "unpacking $pkg $pkgver into $base"
	rm -rf "$base"
	mkdir -p "$base"
	tar -xf "/usr/src/$pkg.tar.xz" -C "$base"
	mv "$base/$pkg" "$src"
	touch "$base/unpacked"
}

[ -f "$base/unpacked" ] || unpack
if [ "$flavour" = pristine ]; then
	echo "$src"
	exit 0
fi

same_series() {
	[ -d "$applied" ] || return 1
	[ "$(cd "$applied" && ls)" = "$(cd "$series" && ls -- *.patch)" ] || return 1
	for p in "$series"/*.patch; do
		cmp -s "$p" "$applied/$(basename "$p")" || return 1
	done
}

if same_series; then
	say "the series is applied already"
	echo "$src"
	exit 0
fi

# Take back what the last run applied; a tree that will not go back is
# unpacked afresh.
if [ -d "$applied" ]; then
	for p in $(printf '%s\n' "$applied"/*.patch | sort -r); do
		[ -e "$p" ] || continue
		if ! (cd "$src" && git apply -R "$p"); then
			say "the cached tree does not take back $(basename "$p"): unpacking again"
			unpack
			break
		fi
	done
	rm -rf "$applied"
fi

mkdir -p "$applied"
for p in "$series"/*.patch; do
	[ -e "$p" ] || die "the series in $series is empty"
	(cd "$src" && git apply --check "$p") ||
		die "$(basename "$p") does not apply to $pkg $pkgver"
	(cd "$src" && git apply "$p")
	cp "$p" "$applied/"
done
echo "$src"
