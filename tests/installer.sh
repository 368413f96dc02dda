#!/bin/sh
# kernel-patch/install-modules.sh against Debian's stock kernel, unpacked
# by tests/e2e/stock-kernel.sh (which builds the modules once; cached),
# in fake roots made of that kernel's files plus the /proc, /sys and dpkg
# records each case needs.  Loading modules is impossible here: modprobe
# and depmod are stubs that record their calls, keep the fake
# /proc/modules, and fail where a case says.  Needs the stock kernel, so
# this runs with the end-to-end checks, not in `make check`.
set -eu
SUITE=installer
. "$(dirname "$0")/lib.sh"
installer=$here/../kernel-patch/install-modules.sh

stock=$("$here/e2e/stock-kernel.sh")
value() { echo "$stock" | sed -n "s/^$1=//p"; }
release=$(value release)
upload=$(value upload)
stock_root=$(value root)
built=$(value modules)
# The stock kernel's build: cases that reach the build find it done.
build_work=${built%/modules}
series=$(echo "$release" | sed 's/^\([0-9]*\.[0-9]*\)\..*/\1/')

# fake_root NAME: a system with the stock kernel installed and its KVM
# loaded on an AMD CPU, no lockdown; prints its path.
fake_root() {
	f=$tmp/$1
	mkdir -p "$f/boot" "$f/usr/src" "$f/var/lib/dpkg" "$f/proc/sys/kernel" \
		"$f/sys/kernel/security" "$f/sys/module/module/parameters" \
		"$f/lib/modules/$release"
	ln -s "$stock_root/boot/vmlinuz-$release" "$f/boot/"
	cp "$stock_root/boot/config-$release" "$f/boot/"
	ln -s "$stock_root/usr/src/linux-headers-$release" "$f/usr/src/"
	ln -s "$stock_root/usr/src/linux-source-$series.tar.xz" "$f/usr/src/"
	ln -s "$stock_root/lib/modules/$release/kernel" "$f/lib/modules/$release/"
	cp "$stock_root/var/lib/dpkg/status" "$f/var/lib/dpkg/status"
	echo "$release" >"$f/proc/sys/kernel/osrelease"
	printf 'processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu svm\n' >"$f/proc/cpuinfo"
	printf 'kvm_amd 155648 0 - Live 0x0\nkvm 1142784 1 kvm_amd, Live 0x0\n' >"$f/proc/modules"
	echo '[none] integrity confidentiality' >"$f/sys/kernel/security/lockdown"
	echo N >"$f/sys/module/module/parameters/sig_enforce"
	echo "$f"
}

# The stubs.  modprobe takes "-d ROOT [-r] NAME"; a module loads from the
# patched files when updates/exitstat holds them; STUB_FAIL_OURS=1 makes
# those fail to load (a kernel refusing them), STUB_FAIL_STOCK=1 the
# stock ones, STUB_BUSY=1 every unload (a VM running).
stubs=$tmp/bin
mkdir -p "$stubs"
cat >"$stubs/modprobe" <<'EOF'
#!/bin/sh
echo "modprobe $*" >>"$STUB_LOG"
[ "$1" = -d ] || { echo "stub modprobe: no -d ROOT" >&2; exit 99; }
root=$2
shift 2
modules=$root/proc/modules
if [ "$1" = -r ]; then
	grep -q "^$2 " "$modules" || { echo "modprobe: FATAL: Module $2 is not in kernel." >&2; exit 1; }
	[ "${STUB_BUSY:-0}" = 0 ] || { echo "modprobe: FATAL: Module $2 is in use." >&2; exit 1; }
	grep -v "^$2 " "$modules" >"$modules.new" || true
	# Like modprobe -r, kvm goes with the last vendor module using it.
	grep -q '^kvm_' "$modules.new" || { grep -v '^kvm ' "$modules.new" >"$modules.new2" || true; mv "$modules.new2" "$modules.new"; }
	mv "$modules.new" "$modules"
	grep -q '^kvm ' "$modules" || rm -rf "$root/sys/module/kvm"
	exit 0
