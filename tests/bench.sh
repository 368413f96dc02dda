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

# One --watch refresh, guest against host, in the same run: the guest's
# reader over this machine's CPUID, --host over a fake tree of 4 VMs whose
# files list every reason the SDM defines, with 64-bit figures.  callgrind
# counts the client's instructions: a CPUID, a system call, as one.
kvm=$(mktemp -d)
trap 'rm -f "$out" "$out.log"; rm -rf "$kvm"' EXIT
for vm in 4242-11 4243-11 5150-12 6001-9; do
	mkdir -p "$kvm/$vm/vcpu0"
	awk 'BEGIN {
		print "exitstat 1"
		print "total 98765432101 12345678901234"
		for (r = 0; r < 86; r++)
			if (r != 35 && r != 38 && r != 42 && r != 71 && r != 82 && r != 83)
				printf "%d %d %d\n", r, 1000003 * (r + 1), 987654321 * (r + 1)
	}' >"$kvm/$vm/exit_stats"
done
per_refresh() { # FUNCTION ARGS...: callgrind instructions per call
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		--toggle-collect="$1" "$bench" "$2" "$snapshots" >"$out.log" 2>&1
	echo $(($(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out") / snapshots))
}
guest=$(per_refresh guest_refreshes --guest-refreshes)
host=$(EXITSTAT_KVM_DEBUGFS=$kvm per_refresh host_refreshes --host-refreshes)
echo "instructions per --watch refresh (callgrind): guest mode $guest (CPUID counted as one); --host over 4 VMs $host (system calls counted as one)"
# One refresh of the live view (160x40, UTF-8, the minute of history
# full), side by side: the same figures without the history and with it.
refreshes=50
trap 'rm -f "$out" "$out.log" "$out.plain" "$out.history"; rm -rf "$kvm"' EXIT
refresh_ir() { # refresh_ir INTERVAL plain|history
	valgrind --tool=callgrind --callgrind-out-file="$out.$2" \
		--toggle-collect="refresh_$2" "$bench" --refreshes "$refreshes" "$1" "$2" \
		>"$out.log" 2>&1
	sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out.$2"
}
for interval in 1 0.1; do
	plain=$(refresh_ir "$interval" plain)
	history=$(refresh_ir "$interval" history)
	echo "one --watch refresh at -i $interval (callgrind): $((plain / refreshes)) instructions without the history, $((history / refreshes)) with it drawn"
done

if command -v tmux >/dev/null; then
	"$(dirname "$0")/bench-watch.sh" "$(cd "$(dirname "$0")" && pwd)/exitstat-sim"
else
	echo "--watch: tmux not installed, skipped"
fi
