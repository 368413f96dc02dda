#!/bin/sh
# kernel-patch/check.sh fails loudly when a patch stops applying.
set -eu
SUITE=kernel-apply
. "$(dirname "$0")/lib.sh"
root=$(cd "$here/.." && pwd)

# A copy of the 6.1 series whose second patch expects a line the tree lacks.
mkdir -p "$tmp/series"
cp "$root"/kernel-patch/6.1/*.patch "$tmp/series/"
second=$(ls "$tmp"/series/0002-*.patch)
# A context line of kvm_cpuid(), changed so that the tree no longer has it.
sed -i '0,/^ 	exact = !!entry;$/s// 	exact = !!stale_entry;/' "$second"
check "the broken copy differs from the series" eval '! cmp -s "$second" "$root"/kernel-patch/6.1/0002-*.patch'

set +e
EXITSTAT_SERIES_DIR="$tmp/series" sh "$root/kernel-patch/check.sh" 6.1 >"$out" 2>"$err"
status=$?
set -e
check "a patch that does not apply fails the check" eval '[ "$status" -ne 0 ]'
check "it names the patch" grep -q "^FAIL kernel-6.1: $(basename "$second") does not apply" "$out"
check "and nothing is built past it" eval '! grep -q "builds with W=1" "$out"'
summary
