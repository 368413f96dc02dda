#!/bin/sh
# Debian's stock kernel of the same upload as the installed linux-source-X.Y,
# unpacked without installing it, and the patched KVM modules built for it
# by the project's installer, checked to match it:
#   tests/e2e/stock-kernel.sh [6.1] [--fetch-only]
# Downloads linux-image-ABI, linux-headers-ABI and the common headers and
# linux-kbuild it depends on (its scripts/ and tools/ link there) into
# ${XDG_CACHE_HOME:-~/.cache}/exitstat/stock/ABI/, unpacks them into
# root/ there, and runs kernel-patch/install-modules.sh
# --build-only against that root.  Then every module's vermagic must be the
# stock one, and every symbol CRC the modules import must be the stock
# kernel's (or our kvm.ko's, for what kvm-intel.ko and kvm-amd.ko import
# from it).  Everything is cached: a second run with the same upload and
# series only checks.  --fetch-only stops before the build (no modules=).
# stdout, for callers (nothing else goes there):
#   release=ABI  upload=VERSION  root=DIR  vmlinuz=FILE  modules=DIR
# Progress goes to stderr; a failure is one line there and status 1.
set -eu
# kmod's modinfo and modprobe are in /sbin, which Debian leaves out of a
# normal user's PATH.
PATH=$PATH:/usr/sbin:/sbin
export PATH

series=6.1
fetch_only=false
for arg in "$@"; do
	case $arg in
	--fetch-only) fetch_only=true ;;
	[0-9]*.[0-9]*) series=$arg ;;
	*)
		echo "usage: stock-kernel.sh [6.1] [--fetch-only]" >&2
		exit 2
		;;
	esac
done
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
started=$(date +%s)
say() { echo "stock-kernel: $* ($(($(date +%s) - started)) s)" >&2; }
die() { echo "stock-kernel: $*" >&2; exit 1; }

src_pkg=linux-source-$series
# Held ("hi") counts as installed; so does unpacked but not configured
# ("iU"): its tarball is there.
upload=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' "$src_pkg" 2>/dev/null | sed -n 's/^[hi][iU] *//p')
[ -n "$upload" ] || die "$src_pkg is not installed: run scripts/install-deps.sh kernel"
command -v modinfo >/dev/null || die "modinfo is missing: run scripts/install-deps.sh e2e (kmod)"

# apt-get update needs root; as a user, through sudo when there is one.
sudo=
[ "$(id -u)" -eq 0 ] || ! command -v sudo >/dev/null || sudo=sudo

# The ABI of that upload, from the meta package of the same version; the
# archive keeps older uploads, so the newest ABI need not be this one.
abi_of() { # META
	apt-cache show "$1=$upload" 2>/dev/null |
		sed -n 's/^Depends:.*linux-headers-\([0-9][^ ,]*-amd64\) (= [^)]*).*/\1/p' | head -n 1
}
abi=$(abi_of linux-headers-amd64)
[ -n "$abi" ] || abi=$(abi_of "linux-headers-$series-amd64")
if [ -z "$abi" ]; then
	$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || true
	abi=$(abi_of linux-headers-amd64)
	[ -n "$abi" ] || abi=$(abi_of "linux-headers-$series-amd64")
fi
[ -n "$abi" ] || die "the archive has no linux-headers-amd64 $upload (the upload of $src_pkg): install the $src_pkg of the archive's current kernel"

cache_home=${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}
[ -n "$cache_home" ] || die "neither HOME nor XDG_CACHE_HOME is set: set XDG_CACHE_HOME to the folder to cache the stock kernel in"
cache=$cache_home/exitstat/stock/$abi
mkdir -p "$cache"
# One run at a time per kernel: the boot and the DKMS check both call this.
exec 9>"$cache/.lock"
if ! flock -n 9; then
	say "waiting for another run with $cache"
	flock 9
fi
debs=$cache/debs
root=$cache/root
# The headers' scripts/ and tools/ link into linux-kbuild-X.Y (6.1) or
# linux-kbuild-ABI (6.12): take its name and the common headers' from
# their Depends.
headers_depends=$(apt-cache show "linux-headers-$abi=$upload" 2>/dev/null | sed -n 's/^Depends: //p' | head -n 1)
depend() { # PREFIX
	echo "$headers_depends" | tr ',' '\n' | sed -n "s/^ *\($1[^ ]*\).*/\1/p" | head -n 1
}
common=$(depend linux-headers-.*-common)
kbuild=$(depend linux-kbuild-)
[ -n "$common" ] && [ -n "$kbuild" ] ||
	die "linux-headers-$abi $upload names no common headers or linux-kbuild in its Depends: '$headers_depends'"
packages="linux-image-$abi linux-headers-$abi $common $kbuild"

