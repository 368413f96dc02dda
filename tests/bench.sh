#!/bin/sh
# make bench: timing side by side, then instruction counts from callgrind.
set -eu
bench=$1
snapshots=200

"$bench"

# CPUIDs over busy.sim: today's client and the goals (0.65 and 0.45 x 154).
here=$(cd "$(dirname "$0")" && pwd)
oneshot=$("$here/cpuid-count.sh" "$here/exitstat-sim" "$here/scenarios/busy.sim" oneshot)
refresh=$("$here/cpuid-count.sh" "$here/exitstat-sim" "$here/scenarios/busy.sim" refresh)
echo "CPUIDs per one-shot report on busy.sim: $oneshot, probes included (was 160; goal <= 100)"
echo "CPUIDs per --batch refresh on busy.sim: $refresh (was 154; goal <= 69)"

# A snapshot of one vCPU against one of the VM, over busy.sim (which has
# the per-vCPU feature), on the first CPU this may run on: the reads of
# one snapshot are those of the statistics leaves after the four probes;
# a vCPU's carry ECX bit 16.
cpu=$(taskset -cp $$ | sed 's/.*: //; s/[-,].*//')
log=$(mktemp)
snapshot_cpuids() { # ARGS...: CPUIDs per snapshot of one report
	: >"$log"
	EXITSTAT_SIM=$here/scenarios/busy.sim EXITSTAT_SIM_LOG=$log \
		"$here/exitstat-sim" "$@" >/dev/null 2>&1
	awk '$1 ~ /^4ffffff[c-f]$/ { n++ } length($2) >= 5 { v++ } # subleaf >= 0x10000
		END { print (v ? v : n - 4) }' "$log"
}
vm=$(snapshot_cpuids)
one=$(snapshot_cpuids --cpu "$cpu")
columns=$(taskset -cp $$ | sed 's/.*: //' | tr ',' '\n' |
	awk -F- '{ n += ($2 == "" ? 1 : $2 - $1 + 1) } END { print n }')
all=$(snapshot_cpuids --per-cpu)
vm_refresh=$("$here/cpuid-count.sh" "$here/exitstat-sim" "$here/scenarios/busy.sim" refresh)
one_refresh=$("$here/cpuid-count.sh" "$here/exitstat-sim" "$here/scenarios/busy.sim" refresh --cpu "$cpu")
rm -f "$log"
echo "CPUIDs per snapshot on busy.sim, VM-wide / one vCPU (--cpu $cpu): $vm / $one (must be equal)"
echo "CPUIDs per --batch refresh on busy.sim, VM-wide / one vCPU: $vm_refresh / $one_refresh"
echo "CPUIDs per --per-cpu report over $columns CPUs: $all, $((all / columns)) a CPU"

if ! command -v valgrind >/dev/null; then
	echo "callgrind: valgrind not installed, instruction count skipped"
	exit 0
fi
out=$(mktemp)
trap 'rm -f "$out" "$out.log"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out" \
	--toggle-collect=snapshot_take "$bench" --snapshots "$snapshots" \
	>"$out.log" 2>&1
ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out")
echo "client instructions per snapshot (callgrind, CPUID counted as one): $((ir / snapshots))"

if command -v tmux >/dev/null; then
	"$(dirname "$0")/bench-watch.sh" "$(cd "$(dirname "$0")" && pwd)/exitstat-sim"
else
	echo "--watch: tmux not installed, skipped"
fi
