#!/bin/sh
# What users of perf stat, vmstat and node_exporter expect: time to three
# significant figures, the share of a host CPU, INTERVAL [COUNT], --list,
# Prometheus metrics, and options that mean one thing everywhere.
set -eu
SUITE=${SUITE:-interface}
. "$(dirname "$0")/lib.sh"
WRAP=${WRAP:-}

# --- time: three significant figures, auto-scaled units -----------------------
sim busy -r 30 -u s
check "-u s: a 3.3 us average is 0.00000330, not 0.000" eval 'status_is 0 && grep -Eq "^ +30 +IO_INSTRUCTION .* 0\.00233 +0\.00000330 " "$out"'
sim busy -u auto
check "-u auto: each time in the unit that suits it" eval 'grep -Eq "^ +10 +CPUID .* 41\.2 ms +8\.23 us " "$out" && grep -Eq "^ +30 +IO_INSTRUCTION .* 2\.33 ms +3\.30 us " "$out"'
check "-u auto: the total line" stdout_has "^total: 6018 exits, 46.5 ms handling them, 7.72 us/exit$"
check "-u auto: plain TIME and AVG headers" grep -Eq "^REASON +NAME +STATUS +EXITS +TIME +AVG " "$out"
sim busy -u auto -f json
check "-u auto in JSON is ns" jq_true '.units == "ns" and (.reasons[0].avg_time - 8230.453 | fabs) < 0.001'
sim busy -u auto -f csv
check "-u auto in CSV is ns" grep -q "^[0-9.]*,10,CPUID,counted,5000,123456789,[0-9.]*,41152263.000000,8230.452600," "$out"
sim busy -b -n 1 -i 0.1 -u auto
check "-u auto in batch lines" eval 'status_is 0 && grep -Eq "^ +30 IO_INSTRUCTION .* [0-9.]+ (ns|us|ms) " "$out"'

# --- where the TSC rate came from (JSON's tsc_source: tests/cli.sh) -----------
sim tsc-leaf16 -r 48 -u s
check "the table names the TSC source: leaf 0x16" stdout_has "^TSC rate 2100000000 Hz, from CPUID leaf 0x16$"
sim busy -f json
check "one-shot cycles: no TSC rate looked for, none shown" jq_true 'has("tsc_hz") and .tsc_hz == null and has("tsc_source") and .tsc_source == null and (.total | has("host_cpu_percent")) and .total.host_cpu_percent == null'

# --- the share of one host CPU ------------------------------------------------
sim busy -b -n 3 -i 0.1 -f json --tsc-hz 1000000
# Cycles are since the baseline, the share over the last interval: the
# difference of two lines' cycles over the TSC rate and the seconds.
check "batch JSON: host CPU share is the last interval's cycles per second over the TSC rate" eval 'jq -e -s "length == 3 and all(.[]; .tsc_source == \"--tsc-hz\") and (. as \$l | all(range(1;3); . as \$i | (\$l[\$i].total.host_cpu_percent - 100 * (\$l[\$i].total.cycles - \$l[\$i-1].total.cycles) / \$l[\$i].tsc_hz / \$l[\$i].seconds | fabs) < 0.001))" "$out" >/dev/null'
check "batch JSON: each reason has its share of a host CPU" eval 'jq -e -s "all(.[]; all(.reasons[]; .host_cpu_percent >= 0))" "$out" >/dev/null'
sim busy -b -n 2 -i 0.1 -f csv --tsc-hz 1000000
check "batch CSV: a host_cpu_percent column" eval 'head -1 "$out" | grep -q ",exits_per_s,host_cpu_percent,exits_pct,cycles_pct$"'
sim busy -b -n 1 -i 0.1 --tsc-hz 3000000000
check "batch table: host CPU share, TSC rate and source first in the header" grep -Eq "^exitstat  host KVMKVMKVM  every 0\.1s  up [0-9:]*  host CPU 0\.[0-9]+%  TSC 3.00 GHz \(--tsc-hz\)$" "$out"
sim tsc-leaf15 -- true
check "-- COMMAND: host CPU share and where the TSC rate came from" stderr_has "^host CPU: [0-9.]*% of one host CPU handled these exits (TSC rate 3000000000 Hz, from CPUID leaf 0x15)$"
sim busy -f json --tsc-hz 1000000 -- sleep 0.1
check "-- COMMAND JSON: host_cpu_percent over the command's wall time" eval 'jq -e "(.total.host_cpu_percent - 100 * .total.cycles / 1000000 / .seconds | fabs) < 0.001" "$err" >/dev/null'

