#!/bin/sh
# The live view, driven for real in tmux over the simulated host: keys,
# resizing, signals, and the terminal left as it was found.
set -eu
SUITE=${SUITE:-watch}
WRAP=${WRAP:-}
. "$(dirname "$0")/lib.sh"

run=0
socket="exitstat-test-$$-$run"
. "$(dirname "$0")/tmux.sh"

# start ARGS...: the view in a fresh 100x30 window (${cols}x30 when set)
# over busy.sim (or $scenario); its pid in $tmp/pid.  $launch, if set,
# runs the view's shell (env TERM=dumb, setsid).
start() {
	run=$((run + 1))
	rm -f "$tmp/pid"
	fresh_view "exitstat-test-$$-$run" "${cols:-100}" 30 \
		"${launch:-} sh -c 'echo \$\$ >$tmp/pid; EXITSTAT_SIM=$scenarios/${scenario:-busy}.sim exec $WRAP $SIM $*'; echo EXITED:\$?; sleep 60"
	wait_for "^exitstat  host KVMKVMKVM"
}

# mostly_idle: the view used under a quarter of a CPU over two seconds
# (a busy loop uses nearly all of one, even on a loaded machine).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$(cat "$tmp/pid")/stat"; }
mostly_idle() {
	hz=$(getconf CLK_TCK)
	before=$(cpu_ticks) || return 1
	sleep 2
	after=$(cpu_ticks) || return 1
	echo "    CPU: $((after - before)) ticks in 2 s at $hz a second"
	[ $((after - before)) -lt $((hz / 2)) ]
}

# bar_of REASON: the share bar at the end of a reason's row.
bar_of() { screen; awk -v r="$1" '$1 == r && NF == 8 { print $8 }' "$out"; }

first_reason() { screen; awk '/REASON/ { getline; print $1; exit }' "$out"; }

export LC_ALL=C
start --watch -i 0.2
check "the view starts with the host in its header" on_screen "^exitstat  host KVMKVMKVM  every 0.2s"
check "default sort is exits/s, marked" on_screen "^ REASON NAME .*\*EXITS/S"
check "zero rows hidden at first" eval '! on_screen "EXCEPTION_NMI"'
check "own exits left out, and said so" on_screen "own CPUID exits left out ([0-9]* a refresh, cycles too"
check "the other row holds the rest of the total" on_screen "^ *- other  *9 "
check "rates appear after an interval" wait_for "^ *30 IO_INSTRUCTION  *[0-9]*  *[1-9][0-9]*\.[0-9] "
check "the header gives the share of a host CPU" wait_for "^exitstat  host KVMKVMKVM  every 0.2s  up [0-9:]*  host CPU [0-9.]*% "
check "ASCII bars outside UTF-8" on_screen "^ *10 CPUID .* #######"
tm send-keys -t view s
check "s moves the sort to the time column" wait_for "^ REASON .* \*CYCLES"
check "rows follow the new sort" eval '[ "$(first_reason)" = 10 ]'
tm send-keys -t view '<'
check "< moves the sort back" wait_for "\*EXITS/S"
tm send-keys -t view '<' '<' '<'
check "sort by reason" wait_for "^\*REASON"
check "reason order" eval '[ "$(first_reason)" = 10 ]'
tm send-keys -t view z
check "z shows zero rows" wait_for "^  *0 EXCEPTION_NMI"
check "the header says so" on_screen "zero rows: shown"
tm send-keys -t view Down Down
check "Down scrolls the rows" eval 'sleep 0.3; [ "$(first_reason)" = 2 ]'
tm send-keys -t view NPage
check "PgDn scrolls a page" eval 'sleep 0.3; [ "$(first_reason)" -gt 20 ]'
tm send-keys -t view Home
check "Home goes back to the top" eval 'sleep 0.3; [ "$(first_reason)" = 0 ]'
tm send-keys -t view z
check "z hides them again" wait_for "zero rows: hidden"
tm send-keys -t view h
check "h shows the key help" wait_for "q quit  s,<,> sort  z zero rows"
tm send-keys -t view '?'
check "? hides it" wait_for "(h for help)"
tm send-keys -t view p
check "p pauses" wait_for "PAUSED"
screen; paused_total=$(grep "^total since" "$out")
sleep 0.8
screen
check "a paused view takes no samples" eval '[ "$(grep "^total since" "$out")" = "$paused_total" ]'
tm send-keys -t view p
check "p resumes" eval 'sleep 0.5; ! on_screen PAUSED'
tm send-keys -t view r
check "r resets the baseline" wait_for "^total since reset: "
tm send-keys -t view +
check "+ doubles the interval" wait_for "every 0.4s"
tm send-keys -t view - -
check "- halves it" wait_for "every 0.1s"
tm resize-window -t view -x 20 -y 5
sleep 0.5
check "a 20x5 terminal: still running" eval 'screen; [ "$(wc -l <"$out")" -le 5 ] && grep -q "^exitstat  host" "$out" && ! grep -q EXITED "$out"'
tm resize-window -t view -x 100 -y 30
check "growing back redraws" wait_for "^\*REASON"
tm send-keys -t view q
check "q quits with status 0" wait_for "^EXITED:0"
check "q restores the terminal" restored