fi
if ls "$root"/lib/modules/*/updates/exitstat/kvm.ko >/dev/null 2>&1; then
	[ "${STUB_FAIL_OURS:-0}" = 0 ] || { echo "modprobe: ERROR: could not insert '$1': Key was rejected by service" >&2; exit 1; }
	mkdir -p "$root/sys/module/kvm/parameters"
	echo Y >"$root/sys/module/kvm/parameters/exit_stats"
else
	[ "${STUB_FAIL_STOCK:-0}" = 0 ] || { echo "modprobe: ERROR: could not insert '$1': Invalid argument" >&2; exit 1; }
fi
grep -q '^kvm ' "$modules" || echo "kvm 1142784 0 - Live 0x0" >>"$modules"
grep -q "^$1 " "$modules" || echo "$1 155648 0 - Live 0x0" >>"$modules"
EOF
# STUB_DEPMOD_SIGNAL=SIG: the first depmod sends SIG to the installer
# (Ctrl-C, an ssh session dropped while it runs).
cat >"$stubs/depmod" <<'EOF'
#!/bin/sh
echo "depmod $*" >>"$STUB_LOG"
if [ -n "${STUB_DEPMOD_SIGNAL:-}" ] && [ ! -e "$STUB_LOG.signalled" ]; then
	: >"$STUB_LOG.signalled"
	kill -s "$STUB_DEPMOD_SIGNAL" "$PPID"
fi
exit "${STUB_DEPMOD_STATUS:-0}"
EOF
# STUB_FAIL_INSTALL=1: install cannot write (a full or read-only /lib);
# STUB_FAIL_RENAME=1: mv cannot put a module in place under updates/.
# STUB_INSTALL_SIGNAL=SIG: the first install sends SIG to the installer.
cat >"$stubs/install" <<'EOF'
#!/bin/sh
if [ -n "${STUB_INSTALL_SIGNAL:-}" ] && [ ! -e "$STUB_LOG.signalled" ]; then
	: >"$STUB_LOG.signalled"
	kill -s "$STUB_INSTALL_SIGNAL" "$PPID"
fi
[ "${STUB_FAIL_INSTALL:-0}" = 0 ] || { echo "install: cannot create regular file: No space left on device" >&2; exit 1; }
exec /usr/bin/install "$@"
EOF
cat >"$stubs/mv" <<'EOF'
#!/bin/sh
for last; do :; done
case ${STUB_FAIL_RENAME:-0}$last in
1*/updates/exitstat/*) echo "mv: cannot move to '$last': Read-only file system" >&2; exit 1 ;;
esac
exec /bin/mv "$@"
EOF
# modinfo -b ROOT -k RELEASE -n NAME: the patched module when it is
# installed, else the stock one, or ROOT/$STUB_MODINFO_PATH.
cat >"$stubs/modinfo" <<'EOF'
#!/bin/sh
[ "$1" = -b ] && [ "$3" = -k ] && [ "$5" = -n ] || { echo "stub modinfo: not -b ROOT -k RELEASE -n NAME" >&2; exit 99; }
dir=$2/lib/modules/$4
if [ -n "${STUB_MODINFO_PATH:-}" ]; then
	echo "$2/$STUB_MODINFO_PATH"
elif [ -f "$dir/updates/exitstat/$6.ko" ]; then
	echo "$dir/updates/exitstat/$6.ko"
else
	echo "$dir/kernel/arch/x86/kvm/$6.ko"
fi
EOF
chmod +x "$stubs/modprobe" "$stubs/depmod" "$stubs/install" "$stubs/mv" "$stubs/modinfo"
STUB_LOG=$tmp/calls
export STUB_LOG

# A folder the installer must refuse to build in: a case that should stop
# before building fails at once there instead of building for minutes.
no_build=$tmp/no-build
mkdir -p "$no_build"
echo "not the installer's" >"$no_build/file"

# run_installer ROOT [VAR=VALUE...] [-- ARGS...]: the installer against
# that root, with the stubs, its work folder $no_build unless a VAR names
# another (the stock kernel's build, for the cases that install).
run_installer() {
	root=$1
	shift
	vars=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		vars="$vars $1"
		shift
	done
	[ $# -eq 0 ] || shift
	: >"$STUB_LOG"
	rm -f "$STUB_LOG.signalled"
	set +e
	# shellcheck disable=SC2086
	env PATH="$stubs:$PATH" EXITSTAT_MODULES_WORK="$no_build" $vars \
		"$installer" --root "$root" --release "$release" "$@" >"$out" 2>"$err"
	status=$?
	set -e
}
last_err_has() { tail -n 1 "$err" | grep -q -- "$1"; }
calls() { tr '\n' ';' <"$STUB_LOG"; }
installed() { [ -f "$1/lib/modules/$release/updates/exitstat/kvm.ko" ]; }
nothing_done() { [ ! -s "$STUB_LOG" ] && ! installed "$1"; }

# --- usage -------------------------------------------------------------------
set +e
"$installer" --help >"$out" 2>"$err"
status=$?
set -e
check "--help: status 0, the options and exit statuses" \
	eval 'status_is 0 && stdout_has "--allow-other-upload" && stdout_has "Exit status" && stdout_has "^  5 "'
set +e
"$installer" --bogus >"$out" 2>"$err"
status=$?
set -e
expect_error "an unknown argument is a usage error" 2 "unknown argument: --bogus"
set +e
"$installer" --release 5.10.0-1-amd64 --build-only >"$out" 2>"$err"
status=$?
set -e
expect_error "a kernel of a series without a patch series: status 1, named" 1 "no series for Linux 5.10"

# --- build only: what the stock-kernel check used ----------------------------
root=$(fake_root build-only)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" -- --build-only
check "--build-only against the stock kernel: status 0, the modules' folder on stdout" \
	eval 'status_is 0 && [ "$(cat "$out")" = "$built" ] && stderr_has "already built"'

# --- 1. the same upload --------------------------------------------------------
root=$(fake_root other-upload)
sed -i "s/^Version: .*/Version: 6.1.0-0-older/" "$root/var/lib/dpkg/status"
run_installer "$root"
check "another linux-source upload: status 3, nothing loaded or installed" \
	eval 'status_is 3 && nothing_done "$root"'
