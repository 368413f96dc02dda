#!/bin/sh
# The live view's per-CPU panel (--per-cpu -w), driven for real in tmux
# over the simulated host: the panel, the key c, the help line, and the
# terminal left as it was found.
set -eu
SUITE=${SUITE:-percpu-watch}
WRAP=${WRAP:-}
. "$(dirname "$0")/lib.sh"

run=0
socket="exitstat-percpu-$$-$run"
. "$(dirname "$0")/tmux.sh"

# The first two CPUs this process may run on, on vCPUs 0 and 1.
taskset -cp $$ | sed 's/.*: //' | tr ',' '\n' |
	awk -F- '{ for (i = $1; i <= ($2 == "" ? $1 : $2); i++) print i }' >"$tmp/cpus"
c0=$(sed -n 1p "$tmp/cpus")
c1=$(sed -n 2p "$tmp/cpus")
if [ -n "$c1" ]; then pair=$c0,$c1; else pair=$c0; fi
{
	cat "$scenarios/percpu-busy.sim"
	echo "cpu-vcpu $c0 0"
	[ -z "$c1" ] || echo "cpu-vcpu $c1 1"
} >"$tmp/busy.sim"

# start ARGS...: the view in a fresh 100x30 window, on the pair of CPUs.
start() {
	run=$((run + 1))
	fresh_view "exitstat-percpu-$$-$run" "${WIDTH:-100}" "${HEIGHT:-30}" \
		"EXITSTAT_SIM=$tmp/busy.sim taskset -c $pair $WRAP $SIM $*; echo EXITED:\$?; sleep 60"
	wait_for "^exitstat  host KVMKVMKVM"
}

export LC_ALL=C
start --per-cpu --watch -i 0.2
check "--per-cpu -w starts in the panel: a column per CPU and TOTAL" eval "on_screen '^ REASON NAME  *CPU$c0 .*TOTAL\$'"
check "the panel names the vCPU each CPU read" on_screen "^ *vcpu  *0"
check "the hint line says which view, and the key" on_screen "view: per CPU, exits/s (c: reasons)"
# vCPU 0 (under c0) does port I/O, vCPU 1 EPT violations.
check "rates by CPU after an interval" wait_for "^ *30 IO_INSTRUCTION  *[1-9][0-9]*\.[0-9] "
if [ -n "$c1" ]; then
	check "a vCPU's exits in its own column only" eval 'screen; grep -Eq "^ +48 EPT_VIOLATION +0\.0 +[1-9][0-9]*\.[0-9] +[1-9][0-9]*\.[0-9]$" "$out"'
fi
check "the columns add up to TOTAL in the total row" eval 'screen; awk "/^ +- total / { s = 0; for (i = 3; i < NF; i++) s += \$i; d = s - \$NF; exit !(d < 0.15 && d > -0.15 && \$NF > 0) }" "$out"'
tm send-keys -t view h
check "h: the key help names c" wait_for "q quit  c per-CPU  s,<,> sort"
tm send-keys -t view h c
check "c switches to the usual rows" wait_for "^ REASON NAME  *EXITS  *\*EXITS/S"
check "... and says how to come back" on_screen "view: reasons (c: per CPU)"
tm send-keys -t view c
check "c switches back to the panel" wait_for "^ REASON NAME  *CPU$c0"
tm send-keys -t view r
check "r resets the panel's baseline too" wait_for "^total since reset: "
tm send-keys -t view q
check "q quits with status 0" wait_for "^EXITED:0"
check "q restores the terminal" restored

# A short window with every reason: PgDn reaches the panel's last rows.
HEIGHT=14 start --per-cpu --watch -a -i 0.2
for _ in 1 2 3 4 5 6 7 8 9 10; do tm send-keys -t view NPage; done
check "PgDn in the panel reaches its total row" wait_for "^ *- total "
check "... and shows the rows above it, not a blank page" eval 'screen; [ "$(grep -c "^ *[0-9][0-9]* [A-Z_]" "$out")" -ge 4 ]'
tm send-keys -t view q
check "q quits the short panel with status 0" wait_for "^EXITED:0"

# A window too narrow for every CPU column: TOTAL stays, Left and Right
# move the columns, and the hint line says which are shown.
if [ -n "$c1" ]; then
	WIDTH=50 start --per-cpu --watch -i 0.2
	check "narrow panel: the first CPU column and TOTAL" eval "on_screen '^ REASON NAME  *CPU$c0  *TOTAL *\$'"
	check "narrow panel: the hint line says which columns" on_screen "^columns 1-1 of 2 (Left,Right)  sort"
	tm send-keys -t view Right
	check "Right: the next CPU column, TOTAL kept" wait_for "^ REASON NAME  *CPU$c1  *TOTAL *\$"
	check "... and the hint line follows" on_screen "^columns 2-2 of 2"
	tm send-keys -t view Right
	check "Right past the last column stays there" eval "sleep 0.3; on_screen '^ REASON NAME  *CPU$c1  *TOTAL *\$'"
	tm send-keys -t view Left
	check "Left: back to the first column" wait_for "^ REASON NAME  *CPU$c0  *TOTAL *\$"
	tm send-keys -t view q
	check "q quits the narrow panel with status 0" wait_for "^EXITED:0"
fi

# A CPU taken away while the panel runs (tests/cpu-gone.so, as in
# percpu.sh): the terminal restored, then one line and status 3.
gone_so=$(cd "$(dirname "$0")" && pwd)/cpu-gone.so
if [ -f "$gone_so" ] && [ "$SUITE" != percpu-watch-m32 ]; then
	rm -f "$tmp/gone"
	WRAP="env EXITSTAT_TEST_GONE_FILE=$tmp/gone EXITSTAT_TEST_GONE_CPU=${c1:-$c0} LD_PRELOAD=$gone_so ASAN_OPTIONS=verify_asan_link_order=0 $WRAP" \
		start --per-cpu --watch -i 0.2
	: >"$tmp/gone"
	check "a CPU taken away: status 3" wait_for "^EXITED:3"
	check "... the terminal restored" restored
	check "... then one line that says which CPU, nothing of memory" eval 'screen; grep -q "^exitstat: cannot run on CPU ${c1:-$c0} any more (Invalid argument): its vCPU can no longer be read$" "$out" && ! grep -q "out of memory" "$out" && [ "$(grep -c "^exitstat: " "$out")" -eq 1 ]'
fi

start --per-cpu --watch -i 0.2
tm send-keys -t view C-c
check "SIGINT ends the panel with status 130" wait_for "^EXITED:130"
check "SIGINT restores the terminal" restored

start --watch -i 0.2
tm send-keys -t view c
sleep 0.3
check "without --per-cpu, c does nothing" eval 'on_screen "^ REASON NAME  *EXITS" && ! on_screen "view: "'
tm send-keys -t view h
check "without --per-cpu, the help has no c" eval 'wait_for "q quit  s,<,> sort" && ! on_screen "c per-CPU"'
tm send-keys -t view q
wait_for "^EXITED:0" || true
summary