# --- exitstat INTERVAL [COUNT], as vmstat -------------------------------------------
sim busy 0.1 3
check "INTERVAL COUNT: COUNT batch updates" eval 'status_is 0 && [ "$(grep -c "^exitstat  host KVMKVMKVM  every 0.1s" "$out")" -eq 3 ]'
sim busy -f json 0.1 2
check "options, then INTERVAL COUNT" eval 'status_is 0 && [ "$(jq -c . "$out" | wc -l)" -eq 2 ] && jq -e -s "all(.[]; .seconds > 0.05)" "$out" >/dev/null'
set +e
EXITSTAT_SIM=$scenarios/busy.sim timeout -s INT 6 $WRAP "$SIM" 0.2 >"$out" 2>"$err"
set -e
check "INTERVAL alone: updates until stopped" eval '[ "$(grep -c "^exitstat  host" "$out")" -ge 2 ]'
sim busy -w 0.1 2
check "-w INTERVAL COUNT: the view with that interval and count" eval 'status_is 0 && [ "$(grep -c "^exitstat  host KVMKVMKVM  every 0.1s" "$out")" -eq 2 ]'
sim busy 0;            expect_error "INTERVAL 0" 2 "interval '0' is out of range"
sim busy 1x;           expect_error "INTERVAL 1x" 2 "interval '1x' is invalid"
sim busy 1 0;          expect_error "COUNT 0" 2 "count '0' is out of range"
sim busy 1 x;          expect_error "COUNT x" 2 "count 'x' is invalid"
sim busy 1 2 3;        expect_error "three operands" 2 "unexpected argument '3'"
sim busy 0.1 2 -f json; expect_error "an option after the operands" 2 "option '-f' after INTERVAL: options go first"
sim busy 1 -- true;    expect_error "operands and a command" 2 "option '--' after INTERVAL"
sim busy -i 1 2;       expect_error "-i and INTERVAL" 2 "not both"
sim busy -n 2 1;       expect_error "-n and INTERVAL" 2 "not both"

# --- --list ---------------------------------------------------------------------
sim patched-ext --list -f json
check "--list: every reason 0-85" jq_true '[.[].reason] == [range(0;86)]'
check "--list: names and aliases" jq_true '.[0].name == "EXCEPTION_NMI" and .[0].aliases == ["EXCEPTION","NMI"] and .[31].aliases == ["RDMSR"]'
check "--list: the host's handled, unhandled and undefined (EXST)" jq_true '.[10].host == "handled" and .[13].host == "handled" and .[3].host == "unhandled" and .[35].host == "undefined"'
check "--list: the SDM's words" jq_true '.[48].description == "EPT violation" and .[35].description == null'
sim patched --list -f json
check "--list: without EXST, no exits is unknown" jq_true '.[10].host == "handled" and .[13].host == "unknown" and .[35].host == "undefined"'
sim patched-ext --list
check "--list table: a header and 86 rows" eval 'status_is 0 && [ "$(lines "$out")" -eq 87 ] && head -1 "$out" | grep -Eq "^REASON +NAME +HOST +ALIASES +DESCRIPTION$"'
check "--list table: whole descriptions" grep -Eq "^ +33 +INVALID_STATE +unhandled +- +VM-entry failure: invalid guest state$" "$out"
sim bare-metal --list -f csv
check "--list without a host: printed, status 0, every status unknown" eval 'status_is 0 && [ "$(lines "$out")" -eq 87 ] && [ "$(cut -d, -f3 "$out" | sort -u | tr "\n" " ")" = "host unknown " ]'
check "--list without a host: one line says why" eval 'stderr_one_line && stderr_has "not running under a hypervisor"'
names=$(tail -n +2 "$out" | awk -F, '{ print $2; n = split($4, a, " "); for (i = 1; i <= n; i++) print a[i] }' | grep . | paste -sd, -)
sim patched -r "$names" -f json
check "--list: --reason takes every name and alias listed" eval 'status_is 0 && jq -e ".reasons | length == 80" "$out" >/dev/null'
sim patched --list -a;            expect_error "--list with --all" 2 "--list takes no other option"
sim patched --list -- true;       expect_error "--list with a command" 2 "--list takes no other option"
sim patched --list -f prometheus; expect_error "--list as prometheus" 2 "--list prints a table, json or csv"