check "... the line names both uploads, read from the stock vmlinuz" \
	last_err_has "linux-source-$series is 6.1.0-0-older but /boot/vmlinuz-$release is $upload"
check "... and how to get the matching source" \
	eval "last_err_has 'apt-get install linux-source-$series=$upload' && last_err_has 'snapshot.debian.org/package/linux/$upload/'"
# With the override the upload check lets it through: the run goes on to
# the next refusal (lockdown), which stops it before any build.
echo 'none [integrity] confidentiality' >"$root/sys/kernel/security/lockdown"
run_installer "$root" -- --allow-other-upload
check "--allow-other-upload: a warning, then the next check (lockdown) decides" \
	eval 'status_is 3 && stderr_has "warning: linux-source-$series is 6.1.0-0-older" && last_err_has "locked down"'

for state in "hold ok installed" "install ok unpacked"; do
	root=$(fake_root "source-$state")
	sed -i "s/^Status: .*/Status: $state/" "$root/var/lib/dpkg/status"
	run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" -- --build-only
	check "linux-source-$series '$state': its upload is taken, the build goes on" \
		eval 'status_is 0 && stderr_has "already built"'
done
root=$(fake_root source-config-files)
sed -i "s/^Status: .*/Status: deinstall ok config-files/" "$root/var/lib/dpkg/status"
run_installer "$root" -- --build-only
check "linux-source-$series removed (config-files only): refused as not installed" \
	eval 'status_is 3 && last_err_has "cannot tell its upload"'

root=$(fake_root no-source-record)
: >"$root/var/lib/dpkg/status"
run_installer "$root" -- --build-only
check "a source package dpkg does not know: refused (status 3)" \
	eval 'status_is 3 && last_err_has "cannot tell its upload"'

# --- 2. lockdown, and putting the stock KVM back ------------------------------
root=$(fake_root lockdown)
echo 'none [integrity] confidentiality' >"$root/sys/kernel/security/lockdown"
run_installer "$root"
check "lockdown: refused (status 3) before anything is unloaded or installed" \
	eval 'status_is 3 && nothing_done "$root" && last_err_has "locked down (integrity"'
