#!/bin/sh
# Builds the initramfs images of the end-to-end runs into DIR:
#   tests/e2e/images.sh DIR L2-BZIMAGE [SELFTEST]
# DIR/l2.gz: busybox, the static exitstat of this checkout, two helpers and
# Debian's cpuid with its libraries;
# DIR/l1.gz: busybox, the selftest, a minimal VMM, QEMU with its libraries
# and firmware, and the nested guest's kernel and initramfs;
# DIR/b1.gz: the same without QEMU and the nested guest, for Bochs.
set -eu
dir=$1
l2_kernel=$2
selftest=${3:-} # none for the demo, which does not run it
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The static client, built from this checkout.
make -s -C "$root" BUILD=build/static LDFLAGS=-static \
	CURSES_LIBS="$(pkg-config --static --libs ncursesw)" build/static/exitstat
gcc -O2 -static -o "$work/cpuid-loop" "$here/cpuid-loop.c"
gcc -O2 -static -o "$work/portio" "$here/portio.c"
gcc -O2 -static -o "$work/minivmm" "$here/minivmm.c"
gcc -O2 -static -o "$work/qmp" "$here/qmp.c"

# A root with busybox as every command; $1 the folder.
busybox_root() {
	mkdir -p "$1/bin" "$1/proc" "$1/sys" "$1/dev" "$1/tmp"
	cp /bin/busybox "$1/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ -e "$1/bin/$applet" ] || ln -s busybox "$1/bin/$applet"
	done
}

# A dynamically linked program into the root $1, with the libraries it
# loads at the paths the loader looks for them.
program_root() { # ROOT PROGRAM
	cp "$2" "$1/bin/"
	for lib in $(ldd "$2" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'); do
		mkdir -p "$1$(dirname "$lib")"
		cp -L "$lib" "$1$lib"
	done
}

pack() { # FOLDER OUTPUT
	(cd "$1" && find . | cpio -o -H newc --quiet | gzip -6) >"$2"
}

l2=$work/l2
busybox_root "$l2"
cp "$here/l2-init.sh" "$l2/init"
cp "$root/build/static/exitstat" "$work/cpuid-loop" "$work/portio" "$l2/bin/"
# Todd Allen's cpuid: a client of the leaves that nobody here wrote.
program_root "$l2" /usr/bin/cpuid
pack "$l2" "$dir/l2.gz"

l1=$work/l1
busybox_root "$l1"
cp "$here/l1-init.sh" "$l1/init"
[ -z "$selftest" ] || cp "$selftest" "$l1/exit_stats_test"
# KVM's own test of the binary statistics, built beside the selftest.
binary_stats_test=${selftest:+$(dirname "$selftest")/../kvm_binary_stats_test}
[ ! -e "${binary_stats_test:-}" ] || cp "$binary_stats_test" "$l1/kvm_binary_stats_test"
program_root "$l1" /usr/bin/qemu-system-x86_64
mkdir -p "$l1/fw" "$l1/l2"
cp /usr/share/seabios/bios-256k.bin /usr/share/qemu/linuxboot_dma.bin \
	/usr/share/qemu/kvmvapic.bin "$l1/fw/"
cp "$l2_kernel" "$l1/l2/bzImage"
# Unpacked: QEMU's first guest is booted unpacked under Bochs, and gunzip
# is slow in a guest there.
gzip -dc "$dir/l2.gz" >"$l1/l2/initramfs.cpio"
cp "$work/minivmm" "$work/qmp" "$l1/"
# exitstat --host reads the nested guest's figures on this host.
cp "$root/build/static/exitstat" "$l1/bin/"
pack "$l1" "$dir/l1.gz"

# For Bochs, which is slow: no QEMU and no nested guest.
b1=$work/b1
busybox_root "$b1"
cp "$here/l1-init.sh" "$b1/init"
[ -z "$selftest" ] || cp "$selftest" "$b1/exit_stats_test"
cp "$work/minivmm" "$b1/minivmm"
pack "$b1" "$dir/b1.gz"
ls -la "$dir" >&2
