# Shared helpers for the shell suites: source it, call t/ok/fail, then summary.
#   SIM   the test binary with the simulated host (tests/exitstat-sim)
#   REAL  the installed-style binary (./exitstat)
#   WRAP  a command to run them under (valgrind ...), may be empty
#   SUITE a label for the PASS/FAIL lines

passed=0
failed=0
# Tools that scripts/install-deps.sh unpacks rather than installs (promtool).
PATH=$PATH:${EXITSTAT_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/exitstat/tools}
export PATH
here=$(cd "$(dirname "$0")" && pwd)
scenarios=$here/scenarios
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
err=$tmp/err

ok() { passed=$((passed + 1)); echo "PASS $SUITE: $1"; }
fail() {
	failed=$((failed + 1))
	echo "FAIL $SUITE: $1"
	shift
	for line in "$@"; do echo "    $line"; done
	echo "    stdout: $(head -c 600 "$out" 2>/dev/null)"
	echo "    stderr: $(head -c 600 "$err" 2>/dev/null)"
}
check() { # check NAME CONDITION-COMMAND...
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name" "failed: $*"; fi
}

# sim SCENARIO ARGS...: runs the simulated binary; status in $status.
sim() {
	local scenario=$1
	shift
	set +e
	EXITSTAT_SIM=$scenarios/$scenario.sim $WRAP "$SIM" "$@" >"$out" 2>"$err"
	status=$?
	set -e
}

real() {
	set +e
	$WRAP "$REAL" "$@" >"$out" 2>"$err"
	status=$?
	set -e
}

lines() { wc -l <"$1" | tr -d ' '; }
status_is() { [ "$status" -eq "$1" ]; }
stdout_empty() { [ ! -s "$out" ]; }
stderr_empty() { [ ! -s "$err" ]; }
stderr_one_line() { [ "$(lines "$err")" -eq 1 ]; }
stderr_has() { grep -q -- "$1" "$err"; }
stdout_has() { grep -q -- "$1" "$out"; }
# jq -e passes on empty input: an empty output must fail.
jq_true() { [ -s "$out" ] && jq -e "$1" "$out" >/dev/null 2>&1; }

# A usage or host error: the status, one line on stderr, nothing on stdout.
expect_error() { # NAME STATUS PATTERN
	if status_is "$2" && stdout_empty && stderr_one_line && stderr_has "$3"; then
		ok "$1"
	else
		fail "$1" "wanted status $2, one stderr line matching '$3', empty stdout; got status $status"
	fi
}

summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