root=$(fake_root sig-enforce)
echo Y >"$root/sys/module/module/parameters/sig_enforce"
run_installer "$root"
check "module.sig_enforce: refused (status 3), nothing done" \
	eval 'status_is 3 && nothing_done "$root" && last_err_has "enforces module signatures"'

root=$(fake_root load-ok)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work"
check "a clean install: status 0, the modules under updates/exitstat, depmod run on the root" \
	eval 'status_is 0 && installed "$root" && grep -q "^depmod -b $root -a $release$" "$STUB_LOG"'
check "... stock KVM unloaded, then the patched kvm_amd loaded" \
	eval '[ "$(calls)" = "modprobe -d $root -r kvm_amd;depmod -b $root -a $release;modprobe -d $root kvm_amd;" ]'
check "... and it says so, with the parameter's value" last_err_has "kvm_amd loaded with exit statistics (kvm.exit_stats=Y)"
cmp -s "$root/lib/modules/$release/updates/exitstat/kvm-amd.ko" "$built/kvm-amd.ko" &&
	ok "... the installed kvm-amd.ko is the one built for the stock kernel" ||
	fail "... the installed kvm-amd.ko is the one built for the stock kernel"

root=$(fake_root not-running)
echo 6.1.0-0-running >"$root/proc/sys/kernel/osrelease"
modules_before=$(cat "$root/proc/modules")
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work"
check "--release of a kernel that is not the running one: status 0, installed, depmod for it" \
	eval 'status_is 0 && installed "$root" && [ "$(calls)" = "depmod -b $root -a $release;" ]'
check "... the running KVM neither unloaded nor loaded" \
	eval '[ "$(cat "$root/proc/modules")" = "$modules_before" ]'
check "... and it says when they load" last_err_has "they load when $release boots"

root=$(fake_root rollback)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" STUB_FAIL_OURS=1
check "the patched module does not load: status 4" status_is 4
check "... what was installed is removed again, depmod run again" \
	eval '! installed "$root" && [ "$(grep -c "^depmod" "$STUB_LOG")" -eq 2 ]'
check "... and the stock kvm_amd is loaded again, last" \
	eval '[ "$(tail -n 1 "$STUB_LOG")" = "modprobe -d $root kvm_amd" ] && grep -q "^kvm_amd " "$root/proc/modules"'
check "... one line saying what happened" last_err_has "the patched kvm_amd did not load (dmesg says why): removed them again, stock kvm_amd kvm loaded again"

root=$(fake_root rollback-fails)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" STUB_FAIL_OURS=1 STUB_FAIL_STOCK=1
check "neither loads: status 5, the patched modules gone, what to do named" \
	eval 'status_is 5 && ! installed "$root" && last_err_has "run .modprobe kvm_amd. and see dmesg"'

root=$(fake_root depmod-fails)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" STUB_DEPMOD_STATUS=1
check "depmod fails: status 4, nothing left installed" eval 'status_is 4 && ! installed "$root"'

root=$(fake_root other-updates)
mkdir -p "$root/lib/modules/$release/updates/dkms"
cp "$built/kvm-amd.ko" "$root/lib/modules/$release/updates/dkms/kvm-amd.ko"
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work"
check "a kvm-amd.ko of an older DKMS build under updates/dkms: refused (status 3), nothing done" \
	eval 'status_is 3 && nothing_done "$root"'
check "... the line names the file and how to remove it" \
	last_err_has "/lib/modules/$release/updates/dkms/kvm-amd.ko would compete.*dkms remove exitstat/VERSION --all"
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" -- --build-only
check "... --build-only (what DKMS runs) builds all the same" eval 'status_is 0 && stderr_has "already built"'

root=$(fake_root modinfo-elsewhere)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" STUB_MODINFO_PATH=lib/modules/$release/extra/kvm.ko
check "after depmod kvm resolves outside updates/exitstat: status 4, nothing loaded from it, rolled back" \
	eval 'status_is 4 && ! installed "$root" && [ "$(calls)" = "modprobe -d $root -r kvm_amd;depmod -b $root -a $release;depmod -b $root -a $release;modprobe -d $root kvm_amd;" ]'
