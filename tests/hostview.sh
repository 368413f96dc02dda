#!/bin/sh
# exitstat --host over fake KVM debugfs trees whose files have exactly the
# format of exitstat-cpuid(7): one VM, VMs summed, a process's VMs, every
# error, figures adding up, files rewritten between refreshes, and the
# live view in tmux.  No CPUID is involved: the installed-style binary.
set -eu
SUITE=${SUITE:-hostview}
WRAP=${WRAP:-}
. "$(dirname "$0")/lib.sh"
REAL=$(cd "$(dirname "$REAL")" && pwd)/$(basename "$REAL")

tree=$tmp/debug/kvm
# vm NAME LINES...: the VM's directory (with a vcpu0 beside the file, as
# KVM makes) and its exit_stats file, replaced whole as a read sees it.
vm() {
	dir=$tree/$1
	shift
	mkdir -p "$dir/vcpu0"
	printf '%s\n' "$@" >"$dir/exit_stats.new"
	mv "$dir/exit_stats.new" "$dir/exit_stats"
}
host() {
	set +e
	EXITSTAT_KVM_DEBUGFS=$tree $WRAP "$REAL" "$@" >"$out" 2>"$err"
	status=$?
	set -e
}

vm 1234-11 "exitstat 1" "total 1000 500000" "1 10 1000" "10 600 300000" "30 300 150000" "48 0 0"

# --- one VM -------------------------------------------------------------------
host --host
check "one VM: status 0, nothing on stderr" eval 'status_is 0 && stderr_empty'
check "one VM: the header names it" stdout_has "^vms: all VMs, 1 summed: 1234-11$"
check "one VM: the total of its file" stdout_has "^total: 1000 exits, 500000 cycles handling them, 500.0 cycles/exit$"
check "one VM: a reason's figures and shares" eval 'grep -Eq "^ +10 +CPUID +counted +600 +300000 +500.0 +60.00 +60.00$" "$out"'
check "one VM: other is the total less the listed reasons" eval 'grep -Eq "^ +- +other +other +90 +49000 " "$out"'
check "one VM: no own exits, and the figures rule says so" stdout_has "^note: read from the host's debugfs files: exitstat causes no exits there, nothing is left out$"
check "one VM: no note of own CPUID exits left out" eval '! stdout_has "own .* CPUID exits"'

# --- two VMs summed -------------------------------------------------------------
vm 1250-12 "exitstat 1" "total 100 50000" "10 50 25000" "30 40 20000" "48 0 0"
host --host all -f json
check "two VMs: valid JSON, status 0" eval 'status_is 0 && jq_true .'
check "two VMs: which VMs, how many" jq_true '.host.vms == {"selection":"all","count":2,"names":["1234-11","1250-12"]}'
check "two VMs: totals summed" jq_true '.total.exits == 1100 and .total.cycles == 550000'
check "two VMs: reasons summed" jq_true '(.reasons[] | select(.reason == 10) | [.exits, .cycles]) == [650, 325000]'
check "two VMs: reasons and other add up to the total" jq_true '([.reasons[].exits] | add) + .other.exits == .total.exits and ([.reasons[].cycles] | add) + .other.cycles == .total.cycles'
check "two VMs: no own exits" jq_true '.self == {"included":false,"exits":0,"cycles_each":0}'
host --host
check "two VMs: the table says how many are summed" stdout_has "^vms: all VMs, 2 summed: 1234-11 1250-12$"
host --host -a -f csv
check "CSV: the reason rows and other add up to the total row" eval 'status_is 0 && awk -F, "NR > 1 && \$3 != \"total\" { e += \$5; c += \$6 } \$3 == \"total\" { te = \$5; tc = \$6 } END { exit !(te == 1100 && tc == 550000 && e == te && c == tc) }" "$out"'

# Reasons the files do not list: not handled, or undefined; listed with
# no exits: handled, idle.  As the leaves with the EXST extension say.
host --host -r 48,2,35,10 -f json
check "statuses: listed and idle, unhandled, undefined, counted" jq_true '[.reasons[] | [.reason, .status]] == [[48,"idle"],[2,"unhandled"],[35,"undefined"],[10,"counted"]]'
check "statuses: other holds all but the listed reasons" jq_true '.other.exits == 1100 - 650'

