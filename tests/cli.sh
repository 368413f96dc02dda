#!/bin/sh
# The command line, end to end: the real code paths over the simulated host.
set -eu
SUITE=${SUITE:-cli}
. "$(dirname "$0")/lib.sh"
WRAP=${WRAP:-}
root=$(cd "$here/.." && pwd)

# --- help, version, and the man page agreeing with them -------------------
sim patched --help
check "--help prints usage on stdout" eval 'status_is 0 && stdout_has "^usage: exitstat" && stderr_empty'
sim patched -h
check "-h is --help" stdout_has "--reason SPEC"
sim patched --version
check "--version" eval 'status_is 0 && grep -qx "exitstat [0-9][0-9.]*" "$out"'
sim patched -V
check "-V is --version" grep -qx "exitstat [0-9][0-9.]*" "$out"

sim patched --help
help_opts=$(grep -o -- '--[a-z][a-z-]*' "$out" | sort -u)
man_opts=$(sed -n 's/^\.It Fl [a-zA-Z] , Fl Fl \([a-z][a-z-]*\).*/--\1/p; s/^\.It Fl Fl \([a-z][a-z-]*\).*/--\1/p' \
	"$root/man/exitstat.1" | sort -u)
check "--help and the man page list the same long options" [ "$help_opts" = "$man_opts" ]
help_short=$(grep -o -- '^  -[a-zA-Z],' "$out" | tr -d ' ,' | sort -u)
man_short=$(sed -n 's/^\.It Fl \([a-zA-Z]\) , Fl .*/-\1/p' "$root/man/exitstat.1" | sort -u)
check "--help and the man page list the same short options" [ "$help_short" = "$man_short" ]
missing_opts=""
for opt in $help_opts; do
	grep -q -- "{ \"$(echo "$opt" | cut -c3-)\"," "$root/src/cli.c" ||
		missing_opts="$missing_opts $opt"