check "... the line names the file depmod picked" last_err_has "kvm is $root/lib/modules/$release/extra/kvm.ko, not the patched one"

# Nothing at all under updates/exitstat: not even an empty folder.
nothing_under_updates() { [ ! -e "$1/lib/modules/$release/updates/exitstat" ]; }
root=$(fake_root install-fails)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" STUB_FAIL_INSTALL=1
check "the modules cannot be copied (full /lib): status 1 before KVM is unloaded" \
	eval 'status_is 1 && [ ! -s "$STUB_LOG" ] && grep -q "^kvm_amd " "$root/proc/modules"'
check "... nothing left under updates/exitstat, and the line says so" \
	eval 'nothing_under_updates "$root" && last_err_has "cannot copy the modules into .*nothing was installed or unloaded"'

root=$(fake_root install-interrupted)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" STUB_INSTALL_SIGNAL=INT
check "interrupted while copying the modules in: status 1, KVM never unloaded, nothing left" \
	eval 'status_is 1 && [ ! -s "$STUB_LOG" ] && nothing_under_updates "$root" && last_err_has "interrupted: nothing was installed or unloaded"'

root=$(fake_root rename-fails)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" STUB_FAIL_RENAME=1
check "putting the modules in place fails once KVM is unloaded: status 4" status_is 4
check "... nothing left under updates/exitstat, stock kvm_amd loaded again" \
	eval 'nothing_under_updates "$root" && [ "$(tail -n 1 "$STUB_LOG")" = "modprobe -d $root kvm_amd" ] && grep -q "^kvm_amd " "$root/proc/modules"'
check "... one line saying what happened" \
	last_err_has "cannot rename the patched kvm.ko into place .*: removed them again, stock kvm_amd kvm loaded again"

for signal in TERM HUP INT; do
	root=$(fake_root "signal-$signal")
	run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" STUB_DEPMOD_SIGNAL=$signal
	check "SIG$signal during depmod: status 4, nothing under updates/exitstat, stock kvm_amd loaded again" \
		eval 'status_is 4 && nothing_under_updates "$root" && grep -q "^kvm_amd " "$root/proc/modules" && [ ! -e "$root/sys/module/kvm/parameters/exit_stats" ] && last_err_has "interrupted: removed them again"'
done

root=$(fake_root busy)
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" STUB_BUSY=1
check "KVM in use (a VM running): status 1, nothing installed" \
	eval 'status_is 1 && nothing_under_updates "$root" && last_err_has "cannot unload kvm_amd: stop every VM"'

# --- 3. the work folder -------------------------------------------------------
root=$(fake_root work)
mkdir -p "$tmp/precious"
echo keep >"$tmp/precious/file"
run_installer "$root" EXITSTAT_MODULES_WORK="$build_work" WORK=$tmp/precious -- --build-only
check "WORK in the environment is not the installer's: left alone" \
	eval 'status_is 0 && [ "$(cat "$tmp/precious/file")" = keep ]'
run_installer "$root" EXITSTAT_MODULES_WORK=$tmp/precious -- --build-only
check "EXITSTAT_MODULES_WORK naming a folder without the marker: refused, folder intact" \
	eval 'status_is 1 && [ "$(cat "$tmp/precious/file")" = keep ] && last_err_has "no .exitstat-modules-work"'

# --- the kept build ------------------------------------------------------------
# A copy of the stock kernel's build (its keys and modules, not its tree),
# and tar failing: a run that rebuilds says so at once.
cached_copy() { # FOLDER
	mkdir -p "$1"
	cp "$build_work/.exitstat-modules-work" "$build_work/tree.key" "$build_work/build.key" "$1/"
	cp -al "$build_work/modules" "$1/modules"
}
printf '#!/bin/sh\necho "stub tar: no unpacking here" >&2\nexit 1\n' >"$tmp/tar"
chmod +x "$tmp/tar"
mkdir -p "$tmp/tar-bin"
mv "$tmp/tar" "$tmp/tar-bin/tar"
root=$(fake_root kept)
cached_copy "$tmp/kept"
run_installer "$root" EXITSTAT_MODULES_WORK="$tmp/kept" PATH="$tmp/tar-bin:$stubs:$PATH" -- --build-only
check "the same series, source and configuration: not built again" \
	eval 'status_is 0 && stderr_has "already built"'
