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

# One refresh of the live view (160x40, UTF-8, the minute of history
# full), side by side: the same figures without the history and with it.
refreshes=50
trap 'rm -f "$out" "$out.log" "$out.plain" "$out.history"' EXIT
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
