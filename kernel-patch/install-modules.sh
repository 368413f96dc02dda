#!/bin/sh
# Builds kvm.ko, kvm-intel.ko and kvm-amd.ko with the exit statistics series
# for a Debian kernel from the same upload's linux-source-X.Y, installs them
# under /lib/modules/RELEASE/updates/exitstat and loads them in place of
# the stock KVM, or puts the stock KVM back when they do not load.
#
#   install-modules.sh [OPTIONS]
#     --build-only          build only; print the folder holding the modules
#     --release RELEASE     the kernel to build for (default: the running one);
#                           for another kernel than the running one the
#                           modules are installed (and depmod run) but not
#                           loaded: they load when that kernel boots
#     --headers DIR         its headers (default: /usr/src/linux-headers-RELEASE)
#     --output DIR          also copy the built modules into DIR
#     --allow-other-upload  build even when linux-source-X.Y is not the same
#                           Debian upload as the kernel (unsafe: KVM built
#                           from other sources can load and corrupt memory)
#     --root DIR            for tests: read the system (boot/, lib/modules/,
#                           usr/src/, var/lib/dpkg, proc/, sys/) under DIR and
#                           install there (also EXITSTAT_ROOT=DIR)
#     -h, --help            this text
#
# It needs, from Debian: linux-source-X.Y of the same upload as the kernel,
# linux-headers-RELEASE (its Module.symvers), the compiler and pahole the
# kernel was built with (gcc-12 and pahole for Debian 12), and
# build-essential bc bison flex libelf-dev libssl-dev xz-utils git.
#
# What it refuses, before anything is built or unloaded:
# - a linux-source-X.Y that is another upload than the kernel;
# - a configuration that `olddefconfig` changed with this machine's tools
#   (another compiler, binutils or pahole than Debian's): the modules would
#   not match the kernel;
# - a kernel that is locked down (Secure Boot) or enforces module
#   signatures: the unsigned modules could not load;
# - another kvm.ko, kvm-intel.ko or kvm-amd.ko under
#   /lib/modules/RELEASE/updates/ (an older DKMS build, say): depmod
#   ranks it with ours, and which one loads would be chance.
# It builds in EXITSTAT_MODULES_WORK, by default
# ${XDG_CACHE_HOME:-~/.cache}/exitstat/modules-RELEASE,
# deletes there only what it made itself (the folder carries a marker), and
# keeps the build: a second run with nothing changed does not rebuild.
# Reloading needs every VM stopped.
#
# Exit status:
#   0  built (and installed and loaded)
#   1  something is missing or failed; nothing was installed
#   2  usage error
#   3  refused: another upload, a changed configuration, lockdown,
#      signature enforcement, or another kvm*.ko under
#      /lib/modules/RELEASE/updates/; nothing was built or installed
#   4  the patched modules did not load, or installing them failed or was
#      interrupted (SIGINT, SIGTERM, SIGHUP) once KVM was unloaded: they
#      were removed again and the KVM modules loaded before were loaded
#      again
#   5  as 4, but the KVM modules loaded before did not load again either
set -eu
# kmod's modprobe, depmod and modinfo are in /sbin, which Debian leaves
# out of a normal user's PATH (and sudo may keep that PATH).
PATH=$PATH:/usr/sbin:/sbin
export PATH

here=$(cd "$(dirname "$0")" && pwd)
me=install-modules
started=$(date +%s)

usage() { sed -n '2,/^set -eu/s/^# \{0,1\}//p' "$0"; }
say() { echo "$me: $*" >&2; }
die() { echo "$me: $*" >&2; exit 1; }
refuse() { echo "$me: $*" >&2; exit 3; }
usage_error() { echo "$me: $* (see --help)" >&2; exit 2; }

build_only=false
allow_other_upload=false
release=
headers=
output=
root=${EXITSTAT_ROOT:-/}
while [ $# -gt 0 ]; do
	case $1 in
	--build-only) build_only=true ;;
	--allow-other-upload) allow_other_upload=true ;;
	--release | --headers | --output | --root)
		[ $# -ge 2 ] && [ -n "$2" ] || usage_error "$1 needs a value"
		case $1 in
		--release) release=$2 ;;
		--headers) headers=$2 ;;
		--output) output=$2 ;;
		--root) root=$2 ;;
		esac
		shift
		;;
	-h | --help)
		usage
		exit 0
		;;
	*) usage_error "unknown argument: $1" ;;
	esac
	shift