# Sums past 64 bits stay at the largest figure rather than wrap to a small
# one: 2^64-1 + 2 would otherwise read 1.
kept_tree=$tree
tree=$tmp/huge/kvm
max=18446744073709551615
vm 100-1 "exitstat 1" "total $max $max" "10 $max $max"
vm 200-1 "exitstat 1" "total 2 2" "10 2 2"
host --host
check "a sum past 64 bits: the total saturates" stdout_has "^total: $max exits, $max cycles"
check "a sum past 64 bits: a reason saturates" eval 'grep -Eq "^ +10 +CPUID +counted +$max +$max " "$out"'
check "a sum past 64 bits: a note says the sums are capped" stdout_has "^note: .*at 2^64-1"
host --host -f json
check "a sum past 64 bits, JSON: the largest figure, not a wrapped one" eval 'status_is 0 && grep -q "\"total\":{\"exits\":$max,\"cycles\":$max" "$out"'
tree=$kept_tree

# --- a process's VMs ----------------------------------------------------------
host --host 1250 -f json
check "--host PID: that VM alone" jq_true '.host.vms == {"selection":1250,"count":1,"names":["1250-12"]} and .total.exits == 100'
host --host=1234
check "--host=PID: the same" eval 'status_is 0 && stdout_has "^vms: the VM of process 1234: 1234-11$" && stdout_has "^total: 1000 exits"'
host --host all --host 1250 -f json
check "--host given twice: the last counts" jq_true '.host.vms.selection == 1250 and .total.exits == 100'
vm 1234-15 "exitstat 1" "total 7 700" "10 7 700"
host --host 1234 -f json
check "--host PID with two VM fds: both summed, and said so" jq_true '.host.vms.count == 2 and .host.vms.names == ["1234-11","1234-15"] and .total.exits == 1007'
host --host 1234
check "--host PID with two VMs: the header says so" stdout_has "^vms: the 2 VMs of process 1234, summed: 1234-11 1234-15$"
rm -r "$tree/1234-15"
mkdir -p "$tree/vcpu-stats" "$tree/12-x"
: >"$tree/kvm_exits"
host --host -f json
check "entries that are no PID-FD directory are not VMs" jq_true '.host.vms.count == 2'
host --host 1250 -f json 0.1 1
check "--host PID INTERVAL COUNT: operands after the PID, as vmstat's" eval 'status_is 0 && [ "$(lines "$out")" -eq 1 ] && jq_true ".host.vms.selection == 1250 and .seconds > 0"'

# --- errors: one line, a documented status -------------------------------------
host --host 99
expect_error "no VM of that process: status 3" 3 "^exitstat: process 99 has no VM (no 99-FD directory in $tree)$"
mkdir -p "$tmp/nodebug"
set +e; EXITSTAT_KVM_DEBUGFS=$tmp/nodebug/kvm $WRAP "$REAL" --host >"$out" 2>"$err"; status=$?; set -e
expect_error "debugfs not mounted: the mount command" 3 "debugfs is not mounted (mount -t debugfs none $tmp/nodebug)$"
mkdir -p "$tmp/nokvm/tracing"
set +e; EXITSTAT_KVM_DEBUGFS=$tmp/nokvm/kvm $WRAP "$REAL" --host >"$out" 2>"$err"; status=$?; set -e
expect_error "debugfs without kvm: KVM not loaded" 3 "$tmp/nokvm/kvm does not exist: KVM is not loaded"
mkdir -p "$tmp/empty/kvm/vcpu-stats"
set +e; EXITSTAT_KVM_DEBUGFS=$tmp/empty/kvm $WRAP "$REAL" --host -w >"$out" 2>"$err"; status=$?; set -e
expect_error "no VMs at all: status 3, also for --watch" 3 "^exitstat: no VMs are running (no PID-FD directory in $tmp/empty/kvm)$"
mkdir -p "$tree/2000-3"
host --host
expect_error "a VM without the file: KVM not patched or off" 3 "$tree/2000-3/exit_stats does not exist: this host's KVM has no exit statistics (not patched, or kvm.exit_stats=0)$"
rm -r "$tree/2000-3"
vm 2000-3 "exitstat 2" "total 1 1"
host --host
expect_error "another format version: refused, file and line named" 3 "^exitstat: $tree/2000-3/exit_stats: line 1: the first line is not 'exitstat 1'"
vm 2000-3 "exitstat 1" "total 1 1" "30 1 1" "10 1 1"
host --host 2000
expect_error "reasons out of order: refused" 3 "exit_stats: line 4: reason 10 is out of order"
vm 2000-3 "exitstat 1" "total 18446744073709551616 1"
host --host
expect_error "a 64-bit overflow: refused" 3 "exit_stats: line 2: the total does not fit in 64 bits$"
vm 2000-3 "exitstat 1" "total 1 1" "10 x 1"
host --host
expect_error "a malformed line: refused" 3 "exit_stats: line 3: reason 10 is not a decimal number$"
rm -r "$tree/2000-3"

