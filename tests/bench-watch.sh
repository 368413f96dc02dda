#!/bin/sh
# make bench, live view: the CPU time --watch uses at its default interval,
# and how many bytes a refresh sends to the terminal.  It runs over the
# simulated host, whose CPUIDs cost nothing: what is measured is the
# client alone, without the exits that are the unavoidable cost.
set -eu
sim=$1
seconds=${BENCH_WATCH_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
socket="exitstat-bench-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT

tmux -L "$socket" -f /dev/null new-session -d -s bench -x 120 -y 40 \
	"sh -c 'echo \$\$ >$tmp/pid; EXITSTAT_SIM=$here/scenarios/busy.sim exec $sim --watch'"
tmux -L "$socket" pipe-pane -t bench "cat >$tmp/tty"
i=0
while [ ! -s "$tmp/pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
pid=$(cat "$tmp/pid")
sleep 1
# schedstat's first field: nanoseconds this process has run on a CPU.
cpu0=$(cut -d' ' -f1 "/proc/$pid/schedstat")
bytes0=$(wc -c <"$tmp/tty")
sleep "$seconds"
cpu1=$(cut -d' ' -f1 "/proc/$pid/schedstat")
bytes1=$(wc -c <"$tmp/tty")
tmux -L "$socket" send-keys -t bench q

awk -v c0="$cpu0" -v c1="$cpu1" -v s="$seconds" -v b0="$bytes0" -v b1="$bytes1" 'BEGIN {
	printf "--watch CPU over %d s: %.3f ms, %.4f%% of one core (goal < 0.2%%)\n",
		s, (c1 - c0) / 1e6, 100 * (c1 - c0) / (s * 1e9)
	printf "--watch terminal output: %d bytes in the first second (the whole screen), then %.0f bytes a refresh over %d refreshes\n",
		b0, (b1 - b0) / s, s
}'
