#!/bin/sh
# DKMS builds the patched modules for Debian's stock kernel from the
# headers unpacked by tests/e2e/stock-kernel.sh, with the source `make
# dkms-source` installs, in trees of its own (nothing goes to this
# machine's /usr/src, /var/lib/dkms or /lib/modules), and they match the
# modules the installer built for that kernel: same vermagic, same symbol
# CRCs.  The build is real (DKMS cleans before it builds): minutes.  Its
# modules are kept beside the stock kernel's cache, and a run with the
# same DKMS source and the same installer build checks those instead of
# building again (E2E_DKMS_REBUILD=1 builds anyway).
set -eu
# kmod's depmod, modinfo and modprobe are in /sbin, which a user's PATH
# lacks on Debian.
PATH=$PATH:/usr/sbin:/sbin
export PATH
SUITE=dkms
. "$(dirname "$0")/../lib.sh"
project=$(cd "$here/../.." && pwd)
version=$(sed -n 's/^VERSION = //p' "$project/Makefile")

stock=$("$here/stock-kernel.sh")
value() { echo "$stock" | sed -n "s/^$1=//p"; }
release=$(value release)
root=$(value root)
built=$(value modules)
headers=$root/usr/src/linux-headers-$release

make -s -C "$project" dkms-source DKMS_SOURCE_TREE="$tmp/source"
tree=$tmp/dkms
mkdir -p "$tree" "$tmp/lib/modules"
# This machine may have no /lib/modules at all.
lib_modules() { ls -A /lib/modules 2>/dev/null || true; }
lib_modules_before=$(lib_modules)

# dkms ARGS...: status in $status, its output in $out.  The signing key is
# made in the test's folder (DKMS makes one where none is configured).
dkms_() {
	set +e
	env EXITSTAT_ROOT="${DKMS_ROOT:-$root}" \
		sign_file="$(readlink -f "$headers/scripts/sign-file")" \
		mok_signing_key="$tmp/mok.key" mok_certificate="$tmp/mok.pub" \
		dkms "$@" --dkmstree "$tree" --sourcetree "$tmp/source" \
		--installtree "$tmp/lib/modules" >"$out" 2>"$err"
	status=$?
	set -e
}

kept=${root%/root}/dkms-modules
key="$(cd "$tmp/source" && find . -type f | sort | xargs sha256sum | sha256sum)
$(sha256sum <"${built%/modules}/build.key")
$(dkms --version)"
kept_ok() {
	[ "$(cat "$kept/key" 2>/dev/null)" = "$key" ] || return 1
	for m in kvm kvm-intel kvm-amd; do [ -f "$kept/$m.ko" ] || return 1; done
}

dkms_ add -m exitstat -v "$version"
check "dkms add takes the source make dkms-source installed" status_is 0
log=$tree/exitstat/$version/build/make.log

if [ "${E2E_DKMS_REBUILD:-0}" = 0 ] && kept_ok; then
	echo "dkms: the same source and installer build as the kept DKMS build: checking its modules" >&2
	dkms_built=$kept
else
	started=$(date +%s)
	dkms_ build -m exitstat -v "$version" -k "$release" --kernelsourcedir "$headers"
	echo "dkms build took $(($(date +%s) - started)) s" >&2
	check "dkms build for the stock $release headers" status_is 0
	[ "$status" -eq 0 ] || tail -n 20 "$log" 2>/dev/null || true
	dkms_built=$tree/exitstat/$version/$release/x86_64/module
	if [ "$status" -eq 0 ]; then
		rm -rf "$kept"
		mkdir -p "$kept"
		cp "$dkms_built"/*.ko "$kept/"
		echo "$key" >"$kept/key"
	fi
fi

stock_vermagic=$(modinfo -F vermagic "$(ls "$root/lib/modules/$release/kernel/virt/lib/irqbypass.ko"* | head -n 1)")
for m in kvm kvm-intel kvm-amd; do
	check "$m.ko: vermagic of the stock kernel" \
		eval '[ "$(modinfo -F vermagic "$dkms_built/$m.ko" 2>/dev/null)" = "$stock_vermagic" ]'
	check "$m.ko: the same symbol CRCs as the installer's build" eval \
		'modprobe --dump-modversions "$dkms_built/$m.ko" >"$tmp/dkms.crc" &&
		modprobe --dump-modversions "$built/$m.ko" >"$tmp/installer.crc" &&
		[ -s "$tmp/dkms.crc" ] && cmp -s "$tmp/dkms.crc" "$tmp/installer.crc"'
	check "$m.ko: signed with DKMS's key, as for Secure Boot" \
		eval '[ "$(modinfo -F signer "$dkms_built/$m.ko" 2>/dev/null)" = "DKMS module signing key" ]'
done
check "nothing went into this machine's /lib/modules" [ "$(lib_modules)" = "$lib_modules_before" ]

# Another series than the supported ones: DKMS skips it (status 77).
dkms_ build -m exitstat -v "$version" -k 6.6.0-1-amd64 --kernelsourcedir "$headers"
check "a kernel of another series is skipped (BUILD_EXCLUSIVE_KERNEL)" status_is 77

# The installer's refusal holds under DKMS: a source of another upload.
other=$tmp/other-upload
mkdir -p "$other/usr/src" "$other/var/lib/dpkg"
ln -s "$root/boot" "$other/boot"
ln -s "$root/usr/src/"* "$other/usr/src/"
sed 's/^Version: .*/Version: 6.1.0-0-older/' "$root/var/lib/dpkg/status" >"$other/var/lib/dpkg/status"
DKMS_ROOT=$other dkms_ build -m exitstat -v "$version" -k "$release" --kernelsourcedir "$headers" --force
check "under DKMS too, a linux-source of another upload is refused" \
	eval '[ "$status" -ne 0 ] && grep -q "is 6.1.0-0-older but /boot/vmlinuz-$release is" "$log"'
summary
