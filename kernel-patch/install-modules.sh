#!/bin/sh
# Builds kvm.ko, kvm-intel.ko and kvm-amd.ko with the exit statistics series
# for the running Debian kernel, installs them under
# /lib/modules/$(uname -r)/updates, and reloads KVM.
#
#   install-modules.sh              build, install, reload (needs root)
#   install-modules.sh --build-only build into the work folder only
#
# It needs the linux-source-X.Y package of the running kernel's series and
# linux-headers-$(uname -r) (for its configuration and Module.symvers).
# Reloading fails while any VM is running: stop them first.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
release=${KERNEL_RELEASE:-$(uname -r)}
build_only=false
[ "${1:-}" = --build-only ] && build_only=true

series_version=$(echo "$release" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
series=$here/$series_version
pkg=linux-source-$series_version
headers=/usr/src/linux-headers-$release
work=${WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/exitstat/modules-$release}

die() { echo "install-modules: $*" >&2; exit 1; }

[ -d "$series" ] || die "no series for Linux $series_version (there are series for 6.1 and 6.12)"
[ -f "/usr/src/$pkg.tar.xz" ] || die "install $pkg first (apt-get install $pkg)"
[ -f "$headers/Module.symvers" ] || die "install linux-headers-$release first"
config=/boot/config-$release
[ -f "$config" ] || config=$headers/.config
[ -f "$config" ] || die "no configuration for $release"

# The source package and the running kernel should be the same upload.
src_version=$(dpkg-query -W -f='${Version}' "$pkg")
image_version=$(dpkg-query -W -f='${Version}' "linux-image-$release" 2>/dev/null || echo unknown)
if [ "$src_version" != "$image_version" ]; then
	echo "install-modules: warning: $pkg is $src_version, the running kernel $image_version" >&2
fi

echo "install-modules: building in $work"
rm -rf "$work"
mkdir -p "$work"
tar -xf "/usr/src/$pkg.tar.xz" -C "$work"
src=$work/$pkg
for p in "$series"/*.patch; do
	(cd "$src" && git apply "$p") || die "$(basename "$p") does not apply to $pkg $src_version"
done
cp "$config" "$src/.config"
cp "$headers/Module.symvers" "$src/Module.symvers"
make -s -C "$src" olddefconfig
make -s -C "$src" KERNELRELEASE="$release" modules_prepare
make -C "$src" KERNELRELEASE="$release" -j"$(nproc)" M=arch/x86/kvm modules

modules="kvm.ko kvm-intel.ko kvm-amd.ko"
for m in $modules; do
	[ -f "$src/arch/x86/kvm/$m" ] || die "arch/x86/kvm/$m was not built"
done
if $build_only; then
	echo "install-modules: built $modules in $src/arch/x86/kvm"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "installing needs root"
dest=/lib/modules/$release/updates/exitstat
mkdir -p "$dest"
for m in $modules; do
	install -m 0644 "$src/arch/x86/kvm/$m" "$dest/$m"
done
depmod -a "$release"

# Both together: kvm-intel.ko and kvm-amd.ko are built against this kvm.ko.
vendor=kvm_intel
grep -q '^flags.* svm' /proc/cpuinfo && vendor=kvm_amd
modprobe -r kvm_intel kvm_amd kvm 2>/dev/null ||
	die "cannot unload KVM: stop every VM, then run again"
modprobe "$vendor"
echo "install-modules: $vendor loaded with exit statistics" \
	"(kvm.exit_stats=$(cat /sys/module/kvm/parameters/exit_stats))"