cp -r "$here/../kernel-patch" "$tmp/changed-series"
echo "# changed" >>"$(ls "$tmp/changed-series/$series"/*.patch | tail -n 1)"
cached_copy "$tmp/changed"
set +e
env PATH="$tmp/tar-bin:$PATH" EXITSTAT_MODULES_WORK="$tmp/changed" \
	"$tmp/changed-series/install-modules.sh" --root "$root" --release "$release" --build-only >"$out" 2>"$err"
status=$?
set -e
check "a changed series: the tree is unpacked again" \
	eval 'status_is 1 && stderr_has "unpacking linux-source-$series" && ! stderr_has "already built"'

root=$(fake_root no-home)
set +e
env -u HOME -u XDG_CACHE_HOME -u EXITSTAT_MODULES_WORK PATH="$stubs:$PATH" \
	"$installer" --root "$root" --release "$release" --build-only >"$out" 2>"$err"
status=$?
set -e
expect_error "no HOME, XDG_CACHE_HOME or EXITSTAT_MODULES_WORK: status 1, what to set named" 1 \
	"neither HOME nor XDG_CACHE_HOME is set: set EXITSTAT_MODULES_WORK"

# --- 4. olddefconfig must not change the configuration -------------------------
# Debian's configuration with another gcc's version: olddefconfig puts this
# machine's back, which must stop the build.  Its own work folder: the
# configuration step unpacks the source.
root=$(fake_root other-compiler)
sed -i 's/^CONFIG_CC_VERSION_TEXT=.*/CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.1.0-5) 12.1.0"/
	s/^CONFIG_GCC_VERSION=.*/CONFIG_GCC_VERSION=120100/' "$root/boot/config-$release"
run_installer "$root" EXITSTAT_MODULES_WORK=$tmp/work-config -- --build-only
check "another compiler's configuration: status 3 before building" \
	eval 'status_is 3 && [ ! -e "$tmp/work-config/modules" ]'
check "... the line names the options that changed" \
	last_err_has "(CONFIG_CC_VERSION_TEXT CONFIG_GCC_VERSION)"
check "... and the compiler to install, from the configuration" \
	last_err_has "Debian built $release with gcc-12 (Debian 12.1.0-5) 12.1.0.*apt-get install gcc-12=12.1.0-5"
check "... the work folder carries the marker" [ -f "$tmp/work-config/.exitstat-modules-work" ]

root=$(fake_root triplet-compiler)
sed -i 's/^CONFIG_CC_VERSION_TEXT=.*/CONFIG_CC_VERSION_TEXT="x86_64-linux-gnu-gcc-99 (Debian 99.1.0-5) 99.1.0"/' "$root/boot/config-$release"
run_installer "$root" -- --build-only
check "a compiler named with its triplet, missing: status 1, its package named without the triplet" \
	eval 'status_is 1 && last_err_has "x86_64-linux-gnu-gcc-99 is missing: .*(apt-get install gcc-99=99.1.0-5)"'

# --- 5. the vendor from vendor_id ------------------------------------------------
for case in "GenuineIntel vmx kvm_intel" "AuthenticAMD - kvm_amd" "HygonGenuine svm kvm_amd"; do
	set -- $case
	root=$(fake_root "vendor-$1")
	# No svm flag on the AMD host: SVM off in its firmware.
	printf 'vendor_id\t: %s\nflags\t\t: fpu %s\n' "$1" "$2" >"$root/proc/cpuinfo"
	: >"$root/proc/modules"
	run_installer "$root" EXITSTAT_MODULES_WORK="$build_work"
	check "vendor_id $1 (flags: $2): $3 loaded" \
		eval 'status_is 0 && [ "$(calls)" = "depmod -b $root -a $release;modprobe -d $root '"$3"';" ]'
done
root=$(fake_root vendor-unknown)
printf 'vendor_id\t: CentaurHauls\nflags\t\t: fpu vmx\n' >"$root/proc/cpuinfo"
run_installer "$root"
check "an unknown vendor: status 1 before anything is done" \
	eval 'status_is 1 && nothing_done "$root" && last_err_has "unknown CPU vendor .CentaurHauls."'