# 128 + the signal, as a shell reports it: a loop around exitstat stops.
start --watch -i 0.2
tm send-keys -t view C-c
check "SIGINT quits with status 130" wait_for "^EXITED:130"
check "SIGINT restores the terminal" restored

start --watch -i 0.2
kill -TERM "$(cat "$tmp/pid")"
check "SIGTERM quits with status 143" wait_for "^EXITED:143"
check "SIGTERM restores the terminal" restored

start --watch -i 0.2
kill -HUP "$(cat "$tmp/pid")"
check "SIGHUP quits with status 129" wait_for "^EXITED:129"

start --batch -i 0.2
tm send-keys -t view C-c
check "^C ends batch mode with status 130" wait_for "EXITED:130"

# + and - set the pace of the very next sample, not only the one after.
start --watch -i 0.2
wait_for "last 0\.[0-9]*s" || :
tm send-keys -t view + + + +
wait_for "every 3.2s" || :
screen; total=$(grep "^total since" "$out")
sleep 1.2
screen
check "+ delays the next sample too" eval '[ "$(grep "^total since" "$out")" = "$total" ]'
check "the sample after + comes at the new pace" wait_for "last 3\.[0-9]*s"

start --watch -i 8
tm send-keys -t view - - -
check "- halves 8 s to 1 s" wait_for "every 1.0s"
check "the sample after - comes at the new pace, not 8 s on" wait_for "last 1\.[0-9]*s" 50

# Without keys on stdin, the view neither spins nor loses its keys.
start --watch -i 0.2 '</dev/null'
check "stdin from /dev/null: the view idles between samples" mostly_idle
check "stdin from /dev/null: still updating" wait_for "last 0\.[0-9]*s"
tm send-keys -t view q
check "stdin from /dev/null: keys come from the terminal" wait_for "^EXITED:0"

launch="setsid" start --watch -i 0.2 '</dev/null'
check "no terminal to read keys from: the view still draws" on_screen "^ REASON NAME"
check "no terminal to read keys from: it idles" mostly_idle
kill -TERM "$(cat "$tmp/pid")"
check "no terminal to read keys from: SIGTERM ends it" wait_for "^EXITED:143"

# A terminal that cannot address the cursor gets plain lines, as -b does.
launch="env TERM=dumb" start --watch -i 0.2 -n 2 || :
check "TERM=dumb: plain lines, every update whole" eval 'wait_for "^EXITED:0" && [ "$(grep -c "^exitstat  host KVMKVMKVM  every 0.2s" "$out")" -eq 2 ] && [ "$(grep -c "^ REASON NAME" "$out")" -eq 2 ]'
check "TERM=dumb: no escape sequences" eval '! grep -q "$(printf "\033")" "$out"'
launch="env TERM=no-such-terminal" start --watch -i 0.2 -n 2 || :
check "an unknown TERM: plain lines too" eval 'wait_for "^EXITED:0" && [ "$(grep -c "^exitstat  host" "$out")" -eq 2 ]'

start --watch -i 0.1 -n 3
check "--iterations ends the live view" wait_for "^EXITED:0"
check "--iterations restores the terminal" restored

start --watch -i 0.2 --all
check "--all shows zero rows from the start" on_screen "^  *0 EXCEPTION_NMI"

start --watch -i 0.2 -r 30,48 --include-self -u us --tsc-hz 1000000
check "--reason limits the rows" eval 'wait_for "48 EPT_VIOLATION" && ! on_screen "^ *10 CPUID"'
check "--include-self is said" on_screen "own CPUID exits included"
check "--units shows time" on_screen "TIME(us)"

export LC_ALL=C.UTF-8
start --watch -i 0.2
check "UTF-8 bars in a UTF-8 locale" on_screen "^ *10 CPUID .* █"
# The bar is cut by cells: its length is the share's, at any width it fits.
tm send-keys -t view p
wait_for PAUSED || :
wide_bar=$(bar_of 10)
tm resize-window -t view -x 95 -y 30
sleep 0.5
check "a UTF-8 bar is whole at the narrowest width that fits it" eval '[ -n "$wide_bar" ] && [ "$(bar_of 10)" = "$wide_bar" ]'
tm resize-window -t view -x 94 -y 30
sleep 0.5
check "one cell narrower the bar is left out, not cut" eval 'screen; grep -Eq "^ +10 CPUID .* [0-9.]+$" "$out"'
tm send-keys -t view q
wait_for "^EXITED:0" || true

