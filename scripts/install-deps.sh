#!/bin/sh
# Installs, on Debian, what building and testing exitstat needs, then checks
# that the files the tests open are really there.  Only the missing packages
# are installed; nothing is fetched otherwise.
#   install-deps.sh            the client's build and test tools
#   install-deps.sh kernel     also what compile-checking the host patch needs
#   install-deps.sh e2e        also what the end-to-end runs need
#   install-deps.sh demo       only what make demo needs: the client, the
#                              installer's module build for Debian's 6.1,
#                              QEMU and the guests' tools (no Bochs, no
#                              second kernel series, no test tools)
# EXITSTAT_DEPS_ROOT=DIR checks the files below DIR instead of /, and
# installs nothing (the tests of this script).
set -eu

packages="gcc make pkg-config libncurses-dev jq mandoc valgrind tmux gcc-multilib
	lib32ncurses-dev"
# lz4 packs the e2e kernel (CONFIG_KERNEL_LZ4); headers_install runs rsync.
# install-modules.sh builds with the compiler and pahole Debian's kernels
# were built with (else olddefconfig changes their configuration); kmod's
# modinfo and modprobe check the modules' vermagic and CRCs.
kernel="bc bison flex libelf-dev libssl-dev cpio xz-utils lz4 rsync perl git ccache
	python3-ply linux-source-6.1 linux-source-6.12 gcc-12 pahole kmod"
# bochs only recommends its VGA ROM: vgabios must be named, or its link
# dangles wherever seabios (pulled in by QEMU) satisfied the dependency.
# cpuid (Todd Allen's) reads the leaves in the nested guest as a client
# written elsewhere than exitstat.
e2e="qemu-system-x86 busybox-static bochs bochsbios vgabios
	isolinux syslinux-common genisoimage cpuid"
# Without its recommends: dkms recommends linux-headers-amd64, which would
# put a kernel's headers and a /lib/modules entry on this machine.
e2e_without_recommends="dkms"

demo="gcc libc6-dev make pkg-config libncurses-dev jq bc bison flex libelf-dev libssl-dev cpio
	xz-utils perl git gcc-12 pahole kmod linux-source-6.1 qemu-system-x86
	busybox-static cpuid"

# The files the suites open, each with the package that provides it.  A
# package can be installed and a file still missing (a dangling link, a
# package removed by hand): check the files, not only the packages.
base_files="
/usr/bin/tmux tmux
/usr/bin/mandoc mandoc
/usr/bin/valgrind valgrind
/usr/bin/jq jq
/usr/lib32/libncursesw.so lib32ncurses-dev
/usr/lib/gcc/x86_64-linux-gnu/12/32/libgcc.a gcc-multilib"
kernel_files="
/usr/bin/lz4 lz4
/usr/bin/rsync rsync
/usr/src/linux-source-6.1.tar.xz linux-source-6.1
/usr/src/linux-source-6.12.tar.xz linux-source-6.12
/usr/bin/gcc-12 gcc-12
/usr/bin/pahole pahole
/sbin/modinfo kmod"
e2e_files="
/usr/bin/qemu-system-x86_64 qemu-system-x86
/usr/share/seabios/bios-256k.bin seabios
/usr/share/qemu/linuxboot_dma.bin qemu-system-data
/usr/share/qemu/kvmvapic.bin qemu-system-data
/bin/busybox busybox-static
/usr/bin/bochs bochs
/usr/share/bochs/BIOS-bochs-latest bochsbios
/usr/share/bochs/VGABIOS-lgpl-latest vgabios
/usr/lib/ISOLINUX/isolinux.bin isolinux
/usr/lib/syslinux/modules/bios/ldlinux.c32 syslinux-common
/usr/bin/genisoimage genisoimage
/usr/bin/cpuid cpuid
/usr/sbin/dkms dkms"
demo_files="
/usr/bin/jq jq
/usr/src/linux-source-6.1.tar.xz linux-source-6.1
/usr/bin/gcc-12 gcc-12
/usr/bin/pahole pahole
/sbin/modinfo kmod
/usr/bin/qemu-system-x86_64 qemu-system-x86
/usr/share/seabios/bios-256k.bin seabios
/usr/share/qemu/linuxboot_dma.bin qemu-system-data
/usr/share/qemu/kvmvapic.bin qemu-system-data
/bin/busybox busybox-static
/usr/bin/cpuid cpuid"

files=$base_files
without_recommends=
case "${1:-}" in
"") ;;
demo)
	packages=$demo
	files=$demo_files
	;;
kernel)
	packages="$packages $kernel"
	files="$files$kernel_files"
	;;
e2e)
	packages="$packages $kernel $e2e"
	without_recommends=$e2e_without_recommends
	files="$files$kernel_files$e2e_files"
	;;
*)
	echo "usage: install-deps.sh [kernel|e2e|demo]" >&2
	exit 2
	;;
esac

not_installed() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			printf ' %s' "$p"
	done
}
# shellcheck disable=SC2086
missing=$(not_installed $packages)
# shellcheck disable=SC2086
missing_without_recommends=$(not_installed $without_recommends)

sudo=""
[ "$(id -u)" -eq 0 ] || ! command -v sudo >/dev/null || sudo="sudo"
if [ -n "$missing$missing_without_recommends" ] && [ -z "${EXITSTAT_DEPS_ROOT:-}" ]; then
	if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
		echo "install-deps: need root to install:$missing$missing_without_recommends" >&2
		exit 1
	fi
	echo "install-deps: installing$missing$missing_without_recommends" >&2
	$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
	# shellcheck disable=SC2086
	[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get \
		-o DPkg::Lock::Timeout=600 install -y -qq $missing >/dev/null
	# shellcheck disable=SC2086
	[ -z "$missing_without_recommends" ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get \
		-o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
		$missing_without_recommends >/dev/null
fi

# promtool checks the Prometheus output.  Only the prometheus package has
# it, and installing that would also install and, under systemd, start a
# Prometheus server and node_exporter: unpack the one tool instead.
tools=${EXITSTAT_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/exitstat/tools}
needs_promtool=true
[ "${1:-}" != demo ] || needs_promtool=false
if $needs_promtool && [ -z "${EXITSTAT_DEPS_ROOT:-}" ] && ! command -v promtool >/dev/null &&
	[ ! -x "$tools/promtool" ]; then
	echo "install-deps: unpacking promtool from Debian's prometheus package into $tools" >&2
	dl=$(mktemp -d)
	if ! (cd "$dl" && apt-get download prometheus >/dev/null 2>&1); then
		$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
		(cd "$dl" && apt-get download prometheus >/dev/null)
	fi
	dpkg-deb -x "$dl"/prometheus_*.deb "$dl/root"
	mkdir -p "$tools"
	cp "$dl/root/usr/bin/promtool" "$tools/promtool"
	rm -rf "$dl"
fi

# readlink -e resolves every link, so a dangling one counts as missing.
files_root=${EXITSTAT_DEPS_ROOT:-}
if $needs_promtool && [ -z "$files_root" ] && ! command -v promtool >/dev/null &&
	[ ! -x "$tools/promtool" ]; then
	echo "install-deps: promtool is missing: unpack it from the Debian package prometheus into $tools" >&2
	exit 1
fi
echo "$files" | while read -r file package; do
	[ -n "$file" ] || continue
	if ! readlink -e "$files_root$file" >/dev/null; then
		echo "install-deps: $file is missing: install (or reinstall) the Debian package $package" >&2
		exit 1
	fi
done
