#!/bin/sh
# The documentation against the program: every example of exitstat(1)'s
# EXAMPLES and of the README's usage block runs over the simulated host,
# and the option list mandoc renders is the one --help gives.
set -eu
SUITE=${SUITE:-docs}
. "$(dirname "$0")/lib.sh"
WRAP=${WRAP:-}
root=$(cd "$here/.." && pwd)
page=$root/man/exitstat.1

# --- the rendered page ---------------------------------------------------------
mandoc -Tascii "$page" | sed 's/.\x08//g' >"$tmp/page"
sim patched --help
cp "$out" "$tmp/help"
# Items of the option list: "     -a, --all", "     --raw", "     -- command".
rendered_long=$(grep -Eo '^     (-[a-zA-Z], )?--[a-z][a-z-]*' "$tmp/page" | grep -o -- '--[a-z-]*' | sort -u)
help_long=$(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u)
check "the rendered page lists the long options of --help" eval '[ -n "$rendered_long" ] && [ "$rendered_long" = "$help_long" ]'
rendered_short=$(grep -Eo '^     -[a-zA-Z], --' "$tmp/page" | cut -c6-7 | sort -u)
help_short=$(grep -Eo '^  -[a-zA-Z],' "$tmp/help" | cut -c3-4 | sort -u)
check "the rendered page lists the short options of --help" eval '[ -n "$rendered_short" ] && [ "$rendered_short" = "$help_short" ]'
check "-- COMMAND renders as '-- command', apart" eval 'grep -Eq "^     -- command \[arg \.\.\.\]$" "$tmp/page" && ! grep -q -- "--command" "$tmp/page"'
check "the operands of --help are in the page" eval 'grep -q "INTERVAL \[COUNT\]" "$tmp/help" && grep -Eq "^     interval \[count\]$" "$tmp/page"'
check "no quote opens inside another" eval '! mandoc -Tutf8 "$page" | sed "s/.\x08//g" | tr "\n" " " | grep -q "“[^”]*“"'

# --- every example runs --------------------------------------------------------
# exitstat on PATH is the simulated binary over a busy host; make finds a
# Makefile; the textfile directory is a scratch one.
mkdir -p "$tmp/bin" "$tmp/work" "$tmp/textfile"
# --host reads a KVM debugfs tree with two VMs, QEMU 4242's among them.
for vm in 4242-11 5151-12; do
	mkdir -p "$tmp/kvm/$vm"
	printf 'exitstat 1\ntotal 900 450000\n10 500 250000\n30 300 150000\n' >"$tmp/kvm/$vm/exit_stats"
done
cat >"$tmp/bin/exitstat" <<WRAPPER
#!/bin/sh
EXITSTAT_KVM_DEBUGFS=$tmp/kvm EXITSTAT_SIM=$scenarios/busy.sim exec $WRAP "$SIM" "\$@"
WRAPPER
chmod +x "$tmp/bin/exitstat"
printf 'all:\n\t@true\n' >"$tmp/work/Makefile"

# run_example SOURCE LINE: runs one example as a shell would.
run_example() {
	example=$(printf '%s\n' "$2" | sed "s#/var/lib/prometheus/node-exporter#$tmp/textfile#g")
	set +e
	case $example in
	*" -w"* | *" --watch"*)
		# The live view runs until stopped: stop it, it must have drawn.
		(cd "$tmp/work" && PATH=$tmp/bin:$PATH timeout -s INT 2.5 sh -c "$example") >"$out" 2>"$err"
		status=$?
		set -e
		check "$1: $2" eval 'grep -q "^exitstat  host" "$out" && ! grep -q "^exitstat: " "$err"'
		return
		;;
	esac
	# pipefail: an exitstat that fails before "| jq" must fail the example.
	(cd "$tmp/work" && PATH=$tmp/bin:$PATH bash -o pipefail -c "$example") >"$out" 2>"$err"
	status=$?
	set -e
	check "$1: $2" eval 'status_is 0 && ! grep -q "^exitstat: \|^jq: " "$err"'
}

examples=$(sed -n 's/^\.Dl \$ //p' "$page")
check "the man page has examples" [ -n "$examples" ]
printf '%s\n' "$examples" >"$tmp/examples"
while IFS= read -r line; do
	run_example "exitstat(1) example" "$line"
done <"$tmp/examples"
check "the node_exporter example leaves metrics promtool accepts" eval 'promtool check metrics <"$tmp/textfile/exitstat.prom" >/dev/null 2>&1'
check "the JSON lines example wrote two lines with a host CPU share" eval 'jq -e -s "length == 2 and all(.[]; .total.host_cpu_percent >= 0)" "$tmp/work/exits.jsonl" >/dev/null'

# The README's usage block: the fenced block after "## Using it".
sed -n '/^## Using it/,/^## /p' "$root/README.md" | sed -n '/^```/,/^```/p' | grep -v '^```' >"$tmp/readme"
check "the README has a usage block" [ -s "$tmp/readme" ]
while IFS= read -r line; do
	run_example "README" "$line"
done <"$tmp/readme"
# The README's sample output is what the simulated host's busy scenario
# gives today, to the byte: figures that no longer add up cannot linger.
sed -n '/^\$ exitstat$/,/^```/p' "$root/README.md" | sed '1d;$d' >"$tmp/sample"
check "the README has a sample report" [ -s "$tmp/sample" ]
"$tmp/bin/exitstat" >"$out" 2>"$err"
check "the README's sample report is what exitstat prints on busy.sim" cmp -s "$tmp/sample" "$out"
summary
