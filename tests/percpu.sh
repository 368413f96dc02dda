#!/bin/sh
# The figures of single vCPUs: the simulated host's side of the contract
# (tests/sim-cpuid), then --per-cpu and --cpu end to end.  Whatever CPUs
# this machine has, the scenarios are written for the first two this
# process may run on (one, where there is only one).
set -eu
SUITE=${SUITE:-percpu}
. "$(dirname "$0")/lib.sh"
WRAP=${WRAP:-}
PROBE=${PROBE:-$here/sim-cpuid}

# The CPUs this process may run on, one a line: "0-2,5" -> 0 1 2 5.
taskset -cp $$ | sed 's/.*: //' | tr ',' '\n' |
	awk -F- '{ for (i = $1; i <= ($2 == "" ? $1 : $2); i++) print i }' >"$tmp/cpus"
c0=$(sed -n 1p "$tmp/cpus")
c1=$(sed -n 2p "$tmp/cpus")
ncpus=$(lines "$tmp/cpus")
# Reads of two CPUs are what most checks need; one CPU runs the rest.
if [ -n "$c1" ]; then pair=$c0,$c1; else pair=$c0; fi

# scenario NAME BASE [LINES...]: BASE.sim with CPU c0 on vCPU 0 and c1 on
# vCPU 1 (or as LINES say), in $tmp/NAME.sim.
scenario() {
	name=$1 base=$2
	shift 2
	{
		cat "$scenarios/$base.sim"
		if [ $# -gt 0 ]; then
			printf '%s\n' "$@"
		else
			echo "cpu-vcpu $c0 0"
			[ -z "$c1" ] || echo "cpu-vcpu $c1 1"
		fi
	} >"$tmp/$name.sim"
}
# psim NAME ARGS...: the client over $tmp/NAME.sim on the pair of CPUs.
psim() {
	name=$1
	shift
	set +e
	EXITSTAT_SIM=$tmp/$name.sim taskset -c "$pair" $WRAP "$SIM" "$@" >"$out" 2>"$err"
	status=$?
	set -e
}
# probe SCENARIO-FILE CPU LEAF ECX...: CPUIDs to the host, on that CPU.
probe() {
	file=$1 cpu=$2
	shift 2
	EXITSTAT_SIM=$file taskset -c "$cpu" "$PROBE" "$@" >"$out"
}
reg() { # reg LINE FIELD: a register of a probe's line, in decimal
	printf '%d\n' "0x$(sed -n "$1p" "$out" | cut -d' ' -f"$2")"
}

scenario percpu percpu
scenario busy percpu-busy
# Guest CPU c0 on vCPU 1 and c1 on vCPU 0.
if [ -n "$c1" ]; then
	scenario swapped percpu "cpu-vcpu $c0 1" "cpu-vcpu $c1 0"
else
	scenario swapped percpu "cpu-vcpu $c0 1"
fi

# --- the simulated host -----------------------------------------------------
probe "$tmp/percpu.sim" "$c0" 0x4ffffffc 0
check "host: the feature bit in ECX of 0x4ffffffc, with EXST" eval '[ "$(reg 1 3)" = 1 ] && [ "$(reg 1 4)" = $((0x54535845)) ]'
probe "$scenarios/patched-ext.sim" "$c0" 0x4ffffffc 0
check "host: no feature bit where the scenario has none" eval '[ "$(reg 1 3)" = 0 ]'
probe "$tmp/swapped.sim" "$c0" 0x4ffffffd 0x10000 0x4ffffffe 0x1001e 0x4fffffff 0x1001e
check "host: the index of the calling vCPU (CPU $c0 runs vCPU 1)" eval '[ "$(reg 1 1)" = 1 ]'
check "host: a reason's figures of that vCPU alone" eval '[ "$(reg 2 1)" = 300 ] && [ "$(reg 2 4)" = $((0x54535845)) ] && [ "$(reg 3 3)" = 3000000 ]'
probe "$tmp/percpu.sim" "$c0" 0x4ffffffe 0x10030 0x4ffffffe 0x10003 0x4ffffffe 0x10023
check "host: handled but none on this vCPU: EXST, no exits" eval '[ "$(reg 1 1)" = 0 ] && [ "$(reg 1 4)" = $((0x54535845)) ]'
check "host: not handled on this vCPU: all zero" eval '[ "$(cat "$out" | sed -n 2p)" = "00000000 00000000 00000000 00000000" ]'
check "host: an undefined reason of one vCPU is undefined" eval '[ "$(sed -n 3p "$out")" = "00000000 00000000 00000000 ffffffff" ]'
probe "$tmp/percpu.sim" "$c0" 0x4ffffffe 0x2001e 0x4ffffffc 0 0x4ffffffc 0x20000
check "host: any other ECX above 0xffff on a reason leaf is undefined" eval '[ "$(sed -n 1p "$out")" = "00000000 00000000 00000000 ffffffff" ]'
check "host: any other ECX on the totals gives the VM's" eval '[ "$(reg 3 1)" = $(($(reg 2 1) + 1)) ]'
probe "$tmp/percpu.sim" "$c0" 0x4ffffffe 0x1000a 0x4ffffffe 0x1000a 0x4ffffffc 0x10000 0x4ffffffc 0
check "host: each CPUID is an exit of reason 10 of the calling vCPU" eval '[ "$(reg 1 1)" = 5001 ] && [ "$(reg 2 1)" = 5002 ]'
# vCPU 0 starts at 6600 exits, vCPU 1 at 3320: four reads later, on vCPU 0.
check "host: the vCPUs' figures add up to the VM's" eval '[ "$(reg 3 1)" = 6603 ] && [ "$(reg 4 1)" = $((6603 + 3320 + 1)) ]'
probe "$scenarios/patched-ext.sim" "$c0" 0x4ffffffc 0 0x4ffffffc 0x10000 0x4ffffffd 0x10000 0x4ffffffe 0x1000a
check "host without the feature: ECX=0x10000 on the totals gives the VM's" eval '[ "$(reg 2 1)" = $(($(reg 1 1) + 1)) ] && [ "$(reg 2 3)" = 0 ] && [ "$(reg 3 1)" = 0 ]'
check "host without the feature: 0x10000|R is an undefined reason" eval '[ "$(sed -n 4p "$out")" = "00000000 00000000 00000000 ffffffff" ]'

# --- --per-cpu --------------------------------------------------------------
row() { grep -E "^ *$1  " "$out" | head -1 | tr -s ' ' | sed 's/^ //'; }
psim percpu --per-cpu
if [ -n "$c1" ]; then
	check "--per-cpu: a column per CPU and TOTAL" eval 'status_is 0 && stderr_empty && grep -Eq "^REASON  NAME +CPU$c0 +CPU$c1 +TOTAL$" "$out"'
	check "--per-cpu: the vCPU each CPU read" eval 'grep -Eq "^ +vcpu +0 +1$" "$out"'
	check "--per-cpu: each vCPU's exits, own CPUIDs left out, and their sum" eval '[ "$(row 10)" = "10 CPUID 5000 3000 8000" ]'
	check "--per-cpu: a reason on one vCPU only" eval '[ "$(row 48)" = "48 EPT_VIOLATION 0 20 20" ]'
	check "--per-cpu: the total row" eval '[ "$(row -)" = "- total 6600 3320 9920" ]'
	check "--per-cpu: cycles, corrected alike" eval 'grep -Eq "^ +10  CPUID +123456789 +23456789 +146913578$" "$out"'
else
	check "--per-cpu: one CPU, one column" eval 'status_is 0 && [ "$(row 10)" = "10 CPUID 5000 5000" ]'
fi
check "--per-cpu: says what TOTAL is and what was left out" eval 'stdout_has "note: TOTAL is the sum of the CPUs" && stdout_has "note: exitstat.s own [0-9]* CPUID exits are left out"'
check "--per-cpu: rows as the report: reasons with exits only" eval '! stdout_has EXCEPTION_NMI && ! stdout_has " other "'

psim percpu --per-cpu -f json
check "json: the columns, in order" jq_true "[.cpus[].cpu] == [$pair]"
check "json: every row's columns add up to it, counts and cycles" jq_true '([.reasons[], .other, .total] | all(.exits == (.cpus | map(.exits) | add) and .cycles == (.cpus | map(.cycles) | add)))'
check "json: the reasons and other add up to the total" jq_true '.total.exits == ([.reasons[].exits] | add) + .other.exits and .total.cycles == ([.reasons[].cycles] | add) + .other.cycles'
check "json: each column's own CPUIDs add up to self.exits" jq_true '.self.exits == ([.cpus[].self_exits] | add) and .self.included == false and .self.exits > 20'
check "json: exact per-vCPU figures" jq_true '(.reasons[] | select(.reason == 10) | .cpus[0].exits) == 5000 and .total.cpus[0].exits == 6600'
check "json: time is null in cycles" jq_true '.units == "cycles" and .total.time == null'
psim percpu --per-cpu -f json --include-self
check "--include-self: each column keeps its own CPUIDs" jq_true '.self.included and (.reasons[] | select(.reason == 10) | .cpus[0].exits) == 5000 + .cpus[0].self_exits and .total.cpus[0].exits == 6600 + .cpus[0].self_exits'
psim swapped --per-cpu -f json
check "json: the vCPU a CPU read, when it is not the CPU's number" jq_true '.cpus[0].vcpu == 1 and (.reasons[] | select(.reason == 10) | .cpus[0].exits) == 3000'
psim swapped --per-cpu
check "table: the vCPU line names the host's index" eval 'grep -Eq "^ +vcpu +1( +0)?$" "$out"'

psim percpu --per-cpu -f csv
check "csv: the header" eval '[ "$(head -1 "$out")" = "timestamp,cpu,vcpu,reason,name,status,exits,cycles,time" ]'
if [ -n "$c1" ]; then ncols=3 sum10=8000,146913578; else ncols=2 sum10=5000,123456789; fi
# Four reasons with exits on vCPUs 0 and 1, and the total row.
check "csv: a line per row and column, the sum's with cpu total" eval '[ $(($(lines "$out") - 1)) -eq $((5 * ncols)) ] && grep -q "^[0-9.]*,total,,10,CPUID,counted,$sum10,$" "$out"'
check "csv: a column's line" eval 'grep -q "^[0-9.]*,$c0,0,10,CPUID,counted,5000,123456789,$" "$out"'
check "csv: the columns add up to the total line" eval '[ "$(awk -F, "NR > 1 && \$2 != \"total\" && \$5 == \"total\" { s += \$7 } NR > 1 && \$2 == \"total\" && \$5 == \"total\" { t = \$7 } END { print (s == t && t > 0) }" "$out")" = 1 ]'

psim percpu --per-cpu -r 10,30 -f json
check "--reason: those rows, in that order, the rest in other" jq_true '[.reasons[].reason] == [10,30] and .other.exits == .total.exits - .reasons[0].exits - .reasons[1].exits and .other.exits > 0 and (.other.cpus | map(.exits) | add) == .other.exits'
psim percpu --per-cpu -r 10,30
check "--reason: the other row in the table" eval 'stdout_has "^ *-  other "'
psim percpu --per-cpu -a -f json
check "--all: reasons 0-75" jq_true '(.reasons | length) >= 76 and .reasons[0].reason == 0'
psim percpu --per-cpu -s name -f json
check "--sort name" jq_true '[.reasons[].name] == ([.reasons[].name] | sort)'
psim percpu --per-cpu -s time -f json
check "--sort time: by the TOTAL column" jq_true '[.reasons[].cycles] == ([.reasons[].cycles] | sort | reverse)'
psim percpu --per-cpu -u us
check "--units: a time table in that unit, with the TSC rate" eval 'status_is 0 && stdout_has "^time (us):$" && stdout_has "^TSC rate 3000000000 Hz"'
psim percpu --per-cpu -r 10 -u us --tsc-hz 1000000000
check "--units: rounded times, and a note that they may not add up to TOTAL" eval 'status_is 0 && grep -Eq "^ +10  CPUID +123000 +23500 +147000$" "$out" && stdout_has "^note: times are summed from exact cycles, then each rounded to 3 significant figures: the rounded cells may not add up to TOTAL"'
psim percpu --per-cpu -r 10
check "in cycles, no note of rounding: the cells add up" eval 'status_is 0 && ! stdout_has "rounded" && grep -Eq "^ +10  CPUID +123456789 +23456789 +146913578$" "$out"'
psim percpu --per-cpu -u auto -f json
check "--units auto in json is ns" jq_true '.units == "ns" and .tsc_hz == 3000000000 and (.total.time > 0)'

if [ -n "$c1" ]; then
	set +e
	EXITSTAT_SIM=$tmp/percpu.sim taskset -c "$c0" $WRAP "$SIM" --per-cpu >"$out" 2>"$err"
	status=$?
	set -e
	check "--per-cpu under taskset: the allowed CPUs only, and a note" eval 'status_is 0 && grep -Eq "^REASON  NAME +CPU$c0 +TOTAL$" "$out" && stdout_has "TOTAL is not the VM"'
fi

# --- --per-cpu -- COMMAND -----------------------------------------------------
taskset -cp $$ | sed 's/.*: //' >"$tmp/mask"
psim busy --per-cpu -f json -- sh -c 'echo out; taskset -cp $$ | sed "s/.*: //" >"$0"; exit 3' "$tmp/child-mask"
mv "$out" "$tmp/stdout"
cp "$err" "$out"
check "-- COMMAND: the command's status, its output on stdout" eval 'status_is 3 && [ "$(cat "$tmp/stdout")" = out ]'
check "-- COMMAND: the report on stderr, since the command" jq_true '.since == "command" and .seconds > 0'
check "-- COMMAND: columns add up" jq_true '([.reasons[], .other, .total] | all(.exits == (.cpus | map(.exits) | add)))'
check "-- COMMAND: own CPUIDs left out, nothing else ran" jq_true '([.reasons[] | select(.reason == 10) | .exits] | add // 0) == 0 and .self.exits > 20 and (.reasons[] | select(.reason == 30) | .cpus[0].exits) > 0'
check "-- COMMAND: the command runs where exitstat could (not pinned)" eval '[ "$(cat "$tmp/child-mask")" = "$(taskset -c "$pair" sh -c "taskset -cp \$\$" | sed "s/.*: //")" ]'
psim busy --per-cpu -- /nonexistent/command
expect_error "-- COMMAND not found: 127, no report" 127 "cannot run '/nonexistent/command'"

# --- --cpu N --------------------------------------------------------------
psim percpu --cpu "$c0"
check "--cpu: that vCPU's figures, own CPUIDs left out" eval 'status_is 0 && stderr_empty && grep -Eq "^ +10  CPUID +counted +5000 " "$out" && stdout_has "^total: 6600 exits"'
check "--cpu: a note names the vCPU and the CPU" eval 'stdout_has "note: figures of vCPU 0 alone, read on CPU $c0"'
psim swapped --cpu "$c0" -f json
check "--cpu json: cpu and vcpu" jq_true ".cpu == $c0 and .vcpu == 1 and .total.exits == 3320 and (.reasons[] | select(.reason == 10) | .exits) == 3000"
psim percpu --cpu "$c0" -f csv
check "--cpu csv: cpu and vcpu after the timestamp" eval 'status_is 0 && head -1 "$out" | grep -q "^timestamp,cpu,vcpu,reason,name," && grep -q "^[0-9.]*,$c0,0,10,CPUID,counted,5000,123456789," "$out"'
psim percpu -f csv
check "without --cpu the csv has no cpu, vcpu columns" eval 'status_is 0 && head -1 "$out" | grep -q "^timestamp,reason,name," && grep -q "^[0-9.]*,10,CPUID,counted," "$out"'
psim percpu --cpu "$c0" -- sh -c 'taskset -cp $$ | sed "s/.*: //"; exit 4'
check "--cpu -- COMMAND: the command runs on that CPU, its status kept" eval 'status_is 4 && [ "$(cat "$out")" = "$c0" ]'
cp "$err" "$out"
check "--cpu -- COMMAND: the delta of that vCPU" eval 'stdout_has "^total: 0 exits" && stdout_has "note: figures of vCPU 0 alone"'
psim busy --cpu "$c0" -b -n 2 -i 0.1 -f json
check "--cpu -b json: every line that vCPU's" eval 'jq -e -s "length == 2 and all(.[]; .cpu == $c0 and .vcpu == 0 and .total.exits > 5700 and (.reasons | map(select(.reason == 48)) | all(.exits == 0)))" "$out" >/dev/null'
check "--cpu -b json: every line has the one-shot report's note" eval 'jq -e -s "all(.[]; .notes | index(\"figures of vCPU 0 alone, read on CPU $c0: every process that ran there, not the VM\"))" "$out" >/dev/null'
psim busy --cpu "$c0" -b -n 2 -i 0.1 -f csv
check "--cpu -b csv: every row says its cpu and vcpu" eval 'status_is 0 && [ "$(grep -c "^timestamp,cpu,vcpu,reason," "$out")" -eq 1 ] && [ "$(grep -vc "^timestamp" "$out")" -eq "$(grep -c "^[0-9.]*,$c0,0," "$out")" ] && grep -q "^[0-9.]*,$c0,0,,total,total," "$out"'
psim busy --cpu "$c0" -w -n 2 -i 0.1
check "--cpu -w (plain lines): that vCPU's total" eval 'status_is 0 && stdout_has "^total since VM start: 57[0-9][0-9] exits"'
check "--cpu -w: the header names the vCPU and the CPU" eval 'stdout_has "^exitstat  host KVMKVMKVM  vCPU 0 on CPU $c0  every"'

# --- --per-cpu -w, as plain lines (the panel in tmux: percpu-watch.sh) -----
psim busy --per-cpu -w -n 2 -i 0.1
check "--per-cpu -w: the panel, as plain lines" eval 'status_is 0 && grep -Eq "^ REASON NAME +CPU$c0" "$out" && grep -Eq "^ +30 IO_INSTRUCTION +[1-9][0-9]*\.[0-9]" "$out"'
check "--per-cpu -w: the header of the VM" eval 'stdout_has "^exitstat  host KVMKVMKVM"'
psim busy --per-cpu -b -n 3 -i 0.1
check "--per-cpu -b: the panel every interval" eval 'status_is 0 && [ "$(grep -c "^ REASON NAME  *CPU$c0" "$out")" -eq 3 ]'
sim percpu --help
check "--help: the --per-cpu synopsis has -i, -n, --ascii, --tsc-hz and operands" eval 'stdout_has "^ *\[--tsc-hz HZ\] \[-w \[-b\] \[-i SEC\] \[-n N\] \[--ascii\]\]" && stdout_has "\[INTERVAL \[COUNT\] | -- COMMAND"'
check "--help: what --host refuses, as the man page and the parser" stdout_has "-f prometheus, --per-cpu, --cpu or --list"
sim percpu --host --per-cpu;   expect_error "--host --per-cpu (as --help says)" 2 "--host shows whole VMs"
sim percpu --host --list;      expect_error "--host --list (as --help says)" 2 "--list takes no other option"
psim busy --per-cpu 0.1 2
check "--per-cpu INTERVAL COUNT: as -b" eval 'status_is 0 && [ "$(grep -c "^ REASON NAME  *CPU$c0" "$out")" -eq 2 ]'

# A CPU taken away while -b runs (tests/cpu-gone.so makes moving there
# fail, as a cpuset would): one line, status 3, no "out of memory".  A
# 64-bit preload: not for the 32-bit build.
gone_so=$here/cpu-gone.so
gone_cpu=${c1:-$c0}
if [ -f "$gone_so" ] && [ "$SUITE" != percpu-m32 ]; then
	rm -f "$tmp/gone"
	: >"$out" # not the last test's panels
	set +e
	EXITSTAT_SIM=$tmp/busy.sim taskset -c "$pair" env \
		EXITSTAT_TEST_GONE_FILE="$tmp/gone" EXITSTAT_TEST_GONE_CPU="$gone_cpu" \
		LD_PRELOAD="$gone_so" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		$WRAP "$SIM" --per-cpu -b -i 0.1 -n 3000 >"$out" 2>"$err" &
	pid=$!
	i=0
	while [ $i -lt 300 ] && ! grep -q "^ REASON NAME" "$out"; do sleep 0.1; i=$((i + 1)); done
	: >"$tmp/gone"
	wait $pid
	status=$?
	set -e
	check "--per-cpu -b, a CPU taken away: status 3, one line, nothing of memory" eval 'status_is 3 && stderr_one_line && stderr_has "^exitstat: cannot run on CPU $gone_cpu any more (Invalid argument): its vCPU can no longer be read$"'
	check "... after the panels printed until then" stdout_has "^ REASON NAME  *CPU$c0"
fi

# --- errors: one line, a status, nothing on stdout --------------------------
sim percpu --cpu abc;           expect_error "--cpu abc" 2 "--cpu 'abc' is invalid"
sim percpu --cpu -1;            expect_error "--cpu -1" 2 "--cpu '-1' is invalid"
sim percpu --cpu 4294967296;    expect_error "--cpu 2^32" 2 "--cpu '4294967296' is out of range"
sim percpu --cpu 1024;          expect_error "--cpu 1024" 2 "out of range (a CPU number, 0 to 1023)"
sim percpu --cpu 0x1;           expect_error "--cpu in hexadecimal" 2 "--cpu '0x1' is not a decimal number (a CPU number, 0 to 1023)"
sim percpu --cpu '';            expect_error "--cpu empty" 2 "--cpu '' is invalid"
sim percpu --cpu;               expect_error "--cpu without a value" 2 "option '--cpu' needs a value"
set +e
EXITSTAT_SIM=$tmp/percpu.sim taskset -c "$c0" $WRAP "$SIM" --cpu "${c1:-1023}" >"$out" 2>"$err"
status=$?
set -e
expect_error "--cpu: a CPU this process may not run on" 2 "CPU ${c1:-1023} is not online or not one this process may run on ($c0)"
sim percpu --cpu 1023;          expect_error "--cpu: a CPU that is not online" 2 "CPU 1023 is not online"
sim percpu --per-cpu --cpu 0;   expect_error "--per-cpu with --cpu" 2 "cannot be combined"
sim percpu --per-cpu --raw;     expect_error "--per-cpu with --raw" 2 "--raw cannot be combined with --per-cpu"
sim percpu --cpu "$c0" --raw;   expect_error "--cpu with --raw" 2 "--raw cannot be combined with --per-cpu or --cpu"
sim percpu --per-cpu -f prometheus; expect_error "--per-cpu -f prometheus" 2 "not with --per-cpu or --cpu"
sim percpu --cpu "$c0" -f prometheus; expect_error "--cpu -f prometheus" 2 "not with --per-cpu or --cpu"
sim percpu --per-cpu -b -f csv; expect_error "--per-cpu --batch -f csv" 2 "not json or csv lines"
sim percpu --per-cpu -w -f json; expect_error "--per-cpu -w -f json" 2 "not json or csv lines"
sim percpu --per-cpu --list;    expect_error "--per-cpu --list" 2 "--list takes no other option"
sim percpu --cpu 0 --list;      expect_error "--cpu --list" 2 "--list takes no other option"
sim percpu --per-cpu -i 1;      expect_error "--per-cpu -i without -w" 2 "need --watch"
sim percpu --per-cpu -s rate;   expect_error "--per-cpu sorted by rate" 2 "sorting by rate needs"

sim patched-ext --per-cpu;      expect_error "no per-vCPU feature: --per-cpu" 3 "does not give the figures of one vCPU (no per-vCPU bit"
sim patched-ext --cpu "$c0" -f json; expect_error "no per-vCPU feature: --cpu" 3 "does not give the figures of one vCPU"
sim patched-ext --per-cpu -w -n 1; expect_error "no per-vCPU feature: --per-cpu -w" 3 "does not give the figures of one vCPU"
sim patched --cpu "$c0";        expect_error "no EXST: --cpu" 3 "(no EXST extension)"
sim unpatched-intel --per-cpu;  expect_error "no interface: --per-cpu" 3 "does not provide the exit-statistics CPUID leaves"
sim bare-metal --cpu "$c0" -- true; expect_error "no hypervisor: --cpu -- COMMAND runs nothing" 3 "not running under a hypervisor"
summary
