#!/bin/sh
# Builds the end-to-end kernel (tinyconfig + kernel.config) from Debian's
# linux-source-6.1, with or without the series, in the kernel cache:
#   tests/e2e/build-kernel.sh patched|pristine
# Prints the bzImage's path on the last line.  Rebuilds only what changed.
set -eu
flavour=${1:?usage: build-kernel.sh patched|pristine}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=${E2E_KERNEL:-6.1}
jobs=${JOBS:-$(nproc)}

tree=$("$root/kernel-patch/prepare-tree.sh" "$version" "$flavour")
src=$(printf '%s\n' "$tree" | tail -1)
out=$(dirname "$src")/e2e-build
stamp=$out/.exitstat-fragment

if ! cmp -s "$here/kernel.config" "$stamp" 2>/dev/null; then
	echo "build-kernel $flavour: configuring tinyconfig + kernel.config" >&2
	mkdir -p "$out"
	make -s -C "$src" O="$out" tinyconfig >"$out/config.log" 2>&1
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"$here/kernel.config" >>"$out/config.log" 2>&1
	make -s -C "$src" O="$out" olddefconfig >>"$out/config.log" 2>&1
	grep -v '^#' "$here/kernel.config" | while read -r line; do
		grep -qx "$line" "$out/.config" ||
			{ echo "build-kernel: $line did not stick" >&2; exit 1; }
	done
	cp "$here/kernel.config" "$stamp"
fi
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
make -C "$src" O="$out" -j"$jobs" CC="$cc" bzImage >"$out/build.log" 2>&1 &
make=$!
# A cold build takes minutes: say what it is doing, so that a first run
# cannot be taken for a hang.
started=$(date +%s)
next=0
while kill -0 "$make" 2>/dev/null; do
	elapsed=$(($(date +%s) - started))
	if [ "$elapsed" -ge "$next" ]; then
		next=$((next + 30))
		echo "build-kernel $flavour: building bzImage ($version, $jobs jobs):" \
			"$(grep -c '^ *CC ' "$out/build.log") files compiled," \
			"$((elapsed / 60))m$((elapsed % 60))s so far" >&2
	fi
	sleep 1
done
wait "$make" || { tail -30 "$out/build.log" >&2; exit 1; }
echo "build-kernel $flavour: bzImage ready after $(($(date +%s) - started)) s" >&2
echo "$out/arch/x86/boot/bzImage"
