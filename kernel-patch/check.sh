#!/bin/sh
# Compile-checks the series for one kernel against Debian's source package:
#   kernel-patch/check.sh 6.1|6.12
# Unpacks the source into a cache outside the checkout (kept between runs
# for the same package version), applies the series (failing loudly when a
# patch does not apply), builds arch/x86/kvm/ with W=1 and -Werror (and
# for i386), checks objtool's noinstr rules on the modules, runs
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

# Every option the check relies on; a cached .config that lacks one (made
# by an older check.sh) is configured again.
configured() {
	for opt in KVM_WERROR NOINSTR_VALIDATION PROVE_LOCKING; do
		grep -q "^CONFIG_$opt=y" "$build/.config" 2>/dev/null || return 1
	done
	grep -q '^CONFIG_KVM_INTEL=m' "$build/.config"
}
if ! configured; then
	say "configuring (defconfig, KVM, KVM_INTEL, KVM_AMD as modules, KVM_WERROR, DEBUG_ENTRY, PROVE_LOCKING)"
	make -s -C "$src" O="$build" defconfig
	# KVM_WERROR depends on EXPERT.  DEBUG_ENTRY turns on objtool's noinstr
	# validation (NOINSTR_VALIDATION): a call out of a noinstr section, such
	# as the VM-Exit path before guest_state_exit_irqoff(), fails the build.
	# PROVE_LOCKING makes lockdep's annotations compile, so that code which
	# only builds without them is caught.
	"$src/scripts/config" --file "$build/.config" -e EXPERT \
		-e VIRTUALIZATION -m KVM -m KVM_INTEL -m KVM_AMD -e KVM_WERROR \
		-e DEBUG_ENTRY -e PROVE_LOCKING \
		-d KASAN -d DEBUG_INFO -d DEBUG_INFO_BTF -e DEBUG_INFO_NONE
	make -s -C "$src" O="$build" olddefconfig
	for opt in KVM_WERROR NOINSTR_VALIDATION PROVE_LOCKING; do
		grep -q "^CONFIG_$opt=y" "$build/.config" || die "$opt did not stick"
	done
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

# The feature is for 64-bit hosts only (the parameter is forced off on
# 32-bit ones), but the series must still build there: i386's defconfig
# with KVM as modules.
build32=$base/build-i386
if ! grep -q '^CONFIG_KVM_INTEL=m' "$build32/.config" 2>/dev/null; then
	say "configuring i386 (i386_defconfig, KVM, KVM_INTEL, KVM_AMD as modules, KVM_WERROR)"
	make -s -C "$src" O="$build32" ARCH=i386 i386_defconfig
	"$src/scripts/config" --file "$build32/.config" -e EXPERT \
		-e VIRTUALIZATION -m KVM -m KVM_INTEL -m KVM_AMD -e KVM_WERROR
	make -s -C "$src" O="$build32" ARCH=i386 olddefconfig
	grep -q '^CONFIG_KVM_INTEL=m' "$build32/.config" || die "i386: KVM_INTEL=m did not stick"
fi
say "building arch/x86/kvm/ for i386"
log32=$base/build-i386.log
if ! make -C "$src" O="$build32" ARCH=i386 -j"$jobs" CC="$cc" arch/x86/kvm/ >"$log32" 2>&1; then
	grep -E "error|warning" "$log32" | head -40 >&2
	die "arch/x86/kvm/ does not build for i386 (log: $log32)"
fi
[ -f "$build32/arch/x86/kvm/kvm.o" ] || die "i386: arch/x86/kvm/kvm.o was not built"
pass "arch/x86/kvm/ builds for i386, where the feature is off"

# objtool checks the noinstr rules (NOINSTR_VALIDATION) on vmlinux.o only,
# never on a module, and a module's calls to noinstr code elsewhere look to
# it like calls out of .noinstr.text; the first one in a function hides any
# other.  So each module is linked with stand-ins, in .noinstr.text, for the
# functions outside it that are noinstr: those of vmlinux that KVM calls
# (lockdep's hooks, the entry and mitigation code in assembly), and every
# function in kvm.o's .noinstr.text.  objtool then checks the result: any
# other call out of .noinstr.text, such as one to a helper that is not
# inlined or to instrumentable code, fails the check.
objtool=$build/tools/objtool/objtool
[ -x "$objtool" ] || die "objtool was not built (CONFIG_OBJTOOL)"
noinstr_elsewhere="lockdep_hardirqs_on lockdep_hardirqs_off
	asm_exc_nmi_kvm_vmx clear_bhb_loop entry_ibpb entry_untrain_ret
	srso_alias_untrain_ret amd_clear_divider
	$(objdump -t "$build/arch/x86/kvm/kvm.o" | grep -F ' F .noinstr.text' | awk '{ print $NF }')"
for m in kvm kvm-intel kvm-amd; do
	stub=$base/noinstr-$m
	{
		echo '.section .note.GNU-stack,"",@progbits'
		echo '.pushsection .noinstr.text, "ax"'
		for f in $(nm -u "$build/arch/x86/kvm/$m.o" | awk '{ print $2 }'); do
			case " $(echo $noinstr_elsewhere) " in
			*" $f "*) printf '.globl %s\n.type %s, @function\n%s:\n\tret\n.size %s, . - %s\n' \
				"$f" "$f" "$f" "$f" "$f" ;;
			esac
		done
		echo '.popsection'
	} >"$stub.S"
	gcc -c -o "$stub.o" "$stub.S" || die "cannot assemble $stub.S"
	ld -m elf_x86_64 -r -o "$stub-linked.o" "$build/arch/x86/kvm/$m.o" "$stub.o" ||
		die "cannot link $m.o with the noinstr stand-ins"
	"$objtool" --hacks=jump_label --hacks=noinstr --noinstr --link --module \
		"$stub-linked.o" >"$stub.log" 2>&1 || true
	if [ -s "$stub.log" ]; then
		cat "$stub.log" >&2
		die "objtool: $m.o breaks the noinstr rules"
	fi
done
pass "objtool: no code of kvm, kvm-intel or kvm-amd leaves .noinstr.text"

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
