#!/bin/sh
# Installs, on Debian, what building and testing exitstat needs.
# Only the missing packages are installed; nothing is fetched otherwise.
set -eu

# install-deps.sh            the client's build and test tools
# install-deps.sh kernel     also what compile-checking the host patch needs
packages="gcc make pkg-config libncurses-dev jq mandoc valgrind tmux prometheus"
# install-deps.sh e2e        also what the end-to-end runs under QEMU need
kernel="bc bison flex libelf-dev libssl-dev cpio xz-utils perl git ccache python3-ply
	linux-source-6.1 linux-source-6.12"
case "${1:-}" in
kernel) packages="$packages $kernel" ;;
e2e) packages="$packages $kernel qemu-system-x86 busybox-static bochs bochsbios
	isolinux syslinux-common genisoimage" ;;
esac

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null; then
	sudo="sudo"
else
	echo "install-deps: need root to install:$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