done

[ -d "$root" ] || usage_error "--root $root is not a folder"
root=$(cd "$root" && pwd)
# $r prefixes every path of the system; empty for the real one.
r=$root
[ "$root" = / ] && r=
if [ -z "$release" ]; then
	[ -z "$r" ] || usage_error "--root needs --release"
	release=$(uname -r)
fi
running=false
[ -z "$r" ] && [ "$release" = "$(uname -r)" ] && running=true
# Only the running kernel's KVM can be swapped; on another root, the
# release its proc/ names.
if [ -n "$r" ]; then
	running_release=$(cat "$r/proc/sys/kernel/osrelease" 2>/dev/null || true)
else
	running_release=$(uname -r)
fi

series_version=$(echo "$release" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
series=$here/$series_version
pkg=linux-source-$series_version
tarball=$r/usr/src/$pkg.tar.xz
headers=${headers:-$r/usr/src/linux-headers-$release}
[ -n "$series_version" ] && [ -d "$series" ] ||
	die "no series for Linux ${series_version:-$release} (there are series for 6.1 and 6.12)"

# The tools, up front: a build that stops half-way for a missing one costs
# minutes.
needed="build-essential bc bison flex libelf-dev libssl-dev xz-utils git"
for tool in git make tar xz bc bison flex perl; do
	command -v "$tool" >/dev/null ||
		die "$tool is missing: apt-get install $needed"
done
[ -f /usr/include/gelf.h ] || die "libelf's headers are missing: apt-get install libelf-dev"
[ -f /usr/include/openssl/opensslv.h ] || die "OpenSSL's headers are missing: apt-get install libssl-dev"

[ -f "$tarball" ] || die "$pkg is missing: apt-get install $pkg"
[ -f "$headers/Module.symvers" ] || die "no Module.symvers in $headers: apt-get install linux-headers-$release"
config=$r/boot/config-$release
[ -f "$config" ] || config=$headers/.config
[ -f "$config" ] || die "no configuration for $release (neither /boot/config-$release nor $headers/.config)"

# The compiler Debian built the kernel with, as its configuration names it
# ("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0").
config_value() { # NAME FILE
	sed -n "s/^CONFIG_$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$2"
}
cc_text=$(config_value CC_VERSION_TEXT "$config")
cc=${cc_text%% *}
[ -n "$cc" ] || die "$config names no compiler (CONFIG_CC_VERSION_TEXT)"
deb_cc_version=$(echo "$cc_text" | sed -n 's/.*(Debian \([^)]*\)).*/\1/p')
# Its package: 6.12 names the compiler with its triplet
# (x86_64-linux-gnu-gcc-12), which package gcc-12 provides.
cc_package=$(echo "$cc" | sed 's/^[a-z0-9_]*-linux-gnu-//')
command -v "$cc" >/dev/null ||
	die "$cc is missing: Debian built $release with $cc_text (apt-get install $cc_package${deb_cc_version:+=$deb_cc_version})"

# A kernel configured without Rust was built where no rustc was found; a
# rustc on this machine (rustup's, say) would change its configuration
# (RUSTC_VERSION and the options that follow from it), so hide it.
no_rust=
rustc_version=$(config_value RUSTC_VERSION "$config")
if [ "$(config_value RUST "$config")" != y ] && [ "${rustc_version:-0}" = 0 ]; then
	no_rust="RUSTC=false BINDGEN=false"
fi

# --- same upload -----------------------------------------------------------

# The version of an installed package in the system's dpkg database:
# installed, held ("hi") too, and with STATES "[iU]" also unpacked but not
# configured (a source package whose tarball is there).
installed_version() { # PACKAGE [STATES]
	if [ -z "$r" ]; then
		dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' "$1" 2>/dev/null
	elif [ -d "$r/var/lib/dpkg" ]; then
		dpkg-query --admindir="$r/var/lib/dpkg" \
			-W -f='${db:Status-Abbrev} ${Version}\n' "$1" 2>/dev/null
	fi | sed -n "s/^[hi]${2:-i} *//p"
}

# A bzImage names its build in its setup header, the string `uname -v`
# shows once it runs: "... #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (...)".
bzimage_version() { # FILE
	[ "$(tail -c +$((0x202 + 1)) "$1" | head -c 4)" = HdrS ] || return 0
	offset=$(od -An -t u2 -j $((0x20e)) -N 2 "$1" | tr -d ' ')
	tail -c +$((offset + 0x200 + 1)) "$1" | head -c 256 | tr '\0' '\n' | head -n 1
}
debian_upload() { sed -n 's/.* Debian \([^ ]*\).*/\1/p'; }

# What the kernel itself says first: after an upgrade without a reboot, the
# packages already describe the next kernel, not the running one.
if $running; then
	kernel_upload=$(uname -v | debian_upload)
	kernel_from="the running kernel"
elif [ -f "$r/boot/vmlinuz-$release" ]; then
	kernel_upload=$(bzimage_version "$r/boot/vmlinuz-$release" | debian_upload)
	kernel_from=/boot/vmlinuz-$release
else
	kernel_upload=
fi
if [ -z "$kernel_upload" ]; then
	kernel_upload=$(installed_version "linux-image-$release")
	kernel_from=linux-image-$release
fi
if [ -z "$kernel_upload" ]; then
	kernel_upload=$(installed_version "linux-headers-$release")
	kernel_from=linux-headers-$release
fi
source_upload=$(installed_version "$pkg" "[iU]")
headers_upload=$(installed_version "linux-headers-$release")

if [ -z "$kernel_upload" ] || [ -z "$source_upload" ]; then
	if $allow_other_upload; then
		say "warning: cannot tell whether $pkg (${source_upload:-unknown}) and $release (${kernel_upload:-unknown}) are the same upload; building anyway (--allow-other-upload)"
	elif [ -z "$source_upload" ]; then
		refuse "$pkg is not installed as a package here: cannot tell its upload (apt-get install $pkg, or --allow-other-upload)"
	else
		refuse "cannot tell which Debian upload $release is (not a Debian kernel?): pass --allow-other-upload to build from $pkg $source_upload anyway"
	fi
elif [ "$source_upload" != "$kernel_upload" ]; then
	if $allow_other_upload; then
		say "warning: $pkg is $source_upload, $kernel_from is $kernel_upload; building anyway (--allow-other-upload)"
	else
		refuse "$pkg is $source_upload but $kernel_from is $kernel_upload: apt-get install $pkg=$kernel_upload (once the archive has dropped it: https://snapshot.debian.org/package/linux/$kernel_upload/), or pass --allow-other-upload"
	fi
fi
if [ -n "$headers_upload" ] && [ -n "$kernel_upload" ] &&
	[ "$headers_upload" != "$kernel_upload" ] && ! $allow_other_upload; then
	refuse "linux-headers-$release is $headers_upload but $kernel_from is $kernel_upload: apt-get install linux-headers-$release=$kernel_upload, or pass --allow-other-upload"
fi

# --- what loading will need, checked before anything is built -------------

if ! $build_only; then
	[ -n "$r" ] || [ "$(id -u)" -eq 0 ] || die "installing needs root (or --build-only)"
	lockdown=$r/sys/kernel/security/lockdown
	if [ -r "$lockdown" ] && ! grep -q '\[none\]' "$lockdown"; then
		refuse "the kernel is locked down ($(sed 's/.*\[\([a-z]*\)\].*/\1/' "$lockdown"), Secure Boot?): it loads no unsigned module. Use make dkms-install (DKMS signs them; enroll its key: mokutil --import /var/lib/dkms/mok.pub), or sign a --build-only build with a key of your own. Nothing was changed"
	fi
	sig_enforce=$r/sys/module/module/parameters/sig_enforce
	if [ -r "$sig_enforce" ] && [ "$(cat "$sig_enforce")" = Y ]; then
		refuse "the kernel enforces module signatures (module.sig_enforce): it loads no unsigned module. Use make dkms-install (DKMS signs them; enroll its key: mokutil --import /var/lib/dkms/mok.pub), or sign a --build-only build with a key it trusts. Nothing was changed"
	fi
	# A module elsewhere under updates/ has the same depmod priority as
	# updates/exitstat: directory order would pick one, and a rollback
	# could "restore" a patched one.  (Under DKMS the installer only
	# builds: DKMS itself puts its modules there.)
	rival=$(find "$r/lib/modules/$release/updates" \
		-path "$r/lib/modules/$release/updates/exitstat" -prune -o \
		\( -name 'kvm.ko*' -o -name 'kvm-intel.ko*' -o -name 'kvm-amd.ko*' \) -print 2>/dev/null | head -n 1)
	if [ -n "$rival" ]; then
		refuse "${rival#"$r"} would compete with the patched modules (same depmod priority): remove it first (from DKMS: 'dkms status' names it, then 'dkms remove exitstat/VERSION --all', or that module's name; otherwise delete it and run 'depmod -a $release'). Nothing was changed"
	fi
	vendor_id=$(sed -n 's/^vendor_id[[:space:]]*:[[:space:]]*//p' "$r/proc/cpuinfo" | head -n 1)
	# The vendor, not the svm flag: an AMD host with SVM off in its
	# firmware has no svm flag and is still no Intel host.
	case $vendor_id in
	GenuineIntel) vendor=kvm_intel ;;
	AuthenticAMD | HygonGenuine) vendor=kvm_amd ;;
	*) die "unknown CPU vendor '${vendor_id}' in /proc/cpuinfo: KVM has modules for Intel, AMD and Hygon" ;;
	esac
