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
man_opts=$(sed -n 's/^\.It Fl [a-zA-Z] , Fl Fl \([a-z-]*\).*/--\1/p; s/^\.It Fl Fl \([a-z-]*\).*/--\1/p' \
	"$root/man/exitstat.1" | sort -u)
check "--help and the man page list the same long options" [ "$help_opts" = "$man_opts" ]
help_short=$(grep -o -- '^  -[a-zA-Z],' "$out" | tr -d ' ,' | sort -u)
man_short=$(sed -n 's/^\.It Fl \([a-zA-Z]\) , Fl .*/-\1/p' "$root/man/exitstat.1" | sort -u)
check "--help and the man page list the same short options" [ "$help_short" = "$man_short" ]
for opt in $help_opts; do
	grep -q -- "\"$(echo "$opt" | cut -c3-)\"" "$root/src/cli.c" ||
		fail "--help option $opt exists in the parser"
done
ok "every option in --help exists in the parser"
man_status=$(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh/p' "$root/man/exitstat.1" | sed -n 's/^\.It \([0-9][0-9]*\)$/\1/p' | tr '\n' ' ')
check "the man page documents every exit status" [ "$man_status" = "0 1 2 3 126 127 " ]

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
sim patched --sort rate;        expect_error "rate is for the live view" 2 "unknown sort key 'rate'"
sim patched --format xml;       expect_error "bad format" 2 "unknown format 'xml'"
sim patched --units hours;      expect_error "bad unit" 2 "unknown unit 'hours'"
sim patched --tsc-hz 0;         expect_error "--tsc-hz 0" 2 "out of range"
sim patched --tsc-hz abc;       expect_error "--tsc-hz abc" 2 "invalid"
sim patched --tsc-hz -5;        expect_error "--tsc-hz negative" 2 "invalid"
sim patched --tsc-hz 18446744073709551616; expect_error "--tsc-hz overflow" 2 "out of range"
sim patched stray;              expect_error "stray argument" 2 "unexpected argument 'stray'"

# --- --reason: numbers, names, ranges, lists ------------------------------
sim patched --reason 10 --format json
check "--reason 10 reports CPUID" jq_true '.reasons | length == 1 and .[0].reason == 10 and .[0].name == "CPUID" and .[0].status == "counted"'
check "--reason 10: exits include the reads themselves" jq_true '.reasons[0].exits > 5000 and .reasons[0].exits < 5020'
# The count read includes its own exit; the cycles read excludes its own:
# the 7th CPUID reads the count, the 8th the cycles (7 finished exits).
check "observer effect: exact count and cycles" jq_true '.reasons[0].exits == 5007 and .reasons[0].cycles == 123463789'
sim patched --reason cpuid,EPT_VIOLATION,exit_reason_hlt,RdMsR -f json
check "--reason by names, in the order given" jq_true '[.reasons[].reason] == [10,48,12,31]'
sim patched -r 0-3,10 -r 0x30 -r 12 -r 10 -f json
check "ranges, lists, hex and repeated -r" jq_true '[.reasons[].reason] == [0,1,2,3,10,48,12]'
sim patched -r 10,12 --sort reason -f json
check "--sort applies to --reason" jq_true '[.reasons[].reason] == [10,12]'
sim patched -r 12,10 -f json
check "--reason keeps the order given" jq_true '[.reasons[].reason] == [12,10]'
sim patched -r 35,38,42,71,80,1000 -f json
check "undefined reasons are marked undefined" jq_true '[.reasons[].status] | all(. == "undefined")'
check "undefined reasons have no name above 79" jq_true '[.reasons[] | select(.reason >= 80) | .name] | all(. == null)'
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
check "shares are percentages of the totals" jq_true '(.reasons[48].exit_share - 100 * .reasons[48].exits / .total.exits | fabs) < 0.001'
check "average cycles per exit" jq_true '(.reasons[12].avg_cycles - 100000) | fabs < 0.001'
check "no average without exits" jq_true '.reasons[0].avg_cycles == null'
sim patched --all -f json
check "base contract: zeros cannot be told apart" jq_true '[.reasons[] | select(.status == "zero")] | length == 76 - 4 - 5'
check "base contract: 32-bit counts" jq_true '.host.count_bits == 32 and .reasons[48].exits == 4294967295'
check "a wrapped 32-bit total gives no share" jq_true '.reasons[48].exit_share == null'
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
check "a 32-bit count wraps past 2^32" jq_true '.reasons[0].exits == 1'
sim garbage -r 10,30 -f json
check "junk in ebx is ignored without the signature" jq_true '.reasons[1].exits == 700 and .total.exits < 100000'

# --- formats --------------------------------------------------------------
sim patched-ext --all -f csv
check "CSV header" eval '[ "$(head -1 "$out")" = "reason,name,status,exits,cycles,avg_cycles,exit_share,time_share" ]'
check "CSV: 76 reasons and a total row" eval '[ "$(lines "$out")" -eq 78 ] && tail -1 "$out" | grep -q "^,total,total,"'
check "CSV: every row has 8 fields" eval '[ "$(awk -F, "NF != 8" "$out" | wc -l)" -eq 0 ]'
check "CSV: 64-bit figures" grep -q '^48,EPT_VIOLATION,counted,4294967301,78187493530,' "$out"
sim patched-ext --all -f csv --units ms --tsc-hz 1000000000
check "CSV with units adds a time column" eval 'head -1 "$out" | grep -q ",time_ms$" && grep -q "^48,.*,78187.493530$" "$out"'

# --- units and the TSC rate ------------------------------------------------
sim patched-ext -r 48 --units us --tsc-hz 1000000000 -f json
check "--units us with --tsc-hz" jq_true '.units == "us" and .tsc_hz == 1000000000 and (.reasons[0].time - 78187493.530 | fabs) < 0.001'
sim patched-ext -r 48 --units s --tsc-hz 1000000000
check "--units s in a table" eval 'stdout_has "TIME(s)" && stdout_has " 78.187 "'
sim tsc-leaf15 -r 48 -u s -f json
check "TSC rate from leaf 0x15" jq_true '.tsc_hz == 3000000000 and .reasons[0].time == 1'
sim tsc-leaf16 -r 48 -u s -f json
check "TSC rate from leaf 0x16" jq_true '.tsc_hz == 2100000000 and .reasons[0].time == 1'
sim tsc-hvleaf -r 48 -u s -f json
check "TSC rate from leaf 0x40000010" jq_true '.tsc_hz == 1800000000 and .reasons[0].time == 1'
sim tsc-none -r 48 -u ns -f json
check "TSC rate by calibration" jq_true '.tsc_hz > 10000000'
sim tsc-leaf15 -r 48 -u ns --tsc-hz 1000 -f json
check "--tsc-hz overrides the leaves" jq_true '.tsc_hz == 1000'
sim patched-ext -r 48 -u cycles -f json
check "--units cycles has no time fields" jq_true '.units == "cycles" and (.reasons[0] | has("time") | not)'

# --- --raw ----------------------------------------------------------------
sim patched-ext --raw -r 10
check "--raw lists every CPUID" eval 'status_is 0 && [ "$(lines "$out")" -eq 10 ] && head -1 "$out" | grep -q "^leaf 0x00000001 ecx 0x00000000 -> eax "'
check "--raw shows the per-reason leaves" grep -q '^leaf 0x4ffffffe ecx 0x0000000a -> eax 0x0000138f ebx 0x00000000 ecx 0x00000000 edx 0x54535845$' "$out"
sim patched-ext --raw -r 10 -f json
check "--raw JSON" jq_true 'length == 10 and .[0].leaf == 1 and .[-1].leaf == 1342177277'
sim patched-ext -r 10 -f json
exits=$(jq '.reasons[0].exits' "$out")
sim patched-ext --raw -r 10 -f json
check "the report decodes what --raw shows" jq_true "[.[] | select(.leaf == 1342177278 and .subleaf == 10)][-1].eax == $exits"
sim patched-ext --raw -a -f csv
check "--raw CSV: header and 2x76+8 rows" eval '[ "$(head -1 "$out")" = "leaf,subleaf,eax,ebx,ecx,edx" ] && [ "$(lines "$out")" -eq 161 ]'
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