# A new Debian upload can keep the ABI: the debs and the root are this
# upload's only when their names and stamp say so.
upload_in_name=$(echo "$upload" | sed 's/:/%3a/g')
have_debs() {
	for p in $packages; do
		ls "$debs/${p}_${upload_in_name}_"*.deb >/dev/null 2>&1 || return 1
	done
}
downloaded=false
if ! have_debs; then
	say "downloading $packages ($upload)"
	rm -rf "$debs.part"
	mkdir -p "$debs.part"
	# As root, apt warns that its sandbox user cannot write here: it need not.
	sandbox=
	[ "$(id -u)" -ne 0 ] || sandbox="-o APT::Sandbox::User=root"
	fetch() {
		# shellcheck disable=SC2046,SC2086
		(cd "$debs.part" && apt-get $sandbox download $(for p in $packages; do echo "$p=$upload"; done)) >&2
	}
	if ! fetch; then
		$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
		fetch || die "cannot download $packages $upload: is the archive reachable?"
	fi
	rm -rf "$debs"
	mv "$debs.part" "$debs"
	downloaded=true
	say "downloaded $(du -sh "$debs" | cut -f 1)"
fi

# The root is the system a user has: the stock packages unpacked, plus the
# installed source package, recorded in the root's dpkg database as it is
# in this machine's.
# .unpacked holds the upload unpacked.  An empty one is an older script's,
# which never replaced its debs: the root is theirs, and they are this
# upload's unless they were downloaded just now.
unpacked=$(cat "$root/.unpacked" 2>/dev/null || echo none)
if [ -z "$unpacked" ] && ! $downloaded; then
	echo "$upload" >"$root/.unpacked"
	unpacked=$upload
fi
if [ "$unpacked" != "$upload" ]; then
	say "unpacking $upload into $root"
	rm -rf "$root"
	mkdir -p "$root/usr/src" "$root/var/lib/dpkg"
	for deb in "$debs"/*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	ln -s "/usr/src/$src_pkg.tar.xz" "$root/usr/src/$src_pkg.tar.xz"
	echo "$upload" >"$root/.unpacked"
fi
# Written every run: an upgraded source package must show here.
dpkg-query -s "$src_pkg" >"$root/var/lib/dpkg/status"
vmlinuz=$root/boot/vmlinuz-$abi
[ -f "$vmlinuz" ] || die "the image package has no boot/vmlinuz-$abi: delete $cache and run again"

if $fetch_only; then
	printf 'release=%s\nupload=%s\nroot=%s\nvmlinuz=%s\n' "$abi" "$upload" "$root" "$vmlinuz"
	exit 0
fi

# The installer keeps its own build; the same series, source and
# configuration are not built again.
say "building the patched modules for $abi with kernel-patch/install-modules.sh"
modules=$(EXITSTAT_MODULES_WORK=$cache/build nice -n 10 \
	"$project/kernel-patch/install-modules.sh" --build-only --root "$root" --release "$abi") ||
	die "the installer failed to build the modules for $abi (see above)"

# A module of the stock kernel's own (compressed from 6.12 on).
stock_module=$(ls "$root/lib/modules/$abi/kernel/virt/lib/irqbypass.ko"* 2>/dev/null | head -n 1)
[ -n "$stock_module" ] || die "the stock image has no kernel/virt/lib/irqbypass.ko: delete $cache and run again"
stock_vermagic=$(modinfo -F vermagic "$stock_module")
[ -n "$stock_vermagic" ] || die "no vermagic in the stock $stock_module"
for m in kvm kvm-intel kvm-amd; do
	vermagic=$(modinfo -F vermagic "$modules/$m.ko")
	[ "$vermagic" = "$stock_vermagic" ] ||
		die "$m.ko has vermagic '$vermagic', the stock kernel '$stock_vermagic'"
done

# A CRC is the stock kernel's for what it exports, and our kvm.ko's for
# what kvm-intel.ko and kvm-amd.ko import from it (the series changes
# structures that enter those CRCs).
imports=$(mktemp)
trap 'rm -f "$imports"' EXIT
for m in kvm kvm-intel kvm-amd; do
	modprobe --dump-modversions "$modules/$m.ko" >"$imports" ||
		die "$m.ko has no symbol versions (__versions)"
	[ -s "$imports" ] || die "$m.ko imports no versioned symbol: built without MODVERSIONS?"
	bad=$(awk '
		FILENAME != ARGV[3] { crc[$2] = tolower($1); next }
		crc[$2] != tolower($1) { print $2 }' \
		"$root/usr/src/linux-headers-$abi/Module.symvers" "$modules/Module.symvers" "$imports" |
		head -n 5 | tr '\n' ' ')
	[ -z "$bad" ] || die "$m.ko imports symbols whose CRCs the kernel does not export: ${bad% }"
done
say "vermagic and symbol CRCs of kvm.ko, kvm-intel.ko, kvm-amd.ko match $abi"

printf 'release=%s\nupload=%s\nroot=%s\nvmlinuz=%s\nmodules=%s\n' \
	"$abi" "$upload" "$root" "$vmlinuz" "$modules"
