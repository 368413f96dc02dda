#!/bin/sh
# Compile-checks the series for one kernel against Debian's source package:
#   kernel-patch/check.sh 6.1|6.12
# Unpacks the source into a cache outside the checkout (kept between runs
# for the same package version), applies the series (failing loudly when a
# patch does not apply), builds arch/x86/kvm/ with W=1 and -Werror, runs
# checkpatch.pl --strict on every patch, and builds the new selftest.
set -eu

version=${1:?usage: check.sh 6.1|6.12}
here=$(cd "$(dirname "$0")" && pwd)
series=${EXITSTAT_SERIES_DIR:-$here/$version}
pkg=linux-source-$version
cache=${EXITSTAT_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exitstat/kernel}
mkdir -p "$cache"
jobs=${JOBS:-$(nproc)}
started=$(date +%s)

passed=0
say() { echo "check-kernel $version: $*"; }
pass() {
	passed=$((passed + 1))
	echo "PASS kernel-$version: $*"
}
die() {
	echo "FAIL kernel-$version: $*"
	echo "$passed passed, 1 failed"
	exit 1
}

log=$cache/prepare-$version.log
if ! tree=$("$here/prepare-tree.sh" "$version" 2>"$log"); then
	cat "$log" >&2
	die "$(sed -n 's/.*: \(.*\) does not apply to .*/\1/p' "$log" | head -1) does not apply to $pkg"
fi
src=$(printf '%s\n' "$tree" | tail -1)
base=$(dirname "$src")
build=$base/build
pass "the series applies to $pkg"

if ! grep -q '^CONFIG_KVM_WERROR=y' "$build/.config" 2>/dev/null; then
	say "configuring (defconfig, KVM, KVM_INTEL, KVM_AMD as modules, KVM_WERROR)"
	make -s -C "$src" O="$build" defconfig
	# KVM_WERROR depends on EXPERT.
	"$src/scripts/config" --file "$build/.config" -e EXPERT \
		-e VIRTUALIZATION -m KVM -m KVM_INTEL -m KVM_AMD -e KVM_WERROR \
		-d KASAN -d DEBUG_INFO -d DEBUG_INFO_BTF -e DEBUG_INFO_NONE
	make -s -C "$src" O="$build" olddefconfig
	grep -q '^CONFIG_KVM_WERROR=y' "$build/.config" || die "KVM_WERROR did not stick"
	grep -q '^CONFIG_KVM_INTEL=m' "$build/.config" || die "KVM_INTEL=m did not stick"
fi

cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
say "building arch/x86/kvm/ with W=1"
log=$base/build.log
if ! make -C "$src" O="$build" -j"$jobs" CC="$cc" W=1 arch/x86/kvm/ >"$log" 2>&1; then
	grep -E "error|warning" "$log" | head -40 >&2
	die "arch/x86/kvm/ does not build (log: $log)"
fi
# Compiler warnings are errors already (KVM_WERROR); W=1 adds kernel-doc
# warnings, which upstream code has too: only the series' files must have none.
touched=$(sed -n 's|^+++ b/||p' "$series"/*.patch | sort -u)
for f in $touched; do
	if grep -F "$f:" "$log" | grep -E "(warning|error):" >&2; then
		die "W=1 warnings in $f"
	fi
done
for obj in kvm.o kvm-intel.o kvm-amd.o; do
	[ -f "$build/arch/x86/kvm/$obj" ] || die "arch/x86/kvm/$obj was not built"
done
pass "arch/x86/kvm/ builds with W=1 and -Werror"

say "checkpatch.pl --strict"
# checkpatch asks "does MAINTAINERS need updating?" (FILE_PATH_CHANGES) of
# every new file.  The series adds one, the selftest, in a folder that the
# KVM entry already covers: check that, and ignore only that warning.
grep -q "^F:	tools/testing/selftests/kvm/$" "$src/MAINTAINERS" ||
	die "MAINTAINERS no longer covers tools/testing/selftests/kvm/"
new_files=$(grep -h -B1 "^new file mode" "$series"/*.patch | sed -n 's|^diff --git a/\([^ ]*\) .*|\1|p')
for f in $new_files; do
	case $f in
	tools/testing/selftests/kvm/x86_64/*) ;;
	*) die "new file $f: add it to MAINTAINERS or explain why not" ;;
	esac
done
(cd "$src" && ./scripts/checkpatch.pl --strict --quiet --ignore FILE_PATH_CHANGES \
	"$series"/*.patch) || die "checkpatch.pl --strict is not clean"
pass "checkpatch.pl --strict is clean on every patch"

say "building the selftest"
make -s -C "$src" O="$build" headers_install INSTALL_HDR_PATH="$base/headers" >/dev/null
rm -rf "$base/selftests"
if ! make -C "$src/tools/testing/selftests/kvm" -j"$jobs" \
	OUTPUT="$base/selftests" LINUX_HDR_PATH="$base/headers/include/" \
	"$base/selftests/x86_64/exit_stats_test" >"$base/selftest.log" 2>&1; then
	tail -30 "$base/selftest.log" >&2
	die "the selftest does not build (log: $base/selftest.log)"
fi

pass "the selftest builds"
say "done in $(($(date +%s) - started)) s"
echo "$passed passed, 0 failed"