# --- the last minute as sparklines ----------------------------------------------
# spark_of REASON: the cells of a reason's sparkline (from its column on).
spark_column=97
spark_of() { screen; awk -v r="$1" '$1 == r' "$out" | cut -c"$spark_column"-; }
# filled: the cells of a sparkline that hold data (not blank).
filled() { printf '%s' "$1" | tr -d ' ' | wc -c; }
# cpu_spark: the header's sparkline, its 20 cells after the share.
cpu_spark() { screen; sed -n '1s/^.*host CPU [0-9.]*% \(.\{20\}\)  TSC.*$/\1/p' "$out"; }

export LC_ALL=C
cols=140 scenario=spark start --watch -i 0.2
check "a wide view titles the history column" wait_for "^ REASON .* SHARE  *LAST 60S$"
check "the header names the TSC source after the share's history" wait_for "^exitstat  host KVMKVMKVM  every 0.2s  up [0-9:]*  host CPU [0-9.]*% .\{20\}  TSC 3.00 GHz (CPUID leaf 0x16)$"
wait_for "^ *48 EPT_VIOLATION .* _" || :
early=$(spark_of 48)
check "a reason without exits yet: its history is '_', zero, under a C locale" eval 'printf "%s" "$early" | grep -Eq "^ +_+$"'
check "the header's history of the host-CPU share" eval '[ "$(filled "$(cpu_spark)")" -ge 1 ] && cpu_spark | grep -Eq "^ *[_.:=+*#@]+$"'
wait_for "^ *48 EPT_VIOLATION .*_.*@[#@]* *$" || :
late=$(spark_of 48)
check "the rate rose: zeros then the row's top, in ASCII" eval 'printf "%s" "$late" | grep -Eq "^ *_+[.:=+*#@]*@[#@]*$"'
check "the sparkline grows as the minute fills" eval '[ "$(filled "$late")" -gt "$(filled "$early")" ]'
check "a steady rate is a flat line at the top" eval 'spark_of 30 | grep -Eq "^ *[#@]*@[#@]*$"'
tm send-keys -t view p
wait_for PAUSED || :
before=$(spark_of 30)
tm resize-window -t view -x 105 -y 30
sleep 0.5
check "under 10 cells the history is left out" eval '! on_screen "LAST 60S" && [ -z "$(spark_of 30 | tr -d " ")" ] && on_screen "^ *30 IO_INSTRUCTION .* [0-9.]*  *#*$"'
tm resize-window -t view -x 140 -y 30
sleep 0.5
check "resizing keeps the history" eval '[ -n "$before" ] && [ "$(spark_of 30)" = "$before" ]'
tm send-keys -t view q
wait_for "^EXITED:0" || true

cols=140 scenario=reset start --watch -i 0.2
wait_for "^ *30 IO_INSTRUCTION .*x[=+*#@]\{3\}" || :
check "a reset of the host's counters is a gap 'x', then the same rate: no spike" eval 'spark_of 30 | grep -Eq "^ *[=+*#@]*x[=+*#@]{3,}$"'
tm send-keys -t view q
wait_for "^EXITED:0" || true

export LC_ALL=C.UTF-8
cols=140 scenario=spark start --watch -i 0.2
check "UTF-8: the history in block characters, zero at U+2581" wait_for "^ *48 EPT_VIOLATION .*▁▁.*█[▇█]* *$"
tm send-keys -t view q
wait_for "^EXITED:0" || true
cols=140 scenario=spark start --watch -i 0.2 --ascii
check "--ascii: ASCII history and bars in a UTF-8 locale" eval 'wait_for "^ *48 EPT_VIOLATION .* #* *_.*@[#@]* *$" && ! grep -q "[▁█▏▌]" "$out"'
tm send-keys -t view q
wait_for "^EXITED:0" || true
launch="env TERM=vt220" cols=140 scenario=spark start --watch -i 0.2
check "TERM=vt220: ASCII history in a UTF-8 locale" eval 'wait_for "^ *48 EPT_VIOLATION .*_.*@[#@]* *$" && ! grep -q "[▁█]" "$out"'
tm send-keys -t view q
wait_for "^EXITED:0" || true

export LC_ALL=C
EXITSTAT_SIM=$scenarios/spark.sim $WRAP "$SIM" -b -i 0.1 -n 3 >"$out" 2>&1 || :
check "plain lines have no history" eval '[ "$(grep -c "^ REASON" "$out")" -eq 3 ] && ! grep -q "LAST 60S" "$out" && grep -Eq "^ +30 IO_INSTRUCTION .* [0-9.]+ #*$" "$out"'

summary