# Permission denied: debugfs is root's.  As root, the test drops to nobody.
as_nobody=""
if [ "$(id -u)" -eq 0 ]; then
	as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
chmod 755 "$tmp" "$tmp/debug" "$tree" "$tree/1234-11"
chmod 600 "$tree/1234-11/exit_stats"
set +e; EXITSTAT_KVM_DEBUGFS=$tree $as_nobody $WRAP "$REAL" --host 1234 >"$out" 2>"$err"; status=$?; set -e
expect_error "a file root alone reads: permission denied, run as root" 3 "^exitstat: cannot read $tree/1234-11/exit_stats: permission denied (run exitstat --host as root)$"
chmod 700 "$tree"
set +e; EXITSTAT_KVM_DEBUGFS=$tree $as_nobody $WRAP "$REAL" --host >"$out" 2>"$err"; status=$?; set -e
expect_error "debugfs root alone reads: permission denied" 3 "^exitstat: cannot read $tree: permission denied (debugfs is for root: run exitstat --host as root)$"
chmod 644 "$tree/1234-11/exit_stats"
chmod 700 "$tmp"

for bad in abc -1 0 4294967296 4194305 0x10 ''; do
	host --host "$bad"
	expect_error "--host '$bad': usage error" 2 "^exitstat: --host '$bad' is "
done
host --host 1234 --raw
expect_error "--host with --raw: usage error" 2 "--host reads debugfs, not CPUID"
host --host --include-self
expect_error "--host with --include-self: usage error" 2 "--host causes no exits of its own"
host --host -- true
expect_error "--host with a command: usage error" 2 "--host cannot be combined with a command"
host --host -f prometheus
expect_error "--host with -f prometheus: usage error" 2 "--host cannot be combined with -f prometheus"
host --host --per-cpu
expect_error "--host with --per-cpu: usage error" 2 "--host shows whole VMs"
host --host 1234 --cpu 0
expect_error "--host with --cpu: usage error" 2 "--host shows whole VMs"
host --list --host
expect_error "--list with --host: usage error" 2 "--list takes no other option"

