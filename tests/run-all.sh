#!/bin/sh
# make check: every suite, plain, under ASan/UBSan and under valgrind,
# (make test: and the host patch's compile checks), then one closing line
# with the sums.
set -u
cd "$(dirname "$0")/.."

total_passed=0
total_failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run LABEL COMMAND...: runs a suite, echoes it, adds up its closing line.
run() {
	label=$1
	shift
	echo "== $label"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	if [ -z "$last" ]; then
		echo "FAIL $label: suite ended without a result (status $rc)"
		total_failed=$((total_failed + 1))
		return
	fi
	p=${last%% passed*}
	f=${last#*, }
	f=${f%% failed*}
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $label: status $rc with no failed check"
		total_failed=$((total_failed + 1))
	fi
}

valgrind="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"

# The 32-bit x86 build: the unit, command-line, interface and live-view
# suites.
run_m32() {
	run unit-m32 build/m32/unit-tests
	run cli-m32 env SUITE=cli-m32 SIM=build/m32/exitstat-sim REAL=build/m32/exitstat tests/cli.sh
	run interface-m32 env SUITE=interface-m32 SIM=build/m32/exitstat-sim tests/interface.sh
	run watch-m32 env SUITE=watch-m32 SIM="$PWD/build/m32/exitstat-sim" tests/watch.sh
	run hostview-m32 env SUITE=hostview-m32 REAL=build/m32/exitstat tests/hostview.sh
	run percpu-m32 env SUITE=percpu-m32 SIM=build/m32/exitstat-sim tests/percpu.sh
}

# run-all.sh m32: those alone (make check-m32).
if [ "${1:-}" = m32 ]; then
	run_m32
	echo "$total_passed passed, $total_failed failed"
	[ "$total_failed" -eq 0 ]
	exit
fi

run unit build/unit-tests
run install tests/install.sh
run deps tests/deps.sh
run unit-asan build/san/unit-tests
run cli env SIM=tests/exitstat-sim REAL=./exitstat tests/cli.sh
run cli-asan env SUITE=cli-asan SIM=build/san/exitstat-sim REAL=build/san/exitstat tests/cli.sh
run interface env SIM=tests/exitstat-sim tests/interface.sh
run interface-asan env SUITE=interface-asan SIM=build/san/exitstat-sim tests/interface.sh
run completion env SIM=tests/exitstat-sim tests/completion.sh
run docs env SIM="$PWD/tests/exitstat-sim" tests/docs.sh
run watch env SIM="$PWD/tests/exitstat-sim" tests/watch.sh
run watch-asan env SUITE=watch-asan SIM="$PWD/build/san/exitstat-sim" tests/watch.sh
run hostview env REAL=./exitstat tests/hostview.sh
run hostview-asan env SUITE=hostview-asan REAL=build/san/exitstat tests/hostview.sh
run unit-valgrind $valgrind build/unit-tests
run cli-valgrind env SUITE=cli-valgrind WRAP="$valgrind" SIM=tests/exitstat-sim REAL=./exitstat tests/cli.sh
run interface-valgrind env SUITE=interface-valgrind WRAP="$valgrind" SIM=tests/exitstat-sim tests/interface.sh
run hostview-valgrind env SUITE=hostview-valgrind WRAP="$valgrind" REAL=./exitstat tests/hostview.sh
run percpu env SIM=tests/exitstat-sim tests/percpu.sh
run percpu-asan env SUITE=percpu-asan SIM=build/san/exitstat-sim tests/percpu.sh
run percpu-watch env SIM="$PWD/tests/exitstat-sim" tests/percpu-watch.sh
run percpu-watch-asan env SUITE=percpu-watch-asan SIM="$PWD/build/san/exitstat-sim" tests/percpu-watch.sh
run percpu-valgrind env SUITE=percpu-valgrind WRAP="$valgrind" SIM=tests/exitstat-sim tests/percpu.sh
run_m32

# The host patch, compile-checked against Debian's kernel sources.
if [ "${EXITSTAT_KERNEL:-0}" = 1 ]; then
	run kernel-6.1 kernel-patch/check.sh 6.1
	run kernel-6.12 kernel-patch/check.sh 6.12
	run kernel-apply tests/kernel-apply.sh
fi

# The host patch and the client together, under QEMU and Bochs; the
# installer and DKMS against Debian's stock kernel (they need its build).
if [ "${EXITSTAT_E2E:-0}" = 1 ]; then
	run e2e tests/e2e/e2e.sh
	run installer tests/installer.sh
	run dkms tests/e2e/dkms.sh
fi

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
