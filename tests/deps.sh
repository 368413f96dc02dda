#!/bin/sh
# scripts/install-deps.sh: its check of the files the suites open, over a
# fake root, so that a package installed with a file still missing (a
# dangling link) is named instead of failing later without a reason.
set -eu
SUITE=deps
. "$(dirname "$0")/lib.sh"
deps=$here/../scripts/install-deps.sh

# A root with every file the e2e runs open, as the script lists them.
fake=$tmp/root
sed -n 's/^\(\/[^ ]*\) [a-z0-9.-]*"\{0,1\}$/\1/p' "$deps" | while read -r file; do
	mkdir -p "$fake$(dirname "$file")"
	: >"$fake$file"
done

run_deps() { # MODE
	set +e
	EXITSTAT_DEPS_ROOT=$fake "$deps" "$1" >"$out" 2>"$err"
	status=$?
	set -e
}

check "the script lists files to check" [ -n "$(ls "$fake")" ]
run_deps e2e
check "every file present: status 0, silent" eval 'status_is 0 && stderr_empty'

# What a new machine had: Bochs's VGA ROM links into a package not installed.
rm "$fake/usr/share/bochs/VGABIOS-lgpl-latest"
ln -s ../vgabios/vgabios.bin "$fake/usr/share/bochs/VGABIOS-lgpl-latest"
run_deps e2e
expect_error "a dangling ROM link names the file and its package" 1 \
	"VGABIOS-lgpl-latest is missing: install (or reinstall) the Debian package vgabios"

run_deps kernel
check "kernel mode does not look at the e2e files" eval 'status_is 0 && stderr_empty'
rm "$fake/usr/src/linux-source-6.12.tar.xz"
run_deps kernel
expect_error "a missing kernel source tarball is named" 1 "linux-source-6.12.tar.xz is missing.*linux-source-6.12$"

# The demo's set: no Bochs, no second kernel series, no test tools.
rm "$fake/usr/bin/valgrind"
run_deps demo
check "demo mode does not need Bochs, 6.12's source or valgrind" eval 'status_is 0 && stderr_empty'
rm "$fake/usr/bin/qemu-system-x86_64"
run_deps demo
expect_error "demo mode needs QEMU, and names it" 1 "qemu-system-x86_64 is missing.*qemu-system-x86$"

run_deps bogus
expect_error "an unknown mode is a usage error" 2 "usage: install-deps.sh"
summary
