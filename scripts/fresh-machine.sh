#!/bin/sh
# Proves the README's two commands on a new machine: builds a minimal Debian
# root with debootstrap (from this machine's own package sources), clones
# this checkout's HEAD into it, and runs there, timed, what a new user runs:
#   make deps demo
#   make deps test
# Nothing this machine installed or cached can help: the root has only
# Debian's minimal base, plus git and make to fetch and start the project.
#   scripts/fresh-machine.sh [DIR]     (as root; DIR: the root to build)
# The log of each command is kept in DIR/root/; the last lines say how long
# each took and whether it passed.  EXITSTAT_FRESH_STEPS="demo" runs only
# the first command.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dir=${1:-/var/tmp/exitstat-fresh}
steps=${EXITSTAT_FRESH_STEPS:-demo test}
marker=.exitstat-fresh-root

say() { echo "fresh-machine: $*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || {
	say "installing debootstrap"
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
		install -y -qq debootstrap >/dev/null
}

# Only a folder this script made is ever removed.
if [ -e "$dir" ]; then
	[ -f "$dir/$marker" ] || die "$dir exists and was not made by this script: choose another"
	say "removing the previous root in $dir"
	rm -rf --one-file-system "$dir"
fi

# This machine's own Debian sources, so the root gets the same packages.
codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
# shellcheck disable=SC2016 # apt's own $(FIELD) syntax, not the shell's
mirror=$(apt-get indextargets --format '$(REPO_URI) $(CODENAME) $(COMPONENT)' \
	'Created-By: Packages' | awk -v c="$codename" '$2 == c && $3 == "main" { print $1; exit }')
[ -n "$mirror" ] || die "no Debian source for $codename in this machine's apt configuration"

mkdir -p "$dir"
touch "$dir/$marker"
say "debootstrap $codename (minbase) into $dir"
started=$(date +%s)
debootstrap --variant=minbase --include=git,make,ca-certificates \
	"$codename" "$dir" "$mirror" >"$dir/debootstrap.log" 2>&1 ||
	{ tail -20 "$dir/debootstrap.log" >&2; die "debootstrap failed"; }
say "base system in $(($(date +%s) - started)) s"
# The same sources as this machine (security updates too), each once.
rm -f "$dir/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
	"$dir/etc/apt/sources.list.d/" 2>/dev/null || true
[ ! -s /etc/apt/sources.list ] || cp /etc/apt/sources.list "$dir/etc/apt/sources.list"
cp /etc/resolv.conf "$dir/etc/resolv.conf"

mounted=""
cleanup() {
	for m in $mounted; do umount -R -l "$dir$m" 2>/dev/null || true; done
}
# ^C stops the whole proof, not just the step it is in.
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
mount -t proc proc "$dir/proc" || die "cannot mount /proc in $dir"
mounted="/proc"
mount -t sysfs sysfs "$dir/sys" || die "cannot mount /sys in $dir"
mounted="/sys $mounted"
# /dev with /dev/pts below it: tmux, QEMU and Bochs need terminals.
mount --rbind /dev "$dir/dev" || die "cannot mount /dev in $dir"
mounted="/dev $mounted"
mount --make-rslave "$dir/dev"

git clone -q "$root" "$dir/root/exitstat"
say "cloned $(git -C "$root" rev-parse --short HEAD) into the root"

in_root() {
	chroot "$dir" /usr/bin/env -i HOME=/root TERM=xterm LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c "cd /root/exitstat && $1"
}

result=0
summary=""
for step in $steps; do
	say "make deps $step: starting"
	t0=$(date +%s)
	if in_root "make deps $step" >"$dir/root/make-deps-$step.log" 2>&1; then
		verdict=passed
	else
		verdict=FAILED
		result=1
	fi
	took=$(($(date +%s) - t0))
	line="make deps $step: $verdict in $((took / 60))m$((took % 60))s"
	say "$line"
	tail -n 3 "$dir/root/make-deps-$step.log" | sed 's/^/  /' >&2
	summary="$summary$line
"
done
printf '%s' "$summary"
exit "$result"
