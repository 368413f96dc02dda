#!/bin/sh
# The modules part of an initramfs for Debian's stock kernel, laid out as
# the installer leaves a host: the stock modules KVM needs under kernel/,
# this series' kvm.ko, kvm-intel.ko and kvm-amd.ko under updates/exitstat/,
# and modules.dep made by depmod, which must prefer updates/:
#   tests/e2e/stock-initramfs.sh OUTPUT.gz ROOT RELEASE MODULES-DIR
# ROOT holds the unpacked stock packages (lib/modules/RELEASE/...), and
# MODULES-DIR the modules built for RELEASE.  Concatenated after another
# initramfs (cat a.gz OUTPUT.gz), the kernel unpacks both.
set -eu
# kmod's depmod, modinfo and modprobe are in /sbin, which a user's PATH
# lacks on Debian.
PATH=$PATH:/usr/sbin:/sbin
export PATH
out=$1
root=$2
release=$3
ours=$4

die() { echo "stock-initramfs: $*" >&2; exit 1; }

stock=$root/lib/modules/$release
[ -d "$stock/kernel" ] || die "no stock modules in $stock"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mods=$work/lib/modules/$release
mkdir -p "$mods/updates/exitstat"
for m in kvm kvm-intel kvm-amd; do
	[ -f "$ours/$m.ko" ] || die "$ours/$m.ko is missing"
	cp "$ours/$m.ko" "$mods/updates/exitstat/"
done
# The stock KVM stays too, so that the boot proves depmod picks ours.
# irqbypass is kvm's dependency, ccp kvm-amd's (its SEV support).
for m in arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-intel.ko arch/x86/kvm/kvm-amd.ko \
	virt/lib/irqbypass.ko drivers/crypto/ccp/ccp.ko; do
	[ -f "$stock/kernel/$m" ] || die "the stock $m is missing from $stock"
	mkdir -p "$mods/kernel/$(dirname "$m")"
	cp "$stock/kernel/$m" "$mods/kernel/$m"
done
cp "$stock/modules.order" "$stock/modules.builtin" "$stock/modules.builtin.modinfo" "$mods/" 2>/dev/null || true
depmod -b "$work" "$release"
for m in kvm kvm_intel kvm_amd; do
	grep -q "^updates/exitstat/$(echo "$m" | tr _ -).ko:" "$mods/modules.dep" ||
		die "depmod does not pick updates/exitstat for $m"
done
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -6) >"$out"