fi

# --- the work folder --------------------------------------------------------

if [ -n "${EXITSTAT_MODULES_WORK:-}" ]; then
	work=$EXITSTAT_MODULES_WORK
else
	# sudo -i, cron or a systemd unit may run it without HOME.
	cache_home=${XDG_CACHE_HOME:-${HOME:+$HOME/.cache}}
	[ -n "$cache_home" ] ||
		die "neither HOME nor XDG_CACHE_HOME is set: set EXITSTAT_MODULES_WORK to the folder to build in"
	work=$cache_home/exitstat/modules-$release
fi
case $work in /*) ;; *) work=$PWD/$work ;; esac
marker=$work/.exitstat-modules-work
if [ ! -f "$marker" ]; then
	if [ -e "$work" ] && [ -n "$(ls -A "$work")" ]; then
		die "$work is not empty and is not a work folder of this installer (it has no .exitstat-modules-work): set EXITSTAT_MODULES_WORK to another folder"
	fi
	mkdir -p "$work"
	echo "exitstat install-modules.sh work folder: may be deleted" >"$marker"
fi
# Two runs in one folder would build over each other.
exec 9>"$work/.lock"
if ! flock -n 9; then
	say "waiting for the other run building in $work"
	flock 9
fi
# Deletes what is in the work folder, never anything else.
wipe_work() {
	[ -f "$marker" ] || die "$work lost its marker: not deleting it"
	find "$work" -mindepth 1 -maxdepth 1 ! -name .exitstat-modules-work ! -name .lock -exec rm -rf {} +
}
src=$work/src
log=$work/build.log
modules="kvm.ko kvm-intel.ko kvm-amd.ko"

# run_step WHAT COMMAND...: output into the log, a line every 30 s so that
# nobody stares at a silent terminal for minutes.
heartbeat=
stop_heartbeat() {
	[ -z "$heartbeat" ] || kill "$heartbeat" 2>/dev/null || true
	heartbeat=
}
trap stop_heartbeat EXIT
run_step() {
	what=$1
	shift
	say "$what"
	# Its last sleep outlives it: off stdout and without the lock, or it
	# would hold a caller's $(...) and the next run for up to 30 s.
	(
		while sleep 30; do
			last=$(tail -n 1 "$log" | cut -c 1-100)
			say "$what: $(($(date +%s) - started)) s so far${last:+; $last}"
		done
	) >&2 9>&- &
	heartbeat=$!
	if ! "$@" >>"$log" 2>&1; then
		stop_heartbeat
		tail -n 20 "$log" >&2
		die "$what failed (the whole log: $log)"
	fi
	stop_heartbeat
}

files_key() { cat "$@" | sha256sum | cut -d ' ' -f 1; }
tool_versions() {
	"$cc" --version | head -n 1
	ld --version | head -n 1
	if command -v pahole >/dev/null; then pahole --version; fi
}
tree_key="$pkg $source_upload $(stat -L -c '%s %Y' "$tarball") series $(files_key "$series"/*.patch)"
# This script is in the key too: a change to how it builds rebuilds (the
# kept tree makes that an incremental build).
build_key="$tree_key $release config $(files_key "$config" "$headers/Module.symvers") tools $(tool_versions | files_key) installer $(files_key "$0")"

built() {
	[ "$(cat "$work/build.key" 2>/dev/null)" = "$build_key" ] || return 1
	for m in $modules; do [ -f "$work/modules/$m" ] || return 1; done
}

# The options whose values differ between two configurations.
options() { # CONFIG: NAME=VALUE per line, sorted, "is not set" as =n
	sed -n 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)/\1/p; s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set/\1=n/p' "$1" | sort
}
# Debian leaves out of the configuration it ships the options that name
# its build's signing keys and build-id salt; they do not change what a
# module links against, so their defaults coming back is no change.
unshipped="CONFIG_BUILD_SALT CONFIG_MODULE_SIG_ALL CONFIG_MODULE_SIG_KEY CONFIG_SYSTEM_TRUSTED_KEYS"
changed_options() { # A B
	options "$1" >"$work/config.before"
	options "$2" >"$work/config.after"
	comm -3 "$work/config.before" "$work/config.after" |
		sed 's/^[[:space:]]*//; s/=.*//' | sort -u | while read -r name; do
		case " $unshipped " in
		*" $name "*) grep -q "^$name=" "$work/config.before" || continue ;;
		esac
		printf '%s ' "$name"
	done
}