# --- /sbin out of PATH, as for a normal user on Debian ---------------------------
set +e
env PATH=/usr/bin:/bin "$here/e2e/stock-kernel.sh" --fetch-only >"$out" 2>"$err"
status=$?
set -e
check "stock-kernel.sh without /sbin in PATH finds modinfo: status 0" \
	eval 'status_is 0 && stdout_has "^vmlinuz="'
# Another kernel than the running one: the real depmod and modinfo run on
# the fake root, found though PATH lacks /sbin.
root=$(fake_root sbin)
echo 6.1.0-0-running >"$root/proc/sys/kernel/osrelease"
set +e
env PATH=/usr/bin:/bin EXITSTAT_MODULES_WORK="$build_work" \
	"$installer" --root "$root" --release "$release" >"$out" 2>"$err"
status=$?
set -e
check "install-modules.sh without /sbin in PATH: the real depmod and modinfo found, installed" \
	eval 'status_is 0 && installed "$root" && [ -s "$root/lib/modules/$release/modules.dep" ] && last_err_has "they load when $release boots"'

# --- 6. git -----------------------------------------------------------------------
nogit=$tmp/nogit
mkdir -p "$nogit"
for f in /usr/bin/* /usr/sbin/*; do
	[ "$(basename "$f")" = git ] || ln -sf "$f" "$nogit/"
done
root=$(fake_root no-git)
set +e
PATH=$nogit EXITSTAT_MODULES_WORK=$no_build "$installer" --root "$root" --release "$release" --build-only >"$out" 2>"$err"
status=$?
set -e
expect_error "git missing: status 1, named with what to install" 1 "git is missing: apt-get install .*git"

# --- 7. the DKMS source, from the Makefile ----------------------------------------
# dkms is a stub that records its calls and keeps whether exitstat is
# registered; the source goes into a folder of the test's.
project=$(cd "$here/.." && pwd)
version=$(sed -n 's/^VERSION = //p' "$project/Makefile")
dkms_tree=$tmp/dkms-src
dkms_source=$dkms_tree/exitstat-$version
mkdir -p "$tmp/dkms-bin"
cat >"$tmp/dkms-bin/dkms" <<'EOF'
#!/bin/sh
echo "dkms $*" >>"$STUB_LOG"
case $1 in
status) [ ! -e "$STUB_LOG.registered" ] || echo "exitstat/$5, 6.1.0-1-amd64, x86_64: installed" ;;
add) : >"$STUB_LOG.registered" ;;
remove) rm -f "$STUB_LOG.registered" ;;
esac
EOF
chmod +x "$tmp/dkms-bin/dkms"
make_dkms() { # TARGET
	: >"$STUB_LOG"
	set +e
	PATH="$tmp/dkms-bin:$PATH" make -s -C "$project" "$1" DKMS_SOURCE_TREE="$dkms_tree" >"$out" 2>"$err"
	status=$?
	set -e
}
mkdir -p "$dkms_source/$series"
echo "a patch renamed since" >"$dkms_source/$series/0001-old-name.patch"
make_dkms dkms-source
check "make dkms-source: a patch of an older source does not stay behind" \
	eval 'status_is 0 && [ ! -e "$dkms_source/$series/0001-old-name.patch" ] && [ "$(ls "$dkms_source/$series")" = "$(ls "$project/kernel-patch/$series" | grep "\.patch$")" ]'
: >"$STUB_LOG.registered"
echo "the hash of older sources" >"$dkms_source/source.sha256"
make_dkms dkms-install
check "make dkms-install over a registered build of other sources: removed, added and built again" \
	eval 'status_is 0 && [ "$(grep -v "^dkms status" "$STUB_LOG" | tr "\n" ";")" = "dkms remove -m exitstat -v $version --all;dkms add -m exitstat -v $version;dkms install -m exitstat -v $version;" ]'
make_dkms dkms-install
check "... run again with the same sources: nothing removed" \
	eval 'status_is 0 && ! grep -q "^dkms remove" "$STUB_LOG" && grep -q "^dkms install" "$STUB_LOG"'
summary