# --- over time ---------------------------------------------------------------
# wait_lines FILE N: until FILE has N lines (10 s at most, 60 under a WRAP).
wait_lines() {
	i=0
	limit=100
	[ -z "$WRAP" ] || limit=600
	while [ $i -lt $limit ]; do
		[ "$(lines "$1")" -ge "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

vm 1234-11 "exitstat 1" "total 1000 500000" "10 600 300000" "30 300 150000"
vm 1250-12 "exitstat 1" "total 100 50000" "10 50 25000"
batch=$tmp/batch
: >"$batch"
EXITSTAT_KVM_DEBUGFS=$tree $WRAP "$REAL" --host -b -i 1 -n 5 -f json >"$batch" 2>"$err" &
pid=$!
# Each change lands between two refreshes: after a line, well before the next.
wait_lines "$batch" 1 && vm 1234-11 "exitstat 1" "total 1400 700000" "10 900 450000" "30 400 200000"
wait_lines "$batch" 2 && vm 1234-11 "exitstat 1" "total 50 10000" "10 20 4000" "30 10 2000"
wait_lines "$batch" 3 && vm 1234-11 "exitstat 1" "total 250 60000" "10 120 30000" "30 10 2000"
wait_lines "$batch" 4 && vm 3000-5 "exitstat 1" "total 9000 900000" "10 9000 900000"
wait "$pid" && status=0 || status=$?
cp "$batch" "$out"
check "batch: five lines, status 0" eval 'status_is 0 && [ "$(lines "$out")" -eq 5 ] && stderr_empty'
line() { sed -n "$1p" "$batch" | jq -e "$2" >/dev/null 2>&1; }
check "batch 1: since VM start, nothing changed, rate 0" line 1 '.since == "vm_start" and .total.exits == 1100 and .total.exits_per_s == 0'
check "batch 2: figures since VM start" line 2 '.total.exits == 1500 and .total.cycles == 750000'
check "batch 2: reason 10's rate is its exits over the seconds" line 2 '.seconds as $s | (.reasons[] | select(.reason == 10) | .exits_per_s * $s - 300 | fabs) < 0.01'
check "batch 2: the total's rate likewise" line 2 '(.total.exits_per_s * .seconds - 400 | fabs) < 0.01 and .counter_reset == false'
check "batch 3: a total that went back is a reset, said so" line 3 '.counter_reset == true and .since == "counter_reset" and (.notes | any(test("counters went back")))'
check "batch 3: no figures or rates across the reset" line 3 '.total.exits == 0 and .total.exits_per_s == null and .seconds == null'
check "batch 4: figures and rates since the reset" line 4 '.counter_reset == false and .since == "counter_reset" and .total.exits == 200 and .total.cycles == 50000 and (.total.exits_per_s * .seconds - 200 | fabs) < 0.01'
check "batch 4: reasons since the reset add up" line 4 '([.reasons[].exits] | add) + .other.exits == .total.exits and (.reasons[] | select(.reason == 10) | .exits) == 100'
check "batch 5: a VM appearing is a reset, no nonsense rate" line 5 '.counter_reset == true and .host.vms.count == 3 and .total.exits == 0 and .total.exits_per_s == null'
rm -rf "$tree/3000-5"

# --host PID whose VM goes away: one line, status 3, what was printed kept.
# A new file: the last one's lines must not count as this run's.
batch=$tmp/batch-gone
: >"$batch"
EXITSTAT_KVM_DEBUGFS=$tree $WRAP "$REAL" --host 1250 -b -i 0.5 -n 10 -f csv >"$batch" 2>"$err" &
pid=$!
wait_lines "$batch" 3 && mv "$tree/1250-12" "$tmp/1250-12"
wait "$pid" && status=0 || status=$?
cp "$batch" "$out"
check "the VM of the PID went away: status 3, one line" eval 'status_is 3 && stderr_one_line && stderr_has "^exitstat: the VM of process 1250 went away (no 1250-FD directory in $tree any more)$"'
check "the VM of the PID went away: the lines before kept" eval '[ "$(lines "$out")" -ge 3 ] && head -1 "$out" | grep -q "^timestamp,reason"'
mv "$tmp/1250-12" "$tree/1250-12"

# --- the live view -----------------------------------------------------------
socket="exitstat-host-$$"
wait_tenths=150
. "$(dirname "$0")/tmux.sh"
view() {
	local id=$1
	shift
	fresh_view "exitstat-host-$$-$id" 100 30 \
		"EXITSTAT_KVM_DEBUGFS=$tree LC_ALL=C $WRAP $REAL $*; echo EXITED:\$?; sleep 60"
}

vm 1234-11 "exitstat 1" "total 1000 500000" "10 600 300000" "30 300 150000"
vm 1250-12 "exitstat 1" "total 100 50000" "10 50 25000"
view 1 --host --watch -i 0.3 --tsc-hz 3000000000
check "view: the header, then the VMs summed" eval 'wait_for "^exitstat  host KVMKVMKVM  every 0.3s" && on_screen "^vms: all VMs, 2 summed: 1234-11 1250-12$"'
check "view: the total of both since VM start" on_screen "^total since VM start: 1100 exits"
check "view: the other row" on_screen "^ *- other  *150 "
vm 1234-11 "exitstat 1" "total 1600 800000" "10 1200 600000" "30 300 150000"
check "view: the figures follow the file" wait_for "^total since VM start: 1700 exits"
check "view: a VM going away is a new baseline, said so" eval 'rm -r "$tree/1250-12" && wait_for "^vms: all VMs, 1 summed: 1234-11; VMs changed or counters went back: new baseline$"'
check "view: figures since then" on_screen "^total since counter reset: 0 exits"
tm send-keys -t view q
check "view: q quits with status 0" wait_for "^EXITED:0"
check "view: the terminal restored" restored

vm 1250-12 "exitstat 1" "total 100 50000" "10 50 25000"
view 2 --host 1250 --watch -i 0.3
check "view --host PID: its VM" wait_for "^vms: the VM of process 1250: 1250-12$"
rm -r "$tree/1250-12"
check "view: the VM of the PID went away: status 3" wait_for "^EXITED:3"
check "view: the line on the restored terminal" eval 'restored && on_screen "^exitstat: the VM of process 1250 went away"'
tm kill-server 2>/dev/null || true

summary