done
check "every option in --help exists in the parser" eval '[ -n "$help_opts" ] && [ -z "$missing_opts" ]'
man_status=$(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh/p' "$root/man/exitstat.1" | sed -n 's/^\.It \([0-9][0-9]*\)$/\1/p' | tr '\n' ' ')
check "the man page documents every exit status" [ "$man_status" = "0 1 2 3 126 127 129 130 143 " ]
sim patched --help
check "--help gives the status after a signal" stdout_has "ended by a signal:"
# "0 done", "130 SIGINT": each number --help gives a meaning to.
help_status=$(sed -n '/^Exit status:/,$p' "$out" | grep -Eo '(^|[ (])[0-9]+ [A-Za-z]' | grep -Eo '[0-9]+' | tr '\n' ' ')
check "--help and the man page give the same exit statuses" [ "$help_status" = "$man_status" ]

for page in "$root"/man/*.[0-9]; do
	check "$(basename "$page") is clean mdoc" eval '[ -z "$(mandoc -Tlint -W warning "$page" 2>&1)" ]'
done

# --- usage errors: one line on stderr, status 2, nothing on stdout --------
sim patched --bogus;            expect_error "unknown long option" 2 "unknown option '--bogus'"
sim patched -x;                 expect_error "unknown short option" 2 "unknown option -x"
sim patched -r;                 expect_error "-r without a value" 2 "option -r needs a value"
sim patched --reason;           expect_error "--reason without a value" 2 "option '--reason' needs a value"
sim patched --reason abc;       expect_error "reason abc" 2 "unknown exit reason 'abc'"
sim patched --reason -1;        expect_error "reason -1" 2 "reason '-1' is invalid"
sim patched --reason 4294967296; expect_error "reason 2^32" 2 "reason '4294967296' is out of range"
sim patched --reason 65536;     expect_error "reason 2^16" 2 "out of range"
sim patched --reason '';        expect_error "empty reason list" 2 "empty reason list"
sim patched --reason '10,,12';  expect_error "empty item" 2 "empty item"
sim patched --reason '10-5';    expect_error "backwards range" 2 "runs backwards"
sim patched --reason '5-';      expect_error "open range" 2 "needs both ends"
sim patched --reason 0x;        expect_error "bare 0x" 2 "invalid"
sim patched -a -r 10;           expect_error "--all with --reason" 2 "cannot be combined"
sim patched --sort size;        expect_error "bad sort key" 2 "unknown sort key 'size'"
sim patched --format xml;       expect_error "bad format" 2 "unknown format 'xml'"
sim patched --units hours;      expect_error "bad unit" 2 "unknown unit 'hours'"
sim patched --tsc-hz 0;         expect_error "--tsc-hz 0" 2 "out of range"
sim patched --tsc-hz abc;       expect_error "--tsc-hz abc" 2 "invalid"
sim patched --tsc-hz -5;        expect_error "--tsc-hz negative" 2 "invalid"
sim patched --tsc-hz 18446744073709551616; expect_error "--tsc-hz overflow" 2 "out of range"
sim patched stray;              expect_error "stray argument" 2 "interval 'stray' is invalid"

# --- --reason: numbers, names, ranges, lists ------------------------------
sim patched --reason 10 --format json
check "--reason 10 reports CPUID" jq_true '.reasons | length == 1 and .[0].reason == 10 and .[0].name == "CPUID" and .[0].status == "counted"'
# The count read includes its own exit, the cycles read excludes its own;
# both are corrected alike, so the scenario's figures come out exactly.
check "own reads left out of reason 10: exact count and cycles" jq_true '.reasons[0].exits == 5000 and .reasons[0].cycles == 123456789 and .self.included == false and .self.exits > 5'
sim patched --reason cpuid,EPT_VIOLATION,exit_reason_hlt,RdMsR -f json
check "--reason by names, in the order given" jq_true '[.reasons[].reason] == [10,48,12,31]'
sim patched -r 0-3,10 -r 0x30 -r 12 -r 10 -f json
check "ranges, lists, hex and repeated -r" jq_true '[.reasons[].reason] == [0,1,2,3,10,48,12]'
sim patched -r 10,12 --sort reason -f json
check "--sort applies to --reason" jq_true '[.reasons[].reason] == [10,12]'
sim patched -r 12,10 -f json
check "--reason keeps the order given" jq_true '[.reasons[].reason] == [12,10]'
sim patched -r 35,38,42,71,82,83,86,1000 -f json
check "undefined reasons are marked undefined" jq_true '[.reasons[].status] | all(. == "undefined")'
check "undefined reasons have no name" jq_true '[.reasons[] | .name] | all(. == null)'
sim patched -r 80,81 -f json
check "80 and 81 (the ISE's URDMSR, UWRMSR) are defined and named" \
	jq_true '[.reasons[] | [.name, .status]] == [["URDMSR", "zero"], ["UWRMSR", "zero"]]'

# A reason that answered "unhandled" is read again once the total holds
# exits no listed reason explains: the host counts exits under reasons it
# has no handler for (failed entries, exits passed to a nested hypervisor).
sim unhandled-later -b -n 3 -i 0.1 -f json
check "an unhandled reason that gets exits shows them by the third refresh" \
	eval "jq -e -s '[.[] | [.reasons[] | select(.reason == 33) | .exits][0] // 0] | .[0] == 0 and .[2] >= 2' \"\$out\" >/dev/null"
check "and it is then counted, no longer unhandled" \
	eval "jq -e -s '[.[2].reasons[] | select(.reason == 33) | .status] == [\"counted\"]' \"\$out\" >/dev/null"
sim patched -r 77 -f json
check "--reason 77 decodes as TDCALL" jq_true '.reasons[0].name == "TDCALL"'
sim patched -r 77
check "--reason 77 in a table" grep -Eq '^ +77 +TDCALL +' "$out"

# --- --all ----------------------------------------------------------------
sim patched-ext --all -f json
check "--all covers 0-75 in order" jq_true '[.reasons[].reason] == [range(0;76)]'
check "--all marks 35 38 42 71 undefined" jq_true '[.reasons[] | select(.status == "undefined") | .reason] == [35,38,42,71]'
check "--all marks the host's unhandled reasons (extension)" jq_true '[.reasons[] | select(.status == "unhandled") | .reason] == [3,4,5,6,11,16,17,33,34,51,63,64,65,66,67,68,69,70,72,73]'
check "--all marks handled reasons without exits idle" jq_true '[.reasons[] | select(.status == "idle")] | length == 76 - 4 - 20 - 5'
check "totals cover the per-reason sum" jq_true '.total.exits >= ([.reasons[].exits] | add) and .total.cycles >= ([.reasons[].cycles] | add)'
check "64-bit counts with the extension" jq_true '.host.count_bits == 64 and (.reasons[48].exits == 4294967301)'
check "64-bit cycles joined" jq_true '.reasons[48].cycles == 78187493530'
check "shares are percentages of the totals" jq_true '(.reasons[48].exits_pct - 100 * .reasons[48].exits / .total.exits | fabs) < 0.001 and (.reasons[48].cycles_pct - 100 * .reasons[48].cycles / .total.cycles | fabs) < 0.001'
check "average cycles per exit" jq_true '(.reasons[12].avg_cycles - 100000) | fabs < 0.001'
check "no average without exits" jq_true '.reasons[0].avg_cycles == null'
sim patched --all -f json
check "base contract: zeros cannot be told apart" jq_true '[.reasons[] | select(.status == "zero")] | length == 76 - 4 - 5'
check "base contract: 32-bit counts" jq_true '.host.count_bits == 32 and .reasons[48].exits == 4294967295'
check "a wrapped 32-bit total gives no share" jq_true '.reasons[48].exits_pct == null'
sim patched --all
check "--all table has a header and 76 rows" eval '[ "$(grep -Ec "^ +[0-9]+  " "$out")" -eq 76 ] && stdout_has "^host KVMKVMKVM"'
check "the table explains the zero status" stdout_has "^note: 'zero' means"
check "32-bit hosts are labelled" stdout_has "32-bit (wrapping) counts"

# --- default view ------------------------------------------------------------
sim patched -f json
check "default: only reasons with exits" jq_true '[.reasons[].reason] | sort == [1,10,12,30,48]'
check "default: most frequent first" jq_true '[.reasons[].exits] == ([.reasons[].exits] | sort | reverse)'
sim patched
check "default table: totals line" grep -Eq '^total: [0-9]+ exits, [0-9]+ cycles handling them' "$out"

# --- sorting -----------------------------------------------------------------
sim patched-ext -f json --sort time
check "--sort time" jq_true '[.reasons[].cycles] == ([.reasons[].cycles] | sort | reverse)'
sim patched-ext -f json --sort avg
check "--sort avg" jq_true '[.reasons[].avg_cycles] == ([.reasons[].avg_cycles] | sort | reverse)'
sim patched-ext -f json --sort name
check "--sort name" jq_true '[.reasons[].name] == ([.reasons[].name] | sort)'
sim patched-ext -f json -s reason
check "-s reason" jq_true '[.reasons[].reason] == [1,10,12,30,48]'
sim patched-ext -f json --sort count
check "--sort count" jq_true '[.reasons[].reason] == [48,10,12,30,1]'

# --- 32-bit wrap and junk registers ---------------------------------------
sim wrap -r 10 -f json
check "own reads that wrap a 32-bit count are taken out modulo 2^32" jq_true '.reasons[0].exits == 4294967290'
sim garbage -r 10,30 -f json
check "junk in ebx is ignored without the signature" jq_true '.reasons[1].exits == 700 and .total.exits < 100000'

# --- formats --------------------------------------------------------------
csv_header=timestamp,reason,name,status,exits,cycles,avg_cycles,time,avg_time,exits_per_s,host_cpu_percent,exits_pct,cycles_pct
sim patched-ext --all -f csv
check "CSV header: the JSON row fields after a timestamp" eval '[ "$(head -1 "$out")" = "$csv_header" ]'
check "CSV: 76 reasons and a total row" eval '[ "$(lines "$out")" -eq 78 ] && tail -1 "$out" | grep -q "^[0-9.]*,,total,total,"'
check "CSV: every row has 13 fields" eval '[ "$(awk -F, "NF != 13" "$out" | wc -l)" -eq 0 ]'
check "CSV: 64-bit figures" grep -q '^[0-9.]*,48,EPT_VIOLATION,counted,4294967301,78187493530,' "$out"
sim patched-ext --all -f csv --units ms --tsc-hz 1000000000
check "CSV with units: the same columns, time filled" eval '[ "$(head -1 "$out")" = "$csv_header" ] && grep -q "^[0-9.]*,48,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,78187.493530," "$out"'

# --- units and the TSC rate ------------------------------------------------
sim patched-ext -r 48 --units us --tsc-hz 1000000000 -f json
check "--units us with --tsc-hz" jq_true '.units == "us" and .tsc_hz == 1000000000 and (.reasons[0].time - 78187493.530 | fabs) < 0.001'
sim patched-ext -r 48 --units s --tsc-hz 1000000000
check "--units s in a table, 3 significant figures" eval 'stdout_has "TIME(s)" && stdout_has " 78.2 "'
sim tsc-leaf15 -r 48 -u s -f json
check "TSC rate from leaf 0x15, named" jq_true '.tsc_hz == 3000000000 and .tsc_source == "CPUID leaf 0x15" and .reasons[0].time == 1'
sim tsc-leaf16 -r 48 -u s -f json
check "TSC rate from leaf 0x16, named" jq_true '.tsc_hz == 2100000000 and .tsc_source == "CPUID leaf 0x16" and .reasons[0].time == 1'
sim tsc-hvleaf -r 48 -u s -f json
check "TSC rate from leaf 0x40000010, named" jq_true '.tsc_hz == 1800000000 and .tsc_source == "CPUID leaf 0x40000010" and .reasons[0].time == 1'
sim tsc-none -r 48 -u ns -f json
check "TSC rate by calibration, named" jq_true '.tsc_hz > 10000000 and (.tsc_source | test("calibration"))'
sim tsc-leaf15 -r 48 -u ns --tsc-hz 1000 -f json
check "--tsc-hz overrides the leaves, and is named" jq_true '.tsc_hz == 1000 and .tsc_source == "--tsc-hz"'
sim patched-ext -r 48 -u cycles -f json
check "--units cycles: time fields are null" jq_true '.units == "cycles" and .tsc_hz == null and .reasons[0].time == null and .total.avg_time == null'

# A real host's exits vary in cost: the cycles of the client's own exits
# are estimated from the average over a snapshot's reads, not from one,
# and the parts still add up to the total with every share known.
for args in "-f json" "-b -n 3 -i 0.1 -f json"; do
	sim uneven-self $args
	check "uneven own-exit costs ($args): every share known, parts add up" \
		eval "jq -e -s 'all(.[]; ([.reasons[].cycles_pct, .other.cycles_pct] | all(. != null)) and .total.cycles == ([.reasons[].cycles] | add) + .other.cycles)' \"\$out\" >/dev/null"
done
sim uneven-self -f json -- true
check "uneven own-exit costs (-- true): every share known" \
	eval "jq -e '[.reasons[].cycles_pct, .other.cycles_pct] | all(. != null)' \"\$err\" >/dev/null"

# A reason's cycles are added when its exit ends, after its count: a count
# that stopped changing gets its cycles read once more, so that they do not
# stay in the other row.
sim late-cycles -b -n 5 -i 0.1 -f json
check "cycles added after their count still reach their reason" \
	eval "jq -e -s '.[-1] | ([.reasons[] | select(.reason == 30) | .cycles] == [7000700]) and .other.cycles == 0' \"\$out\" >/dev/null"

# --- --raw ----------------------------------------------------------------
sim patched-ext --raw -r 10
check "--raw lists every CPUID" eval 'status_is 0 && [ "$(lines "$out")" -eq 11 ] && head -1 "$out" | grep -q "^leaf 0x00000001 ecx 0x00000000 -> eax "'
check "--raw shows the per-reason leaves" grep -q '^leaf 0x4ffffffe ecx 0x0000000a -> eax 0x00001390 ebx 0x00000000 ecx 0x00000000 edx 0x54535845$' "$out"
sim patched-ext --raw -r 10 -f json
check "--raw JSON" jq_true 'length == 11 and .[0].leaf == 1 and .[-1].leaf == 1342177277'
sim patched-ext -r 10 -f json
exits=$(jq '.reasons[0].exits' "$out")
sim patched-ext --raw -r 10 -f json
# The raw count includes every CPUID issued up to it; the report leaves them out.
check "the report decodes what --raw shows" jq_true "(map(.leaf == 1342177278 and .subleaf == 10) | rindex(true)) as \$i | .[\$i].eax == $exits + \$i + 1"
sim patched-ext --raw -a -f csv
# 6 probes, a count for 0-85, cycles for the 5 reasons with exits (10 twice), 2 totals.
check "--raw CSV: header and 6+86+6+2 rows" eval '[ "$(head -1 "$out")" = "leaf,subleaf,eax,ebx,ecx,edx" ] && [ "$(lines "$out")" -eq 101 ]'
sim unpatched-intel --raw
check "--raw on a host without the leaves still dumps, then says so" eval 'status_is 3 && stdout_has "^leaf 0x4ffffffe ecx 0x00000023" && stderr_one_line'

# --- hosts without the interface ---------------------------------------------
sim unpatched-intel;  expect_error "unpatched Intel KVM" 3 "hypervisor 'KVMKVMKVM' does not provide the exit-statistics CPUID leaves"
sim unpatched-amd;    expect_error "unpatched AMD KVM" 3 "hypervisor 'KVMKVMKVM' does not provide"
sim other-hypervisor -a; expect_error "another hypervisor" 3 "hypervisor 'VMwareVMware' does not provide"
sim bare-metal -r 10; expect_error "no hypervisor" 3 "not running under a hypervisor"
sim unpatched-intel -f json; expect_error "no interface: no partial JSON" 3 "does not provide"

# --- this machine, for real ---------------------------------------------------
real --all
check "the real binary on this machine: one clean line, status 3" eval 'status_is 3 && stdout_empty && stderr_one_line && grep -Eq "does not provide the exit-statistics CPUID leaves|not running under a hypervisor" "$err"'
real --reason 10 -f json
check "the real binary: no partial JSON" eval 'status_is 3 && stdout_empty'
real --raw -r 10
check "the real binary: --raw shows this machine's answers" eval 'status_is 3 && stdout_has "^leaf 0x00000001 ecx 0x00000000 -> "'

# --- usage errors of the views over time -----------------------------------
sim busy -i 1;                  expect_error "--interval needs --watch" 2 "need --watch or --batch"
sim busy -n 3;                  expect_error "--iterations needs --watch" 2 "need --watch or --batch"
sim busy -w -i 0.05;            expect_error "interval below 0.1" 2 "interval '0.05' is out of range"
sim busy -w -i abc;             expect_error "interval abc" 2 "interval 'abc' is invalid"
sim busy -w -i -1;              expect_error "interval -1" 2 "invalid"
sim busy -w -n 0;               expect_error "zero iterations" 2 "iterations '0' is out of range"
sim busy -w -n 4294967296;      expect_error "too many iterations" 2 "out of range"
sim busy -w -- true;            expect_error "--watch with a command" 2 "cannot be combined with a command"
sim busy --raw -- true;         expect_error "--raw with a command" 2 "--raw cannot be combined"
sim busy --;                    expect_error "-- without a command" 2 "must be followed by a command"
sim busy --sort rate;           expect_error "rate without a view" 2 "sorting by rate needs"
sim busy --ascii;               expect_error "--ascii without a view" 2 "--ascii needs --watch or --batch"
sim busy --list --ascii;        expect_error "--list with --ascii" 2 "--list takes no other option"

# --- batch mode ---------------------------------------------------------------
sim busy -b -n 3 -i 0.1
check "batch table: three updates" eval '[ "$(grep -c "^exitstat  host KVMKVMKVM  every 0.1s" "$out")" -eq 3 ] && status_is 0'
check "batch table: the sorted column is marked" eval '[ "$(grep -c "^ REASON NAME  *EXITS  *\*EXITS/S" "$out")" -eq 3 ]'
check "batch table: own exits left out of CPUID" eval 'grep -Eq "^ +10 CPUID +5000 +0\.0 " "$out"'
check "batch table: rates from the steps" eval 'grep -Eq "^ +30 IO_INSTRUCTION +[0-9]+ +[1-9][0-9]\.[0-9] " "$out"'
sim busy -b -n 2 -i 0.1 --ascii
check "--ascii with batch lines: the same '#' bars" eval 'status_is 0 && grep -Eq "^ +30 IO_INSTRUCTION .* #+$" "$out"'
sim busy --watch -n 2 -i 0.1
check "--watch to a pipe falls back to batch" eval 'status_is 0 && [ "$(grep -c "^exitstat  host" "$out")" -eq 2 ]'
sim busy -b -n 3 -i 0.1 -f json
check "batch JSON: one valid object per line" eval '[ "$(lines "$out")" -eq 3 ] && [ "$(jq -c . "$out" | wc -l)" -eq 3 ]'
# One rule: figures since VM start, like the view; rates over the interval.
check "batch JSON: figures since VM start, as the table" eval 'jq -e -s "all(.[]; .since == \"vm_start\") and [.[].reasons[] | select(.reason == 30) | .exits] == [714, 721, 728]" "$out" >/dev/null'
check "batch JSON: rates over the interval" eval 'jq -e -s "all(.[]; .seconds as \$s | ([.reasons[] | select(.reason == 30) | .exits_per_s * \$s - 7 | fabs] | .[0] < 0.01) and (.total.exits_per_s * \$s - 9 | fabs) < 0.01)" "$out" >/dev/null'
check "batch JSON: own exits left out of CPUID and said so" eval 'jq -e -s "all(.[]; ([.reasons[] | select(.reason == 10) | .exits] == [5000]) and .self.included == false and (.notes[0] | test(\"left out\")))" "$out" >/dev/null'
check "batch JSON: timestamps" eval 'jq -e -s "all(.[]; .timestamp > 1600000000 and .seconds > 0.02)" "$out" >/dev/null'
sim busy -b -n 2 -i 0.1 -f json --include-self
check "--include-self: the client's CPUIDs kept, parts add up" eval 'jq -e -s "all(.[]; .self.included and ([.reasons[] | select(.reason == 10) | .exits] == [5000 + .self.exits]) and .total.exits == ([.reasons[].exits] | add) + .other.exits)" "$out" >/dev/null'
sim busy -b -n 2 -i 0.1 -f json -a
check "batch JSON with --all: 76 reasons a line" eval 'jq -e -s "all(.[]; (.reasons | length) == 76)" "$out" >/dev/null'
sim busy -b -n 2 -i 0.1 -f json -r 30
check "batch JSON with --reason" eval 'jq -e -s "all(.[]; [.reasons[].reason] == [30])" "$out" >/dev/null'
sim busy -b -n 3 -i 0.1 -f csv
check "batch CSV: one header with a timestamp column" eval '[ "$(grep -c "^timestamp,reason,name," "$out")" -eq 1 ] && head -1 "$out" | grep -q "^timestamp,"'
check "batch CSV: reasons and a total row per update" eval '[ "$(grep -c ",total,total," "$out")" -eq 3 ] && [ "$(grep -c ",30,IO_INSTRUCTION,counted,7[0-9][0-9]," "$out")" -eq 3 ]'
check "batch CSV: every row has 13 fields" eval '[ "$(awk -F, "NF != 13" "$out" | wc -l)" -eq 0 ]'
sim wrap-step -b -n 2 -i 0.1 -f json -r 30
check "a 32-bit count that wraps between samples gives the right rate" eval 'jq -e -s "all(.[]; (.reasons[0].exits_per_s * .seconds - 7 | fabs) < 0.01)" "$out" >/dev/null'
sim busy -b -n 2 -i 0.1 -u us --tsc-hz 1000000
check "batch table with --units" eval 'grep -q "TIME(us)" "$out"'
sim busy -b -n 2 -i 0.1 --sort name -f json
check "batch honours --sort" eval 'jq -e -s "all(.[]; [.reasons[].name] == ([.reasons[].name] | sort))" "$out" >/dev/null'

# A stall (here SIGSTOP) must not be followed by a burst of tiny intervals.
set +e
EXITSTAT_SIM=$scenarios/busy.sim $WRAP "$SIM" -b -n 4 -i 0.2 -f json >"$out" 2>"$err" &
pid=$!
sleep 0.5
kill -STOP "$pid"
sleep 1
kill -CONT "$pid"
wait "$pid"
status=$?
set -e
check "batch after a stall: no burst of short intervals" eval 'status_is 0 && jq -e -s "length == 4 and all(.[]; .seconds > 0.15)" "$out" >/dev/null'

# A signal ends batch mode at once, with 128 + its number as a shell reports
# it, so that a loop around exitstat can be stopped.
for sig in INT:130 TERM:143 HUP:129; do
	set +e
	EXITSTAT_SIM=$scenarios/busy.sim $WRAP "$SIM" -b -i 30 -f json >"$out" 2>"$err" &
	pid=$!
	# Signal it once it waits for the next interval: earlier, a signal
	# that a background job inherits as ignored would be lost, and a slow
	# start (valgrind, a loaded machine) must not make the test hang.
	tries=0
	until grep -q poll_schedule_timeout "/proc/$pid/wchan" 2>/dev/null ||
		[ "$tries" -ge 300 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	started=$(date +%s%N)
	kill -"${sig%:*}" "$pid"
	tries=0
	while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 100 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid"
	status=$?
	took=$((($(date +%s%N) - started) / 1000000))
	set -e
	check "batch ends on SIG${sig%:*} with status ${sig#*:}, in ${took} ms" eval 'status_is ${sig#*:} && [ "$took" -lt 2000 ] && stderr_empty'
done

# --- exitstat -- COMMAND -------------------------------------------------------
sim busy -- true
check "-- true: status 0, report on stderr, stdout left to the command" eval 'status_is 0 && stdout_empty && stderr_has "^total: 9 exits"'
check "-- COMMAND says the figures are VM-wide" stderr_has "VM-wide"
check "-- COMMAND says its own exits are left out" stderr_has "own [0-9][0-9]* CPUID exits are left out"
check "-- COMMAND shows rates over its wall time" stderr_has "exits/s over [0-9.]* s"
sim busy -- sh -c 'echo hello; exit 3'
check "-- COMMAND: its exit status and its output pass through" eval 'status_is 3 && [ "$(cat "$out")" = hello ]'
sim busy -- sh -c 'kill -9 $$'
check "-- COMMAND killed by a signal: 128+N" status_is 137
sim busy -- /nonexistent/command
expect_error "-- a command that does not exist: 127" 127 "cannot run '/nonexistent/command'"
sim busy -- "$scenarios/busy.sim"
expect_error "-- a command that cannot be run: 126" 126 "Permission denied"
sim busy -f json -- true
check "-- COMMAND with JSON on stderr" eval 'jq -e ".total.exits == 9 and .since == \"command\" and .seconds > 0 and (.notes | length) == 2" "$err" >/dev/null'
sim busy -f json --include-self -- true
check "-- COMMAND --include-self" eval 'jq -e ".self.exits > 0 and .total.exits == 9 + .self.exits and ([.reasons[] | select(.reason == 10) | .exits] == [.self.exits])" "$err" >/dev/null'
sim busy -a -f csv -- true
check "-- COMMAND with --all and CSV" eval '[ "$(grep -c "^[0-9.]*,[0-9][0-9]*," "$err")" -eq 76 ]'
sim unpatched-intel -- touch "$tmp/ran"
check "-- COMMAND on a host without the interface is not run" eval 'status_is 3 && [ ! -e "$tmp/ran" ]'

# --- figures that add up (counts and cycles alike) -------------------------
# parts_add_up FILE: the reasons and the other row make the total.
parts_add_up() {
	jq -e -s 'all(.[]; .total.exits == ([.reasons[].exits] | add) + .other.exits and .total.cycles == ([.reasons[].cycles] | add) + .other.cycles)' "$1" >/dev/null
}
sim busy -b -n 1 -i 0.1 -f json
check "batch: own CPUID cycles left out as their counts are" jq_true '([.reasons[] | select(.reason == 10)][0] | .exits == 5000 and .cycles == 123456789) and .self.cycles_each == 1000'
check "batch: parts add up to the total, counts and cycles" parts_add_up "$out"
sim busy -f json -- true
cp "$err" "$out"
check "-- true: the average is that of the other exits, not of own CPUIDs" jq_true '.total.exits == 9 and .total.cycles == 4900'
check "-- true: cycle shares add up to 100 %" jq_true '([.reasons[].cycles_pct] | add) + .other.cycles_pct | . > 99.99 and . < 100.01'
check "-- true: parts add up" parts_add_up "$out"
sim busy -f json
check "one-shot: own reads left out, as in every mode" jq_true '.since == "vm_start" and .self.included == false and ([.reasons[] | select(.reason == 10) | .exits, .cycles] == [5000, 123456789])'
check "one-shot: parts add up" parts_add_up "$out"
sim busy -f json --include-self
check "one-shot --include-self: own reads kept, parts add up" eval 'jq_true "[.reasons[] | select(.reason == 10) | .exits] == [5000 + .self.exits]" && parts_add_up "$out"'

# --- reasons above 75, and the other row -------------------------------------
sim high-reasons -f json
check "reasons above 75 with exits are shown" jq_true '[.reasons[].reason] == [84, 10, 30] and .reasons[0].name == "MSR_READ_IMM"'
check "exits in the totals only make the other row" jq_true '.other.exits == 2000 and .other.cycles == 3000000'
check "shares count the other row" jq_true '(.reasons[0].exits_pct - 100 * 100000 / 107700 | fabs) < 0.001'
sim high-reasons --all -f json
check "--all: 0-75, then above 75 only with exits" jq_true '[.reasons[].reason] == [range(0;76)] + [84]'
sim high-reasons
check "table: the other row" grep -Eq '^ +- +other +other +2000 +3000000 ' "$out"
sim high-reasons -f csv
check "CSV: the other row" grep -q '^[0-9.]*,,other,other,2000,3000000,' "$out"
sim patched-ext -f json
check "JSON: the other row is zero when the reasons make the total" jq_true '.other.exits == 0 and .other.cycles == 0 and .other.exits_pct == 0'
sim patched-ext
check "table: no other row when it is zero" eval '! grep -q " other " "$out"'
sim patched -f json
check "a wrapped 32-bit total: every exit share unknown, said once" jq_true '[.reasons[].exits_pct] | all(. == null)'
check "a wrapped 32-bit total: a note says why" jq_true '.notes | any(test("wrapped"))'

# --- counters that go back ---------------------------------------------------
sim reset -b -n 3 -i 0.1 -f json
check "a counter reset starts a new baseline" eval 'jq -e -s "[.[].since] == [\"vm_start\", \"counter_reset\", \"counter_reset\"] and [.[].counter_reset] == [false, true, false]" "$out" >/dev/null'
check "figures after a counter reset are exact, never huge" eval 'jq -e -s "[.[] | [.reasons[] | select(.reason == 30) | .exits][0]] == [714, 7, 14] and all(.[]; .total.exits < 10000)" "$out" >/dev/null'
sim reset -b -n 2 -i 0.1
check "a counter reset is said in the batch table" eval 'stdout_has "host counters went back" && stdout_has "total since counter reset"'
sed 's/reset after 2/reset after 1/' "$scenarios/reset.sim" >"$tmp/reset1.sim"
set +e
EXITSTAT_SIM=$tmp/reset1.sim $WRAP "$SIM" -f json -- true >"$out" 2>"$err"
status=$?
set -e
check "-- COMMAND: a counter reset during the command is said" eval 'status_is 0 && jq -e ".since == \"counter_reset\" and .counter_reset and .total.exits == 18" "$err" >/dev/null'

# --- -- COMMAND: its status, whatever it is ------------------------------------
sim busy -- sh -c 'exit 127'
check "-- a command that itself exits 127: its status and the report" eval 'status_is 127 && stderr_has "^total: 9 exits"'
sim busy -- sh -c 'exit 126'
check "-- a command that itself exits 126: its status and the report" eval 'status_is 126 && stderr_has "^total: 9 exits"'
set +e
EXITSTAT_SIM=$scenarios/busy.sim env --ignore-signal=CHLD $WRAP "$SIM" -- sh -c 'exit 5' >"$out" 2>"$err"
status=$?
set -e
check "-- COMMAND with SIGCHLD inherited as ignored: the real status" eval 'status_is 5 && stderr_has "^total: 9 exits"'

# --- CPUIDs issued (each one an exit of the reason shown) ------------------
oneshot=$("$here/cpuid-count.sh" "$SIM" "$scenarios/busy.sim" oneshot)
check "one-shot report on busy.sim: at most 0.65 x 154 CPUIDs ($oneshot)" [ "$oneshot" -le 100 ]
refresh=$("$here/cpuid-count.sh" "$SIM" "$scenarios/busy.sim" refresh)
check "batch refresh on busy.sim: at most 0.45 x 154 CPUIDs ($refresh)" [ "${refresh%.*}" -le 69 ]
sim busy -f json
check "the report counts the CPUIDs it issued" jq_true ".self.exits == $oneshot - 1"
sim busy -b -n 3 -i 0.1 -f json -a
check "fewer reads, same figures: cycles follow the counts" eval 'jq -e -s "[.[].reasons[] | select(.reason == 30) | .cycles] == [7001800, 7002700, 7003600] and [.[].reasons[] | select(.reason == 48) | .cycles] == [9008000, 9012000, 9016000]" "$out" >/dev/null'
check "fewer reads, same figures: statuses kept" eval 'jq -e -s "all(.[]; ([.reasons[] | select(.status == \"unhandled\")] | length) == 20 and ([.reasons[] | select(.status == \"undefined\")] | length) == 4)" "$out" >/dev/null'

# --- pipes and write errors ------------------------------------------------
set +e
EXITSTAT_SIM=$scenarios/patched-ext.sim $WRAP "$SIM" --all 2>"$err" | head -1 >"$out"
set -e
check "exitstat --all | head -1 prints no error" eval 'stderr_empty && stdout_has "^host KVMKVMKVM"'
set +e
(trap '' PIPE; EXITSTAT_SIM=$scenarios/patched-ext.sim $WRAP "$SIM" --all --raw 2>"$err" | head -1 >"$out")
set -e
check "a closed pipe with SIGPIPE ignored prints no error" stderr_empty
if [ -w /dev/full ]; then
	set +e
	EXITSTAT_SIM=$scenarios/patched-ext.sim $WRAP "$SIM" --all >/dev/full 2>"$err"
	status=$?
	set -e
	: >"$out"
	expect_error "a full disk is an error" 1 "write error"
fi

summary
