#!/bin/sh
# kernel-patch/check.sh fails loudly when a patch stops applying.
set -eu
SUITE=kernel-apply
. "$(dirname "$0")/lib.sh"
root=$(cd "$here/.." && pwd)

# A copy of the 6.1 series whose CPUID patch expects a line the tree lacks.
# That patch is found by what it contains, not by its number, so that the
# test follows the series when its patches are reordered or renamed.
mkdir -p "$tmp/series"
cp "$root"/kernel-patch/6.1/*.patch "$tmp/series/"
second=$(grep -l '^ 	exact = !!entry;$' "$tmp"/series/*.patch | head -1)
check "one patch of the series has the context line" eval '[ -n "$second" ]'
[ -n "$second" ] || { summary; exit 1; }
# A context line of kvm_cpuid(), changed so that the tree no longer has it.
sed -i '0,/^ 	exact = !!entry;$/s// 	exact = !!stale_entry;/' "$second"
check "the broken copy differs from the series" eval '! cmp -s "$second" "$root/kernel-patch/6.1/$(basename "$second")"'

set +e
EXITSTAT_SERIES_DIR="$tmp/series" sh "$root/kernel-patch/check.sh" 6.1 >"$out" 2>"$err"
status=$?
set -e
check "a patch that does not apply fails the check" eval '[ "$status" -ne 0 ]'
check "it names the patch" grep -q "^FAIL kernel-6.1: $(basename "$second") does not apply" "$out"
check "and nothing is built past it" eval '! grep -q "builds with W=1" "$out"'
summary