# What to install so that olddefconfig keeps Debian's configuration.
tools_advice() {
	advice="Debian built $release with $cc_text"
	ld_version=$(config_value LD_VERSION "$config")
	pahole_version=$(config_value PAHOLE_VERSION "$config")
	[ -z "$ld_version" ] || advice="$advice, binutils $((ld_version / 10000)).$((ld_version / 100 % 100))"
	if [ -n "$pahole_version" ] && [ "$pahole_version" != 0 ]; then
		advice="$advice and pahole $((pahole_version / 100)).$((pahole_version % 100)) (package pahole)"
	fi
	echo "$advice: install those (apt-get install $cc_package${deb_cc_version:+=$deb_cc_version} binutils pahole)"
}

if built; then
	say "already built for this source, series, configuration and compiler: $work/modules"
else
	rm -f "$work/build.key"
	if [ "$(cat "$work/tree.key" 2>/dev/null)" != "$tree_key" ] || [ ! -d "$src" ]; then
		wipe_work
		: >"$log"
		run_step "unpacking $pkg $source_upload into $work" tar -xf "$tarball" -C "$work"
		mv "$work/$pkg" "$src"
		# The ceiling keeps git from taking a repository around the work
		# folder for the tree's: it would skip the paths outside it.
		for p in "$series"/*.patch; do
			(cd "$src" && GIT_CEILING_DIRECTORIES=$work git apply "$p" 2>>"$log") ||
				die "$(basename "$p") does not apply to $pkg $source_upload"
		done
		echo "$tree_key" >"$work/tree.key"
	fi
	: >"$log"
	cp "$config" "$src/.config"
	cp "$headers/Module.symvers" "$src/Module.symvers"
	kmake() { make -C "$src" CC="$cc" KERNELRELEASE="$release" $no_rust "$@"; }
	run_step "configuring for $release" kmake olddefconfig
	changed=$(changed_options "$config" "$src/.config")
	if [ -n "$changed" ]; then
		refuse "olddefconfig changed the configuration of $release with this machine's tools (${changed% }): the modules would not match the kernel. $(tools_advice)"
	fi
	run_step "preparing the tree" kmake modules_prepare
	run_step "building $modules" kmake -j"$(nproc)" M=arch/x86/kvm modules
	rm -rf "$work/modules"
	mkdir -p "$work/modules"
	for m in $modules; do
		[ -f "$src/arch/x86/kvm/$m" ] || die "arch/x86/kvm/$m was not built (see $log)"
		cp "$src/arch/x86/kvm/$m" "$work/modules/$m"
	done
	cp "$src/arch/x86/kvm/Module.symvers" "$work/modules/Module.symvers"
	echo "$build_key" >"$work/build.key"
	say "built $modules in $(($(date +%s) - started)) s"
fi

if [ -n "$output" ]; then
	mkdir -p "$output"
	for m in $modules; do cp "$work/modules/$m" "$output/$m"; done
fi
if $build_only; then
	echo "$work/modules"
	exit 0
fi

# --- install and load, or put the stock KVM back ---------------------------

# On another root, the module tools work on that root's files.
modprobe_() { if [ -n "$r" ]; then modprobe -d "$r" "$@"; else modprobe "$@"; fi; }
modinfo_() { if [ -n "$r" ]; then modinfo -b "$r" -k "$release" "$@"; else modinfo -k "$release" "$@"; fi; }
# The file modprobe will take for kvm, as depmod ranked them; empty when
# it is ours.
kvm_elsewhere() {
	kvm_file=$(modinfo_ -n kvm 2>/dev/null) || kvm_file="no kvm.ko at all"
	case $kvm_file in "$dest"/kvm.ko*) ;; *) echo "$kvm_file" ;; esac
}
depmod_() { if [ -n "$r" ]; then depmod -b "$r" -a "$release"; else depmod -a "$release"; fi; }
loaded() { grep -q "^$1 " "$r/proc/modules" 2>/dev/null; }

dest=$r/lib/modules/$release/updates/exitstat
# The modules go in under names depmod ignores before KVM is unloaded, so
# that a full or read-only /lib fails while the stock KVM still runs; once
# it is unloaded, only renames are left.
staged() { echo "$dest/.$1.exitstat-new"; }
unstage() {
	for module in $modules; do rm -f "$(staged "$module")"; done
	rmdir "$dest" 2>/dev/null || true
}
stage_failed() {
	unstage
	die "cannot copy the modules into $dest (full or read-only?): nothing was installed or unloaded"
}
trap 'unstage; die "interrupted: nothing was installed or unloaded"' INT TERM HUP
mkdir -p "$dest" || stage_failed
for m in $modules; do
	install -m 0644 "$work/modules/$m" "$(staged "$m")" || stage_failed
done

# Renames the staged modules into place and runs depmod, which must then
# find the patched kvm; on any failure calls FAIL (a function) with why.
put_in_place() { # FAIL
	for m in $modules; do
		mv -f "$(staged "$m")" "$dest/$m" || "$1" "cannot rename the patched $m into place in $dest"
	done
	depmod_ || "$1" "depmod $release failed"
	other=$(kvm_elsewhere)
	[ -z "$other" ] || "$1" "after depmod, kvm is $other, not the patched one in $dest"
}

# Another kernel's modules: installed for its next boot, the running KVM
# left alone (modprobe would load the running kernel's files).
if [ "$release" != "$running_release" ]; then
	not_installed() { # WHY
		rm -rf "$dest"
		depmod_ || true
		die "$1: nothing was installed for $release"
	}
	trap 'not_installed "interrupted"' INT TERM HUP
	put_in_place not_installed
	trap - INT TERM HUP
	say "installed in $dest: they load when $release boots (the running kernel, ${running_release:-unknown}, was left alone)"
	exit 0
fi

was_loaded=
for m in kvm_intel kvm_amd kvm; do
	loaded "$m" && was_loaded="$was_loaded $m"
done
# Puts the system back as it was: no patched module, and the KVM modules
# that were loaded before loaded again (from the stock files).
roll_back() { # WHY
	# Finished even when the terminal goes away half-way.
	trap '' INT TERM HUP PIPE
	rm -rf "$dest"
	depmod_ || true
	for m in kvm_intel kvm_amd kvm; do loaded "$m" && modprobe_ -r "$m"; done || true
	for m in $was_loaded; do
		loaded "$m" && continue
		modprobe_ "$m" || {
			echo "$me: $1; removing them, the stock $m did not load again either: run 'modprobe $m' and see dmesg" >&2
			exit 5
		}
	done
	echo "$me: $1: removed them again${was_loaded:+, stock$was_loaded loaded again}" >&2
	exit 4
}
# From the first unload on, an interruption (Ctrl-C, a dropped ssh
# session) must not leave the host without KVM or with a half-installed
# updates/exitstat that would load at the next boot.
trap 'roll_back "interrupted"' INT TERM HUP
for m in $was_loaded; do
	# Unloading the vendor module took kvm with it.
	loaded "$m" || continue
	modprobe_ -r "$m" || {
		trap - INT TERM HUP
		for back in $was_loaded; do loaded "$back" || modprobe_ "$back" || true; done
		unstage
		die "cannot unload $m: stop every VM (lsmod shows what uses it), then run again. Nothing was installed"
	}
done

put_in_place roll_back
# Both together: kvm-intel.ko and kvm-amd.ko are built against this kvm.ko.
modprobe_ "$vendor" || roll_back "the patched $vendor did not load (dmesg says why)"
exit_stats=$r/sys/module/kvm/parameters/exit_stats
[ -r "$exit_stats" ] || roll_back "$vendor loaded, but not the patched kvm (no kvm.exit_stats)"
trap - INT TERM HUP
say "$vendor loaded with exit statistics (kvm.exit_stats=$(cat "$exit_stats"))"