# --- -f prometheus, checked by a real parser -------------------------------------
promcheck() { promtool check metrics <"$out" >"$tmp/promtool" 2>&1; }
sim busy -f prometheus
check "-f prometheus: status 0, nothing on stderr" eval 'status_is 0 && stderr_empty'
check "-f prometheus: promtool accepts it, lint included" promcheck
check "-f prometheus: counters by reason, with the report's figures" eval 'grep -qx "exitstat_exits_total{reason=\"30\",name=\"IO_INSTRUCTION\"} 707" "$out" && grep -qx "exitstat_exit_cycles_total{reason=\"48\",name=\"EPT_VIOLATION\"} 9004000" "$out"'
check "-f prometheus: HELP and TYPE for every family" eval '[ "$(grep -c "^# HELP " "$out")" -eq 6 ] && [ "$(grep -c "^# TYPE " "$out")" -eq 6 ] && grep -qx "# TYPE exitstat_exits_total counter" "$out"'
check "-f prometheus: totals, TSC rate with its source, host info" eval 'grep -qx "exitstat_all_exits_total 6018" "$out" && grep -qx "exitstat_tsc_hertz{source=\"CPUID leaf 0x16\"} 3000000000" "$out" && grep -qx "exitstat_host_info{vendor=\"KVMKVMKVM\",count_bits=\"64\"} 1" "$out"'
sim patched-ext -a -f prometheus
check "-f prometheus -a: 76 series a family, promtool accepts unnamed reasons" eval '[ "$(grep -c "^exitstat_exits_total{" "$out")" -eq 76 ] && grep -qx "exitstat_exits_total{reason=\"35\",name=\"\"} 0" "$out" && promcheck'
# family_sum FAMILY: the sum of a family's series.
family_sum() { awk -v f="$1" 'index($0, f "{") == 1 { n += $2 } END { printf "%.0f\n", n }' "$out"; }
sim high-reasons -f prometheus
check "-f prometheus: the other row is reason=\"other\"" eval 'promcheck && grep -qx "exitstat_exits_total{reason=\"other\",name=\"other\"} 2000" "$out" && grep -qx "exitstat_exit_cycles_total{reason=\"other\",name=\"other\"} 3000000" "$out"'
check "-f prometheus: reasons above 75 with exits" grep -qx 'exitstat_exits_total{reason="84",name="MSR_READ_IMM"} 100000' "$out"
check "-f prometheus: each family adds up to its total" eval '[ "$(family_sum exitstat_exits_total)" = "$(sed -n "s/^exitstat_all_exits_total //p" "$out")" ] && [ "$(family_sum exitstat_exit_cycles_total)" = "$(sed -n "s/^exitstat_all_exit_cycles_total //p" "$out")" ]'
sim patched-ext -f prometheus
check "-f prometheus: no other series when the reasons make the total" eval 'promcheck && ! grep -q "reason=\"other\"" "$out"'
sim high-reasons -u auto
check "-u auto: the other row in auto units too" grep -Eq "^ +- +other +other +2000 +1\.00 ms +500 ns " "$out"
sim busy -f prometheus --tsc-hz 2500000000
check "-f prometheus --tsc-hz: the gauge says where the rate came from" eval 'promcheck && grep -qx "exitstat_tsc_hertz{source=\"--tsc-hz\"} 2500000000" "$out"'
sim patched -f PROMETHEUS
check "-f PROMETHEUS: keywords are case-blind" eval 'status_is 0 && promcheck && grep -q "count_bits=\"32\"" "$out"'
sim unpatched-intel -f prometheus; expect_error "-f prometheus without the interface: no partial output" 3 "does not provide"
sim busy -w -f prometheus;         expect_error "-f prometheus with --watch" 2 "-f prometheus prints counters since VM start"
sim busy -f prometheus -- true;    expect_error "-f prometheus with a command" 2 "-f prometheus prints counters"
sim busy -f prometheus -u s;       expect_error "-f prometheus with --units" 2 "-f prometheus prints counters"

# --- one meaning everywhere -------------------------------------------------------
sim busy -f JSON -s COUNT -u MS
check "-f JSON -s COUNT -u MS: keywords are case-blind like reason names" jq_true '.units == "ms" and [.reasons[].exits] == ([.reasons[].exits] | sort | reverse)'
sim busy -s rate -f json -- true
check "-s rate with a command: ordered by exits over the command" eval 'status_is 0 && jq -e "[.reasons[].exits] == ([.reasons[].exits] | sort | reverse) and .reasons[0].exits_per_s > 0" "$err" >/dev/null'
sim busy --tsc-hz 3000000000;      expect_error "--tsc-hz with nothing to use it" 2 "--tsc-hz needs --units"
sim busy -b -n 1 -i 0.1 --tsc-hz 3000000000 -f json
check "--tsc-hz with batch is used" jq_true '.tsc_hz == 3000000000'
# A terminal: json and csv cannot be drawn full-screen, so they are batch lines.
set +e
EXITSTAT_SIM=$scenarios/busy.sim script -qec "$WRAP $SIM -w -n 2 -i 0.1 -f json" /dev/null >"$out" 2>"$err"
status=$?
set -e
tr -d '\r' <"$out" >"$tmp/lines"
check "-w -f json on a terminal: JSON lines, no screen drawing" eval 'status_is 0 && [ "$(grep -c "^{\"schema\":\"exitstat/1\"" "$tmp/lines")" -eq 2 ] && ! grep -q "$(printf "\033")" "$tmp/lines"'
summary
