#!/bin/bash
# make check-e2e: the host patch and the client together, for real, under
# emulation.  QEMU's software CPU emulates AMD SVM, so a patched Linux
# booted in it runs kvm_amd with the series; inside, QEMU with KVM boots a
# nested guest that runs this checkout's exitstat.  For Linux 6.1:
#   patched    the selftest, then the nested guest's checks
#   param-off  kvm.exit_stats=0: the selftest's disabled path, and exitstat
#              must find no interface
#   unpatched  the same kernel without the series: no interface either
#   stock      Debian's own kernel of the linux-source-6.1 upload, with the
#              modules the installer builds for it under updates/, loaded
#              with modprobe: the selftest and the nested guest's checks
#              (E2E_STOCK=0 skips it)
# Then Bochs, which emulates Intel VMX: the selftest with the parameter on
# and off, and the nested chain with its checks (E2E_BOCHS=0 skips Bochs,
# E2E_BOCHS_NESTED=0 its nested chain only).  Then the same for Linux
# 6.12, but the unpatched boot (E2E_612=0 skips 6.12).
#   tests/e2e/e2e.sh bench: instructions per CPUID exit round trip under
#   Bochs, accounting on, off, and unpatched (E2E_KERNEL=6.12 for 6.12).
# Prints PASS/FAIL per check and "N passed, N failed".
#   E2E_KEEP=DIR keeps the serial logs there.
#   tests/e2e/e2e.sh demo: Debian's own kernel with the installer's
#   modules, one boot, and what exitstat shows in the nested guest; no
#   kernel is built.
set -eu
# kmod's depmod, modinfo and modprobe are in /sbin, which a user's PATH
# lacks on Debian.
PATH=$PATH:/usr/sbin:/sbin
export PATH
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SUITE=e2e
. "$root/tests/lib.sh"
started=$(date +%s)
logs=${E2E_KEEP:-$tmp}
mkdir -p "$logs"

if [ "${1:-}" = demo ]; then
	"$root/scripts/install-deps.sh" demo
else
	"$root/scripts/install-deps.sh" e2e
fi

step() { echo "e2e: $* ($(($(date +%s) - started)) s)"; }

# prepare VERSION [pristine] [selftest]: builds the patched kernel of that
# series (and the pristine one, and the static selftest, when named) and
# the initramfs images; sets kernel[V], pristine[V], images[V].
declare -A kernel pristine images
prepare() {
	local version=$1 base src selftest= out
	shift
	step "building the patched kernel, $version"
	# No pipe: a failed build must stop the run, not pass on an empty path.
	out=$(E2E_KERNEL=$version "$here/build-kernel.sh" patched)
	kernel[$version]=${out##*$'\n'}
	base=${kernel[$version]%/e2e-build/*}
	src=$base/src
	case " $* " in *" pristine "*)
		step "building the pristine kernel, $version"
		out=$(E2E_KERNEL=$version "$here/build-kernel.sh" pristine)
		pristine[$version]=${out##*$'\n'}
		;;
	esac
	case " $* " in *" selftest "*)
		step "building the selftest, static, $version"
		if [ ! -d "$base/headers/include" ]; then
			make -s -C "$src" O="$base/e2e-build" headers_install \
				INSTALL_HDR_PATH="$base/headers" >/dev/null
		fi
		selftest=$base/e2e-selftests/x86_64/exit_stats_test
		# KVM's own test of the binary statistics too: the series adds
		# two arrays to them.
		make -s -C "$src/tools/testing/selftests/kvm" \
			OUTPUT="$base/e2e-selftests" \
			LINUX_HDR_PATH="$base/headers/include/" LDFLAGS=-static \
			"$selftest" "$base/e2e-selftests/kvm_binary_stats_test" \
			>"$logs/selftest-build-$version.log" 2>&1 ||
			{ tail -20 "$logs/selftest-build-$version.log"; exit 1; }
		;;
	esac
	step "building the initramfs images, $version"
	images[$version]=$base/e2e-images
	"$here/images.sh" "${images[$version]}" "${kernel[$version]}" \
		"$selftest" 2>"$logs/images-$version.log"
}

# prepare_stock: Debian's stock kernel of the upload of the installed
# linux-source-6.1, and this series' modules built for it by the installer
# (tests/e2e/stock-kernel.sh, cached); sets stock_release, stock_upload,
# stock_root, stock_vmlinuz and stock_modules.
prepare_stock() {
	local out
	step "Debian's stock kernel of the linux-source-6.1 upload, with the series' modules"
	out=$("$here/stock-kernel.sh" 6.1) || { echo "e2e: the stock kernel or its modules could not be prepared"; exit 1; }
	stock_release=$(printf '%s\n' "$out" | sed -n 's/^release=//p')
	stock_upload=$(printf '%s\n' "$out" | sed -n 's/^upload=//p')
	stock_root=$(printf '%s\n' "$out" | sed -n 's/^root=//p')
	stock_vmlinuz=$(printf '%s\n' "$out" | sed -n 's/^vmlinuz=//p')
	stock_modules=$(printf '%s\n' "$out" | sed -n 's/^modules=//p')
	[ -f "$stock_vmlinuz" ] && [ -f "$stock_modules/kvm.ko" ] ||
		{ echo "e2e: stock-kernel.sh gave no kernel or no modules"; exit 1; }
}

# stock_initrd IMAGES-DIR: the images' l1.gz followed by the stock modules
# KVM needs and ours under updates/, as DIR/s1.gz.
stock_initrd() {
	"$here/stock-initramfs.sh" "$1/stock-modules.gz" "$stock_root" \
		"$stock_release" "$stock_modules"
	cat "$1/l1.gz" "$1/stock-modules.gz" >"$1/s1.gz"
	echo "$1/s1.gz"
}

# The demo shows the patched host only: the pristine kernel and the
# selftest are for the checks and the benchmark.
case ${1:-} in
demo)
	# No kernel to build: Debian's own kernel is the host, and the nested
	# guest's kernel too.
	prepare_stock
	images_dir=$(dirname "$stock_root")/demo-images
	# Built again only when something they are made of changed.
	images_key=$(cat "$here"/images.sh "$here"/l1-init.sh "$here"/l2-init.sh \
		"$here"/stock-initramfs.sh "$here"/e2e.sh "$here"/*.c "$root"/Makefile "$root"/src/*.c "$root"/include/*.h \
		"$stock_vmlinuz" "$stock_modules"/*.ko /bin/busybox /usr/bin/cpuid \
		/usr/bin/qemu-system-x86_64 | sha256sum)
	if [ "$(cat "$images_dir/key" 2>/dev/null)" != "$images_key" ] ||
		[ ! -f "$images_dir/s1.gz" ]; then
		step "building the initramfs images"
		"$here/images.sh" "$images_dir" "$stock_vmlinuz" "" 2>"$logs/images-demo.log" ||
			{ tail -n 20 "$logs/images-demo.log"; echo "demo: the initramfs images could not be built"; exit 1; }
		stock_initrd "$images_dir" >/dev/null
		echo "$images_key" >"$images_dir/key"
	fi
	initrd=$images_dir/s1.gz
	;;
bench) prepare "${E2E_KERNEL:-6.1}" pristine selftest ;;
*) prepare 6.1 pristine selftest ;;
esac
version=${E2E_KERNEL:-6.1}
[ "${1:-}" = bench ] || version=6.1
if [ "${1:-}" != demo ]; then
	patched=${kernel[$version]}
	unpatched=${pristine[$version]:-}
	images_dir=${images[$version]}
fi

# boot NAME KERNEL EXTRA-CMDLINE: one boot of the first guest, its serial
# output (\r dropped) in $logs/NAME.log.
boot() {
	step "booting $1"
	timeout "${E2E_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg -cpu max \
		-m 1024 -smp 1 -nographic -no-reboot -kernel "$2" \
		-initrd "${initrd:-$images_dir/l1.gz}" \
		-append "console=ttyS0 quiet lpj=1000000 tsc=reliable no_timer_check io_delay=none $3" \
		</dev/null 2>&1 | tr -d '\r' >"$logs/$1.log" || true
	status=${PIPESTATUS[0]}
	grep -q "^@@L1 done" "$logs/$1.log" && return
	# Say why before the checks fail one by one: QEMU's own last words,
	# or the guest's.
	if [ "$status" = 124 ]; then
		echo "e2e: $1: QEMU timed out before '@@L1 done'; its output ends with:"
	else
		echo "e2e: $1: QEMU stopped (status $status) before '@@L1 done'; its output ends with:"
	fi
	tail -n 12 "$logs/$1.log" | sed 's/^/  /'
}

# What block NAME in log LOG printed: out (stdout) or err (stderr).  The
# nested guest sends it gzipped, in base64 lines.
block() { # LOG NAME out|err
	tag=$(echo "$3" | tr a-z A-Z)
	awk -v name="$2" -v tag="@@${tag}Z " '
		$0 == "@@END " name { inside = 0 }
		inside && index($0, tag) == 1 { print substr($0, length(tag) + 1) }
		index($0, "@@BEGIN " name " ") == 1 { inside = 1 }' "$1" |
		base64 -d | gzip -dc 2>/dev/null
}
block_status() { sed -n "s/^@@BEGIN $2 \([0-9]*\)$/\1/p" "$1" | head -1; }
# jq over a block's stdout.
bjq() { block "$1" "$2" out | jq -e -s "$3" >/dev/null 2>&1; }

# Todd Allen's cpuid's lines in LOG ("   0x4ffffffe 0x0a: eax=0x00000ac9
# ebx=0x00000000 ..."), as objects like those of exitstat --raw.
cpuid_json() { # LOG
	block "$1" cpuid out |
		sed -n 's/^ *\(0x[0-9a-f]*\) \(0x[0-9a-f]*\): eax=\(0x[0-9a-f]*\) ebx=\(0x[0-9a-f]*\) ecx=\(0x[0-9a-f]*\) edx=\(0x[0-9a-f]*\)$/\1 \2 \3 \4 \5 \6/p' |
		while read -r leaf subleaf eax ebx ecx edx; do
			printf '{"leaf":%d,"subleaf":%d,"eax":%d,"ebx":%d,"ecx":%d,"edx":%d}\n' \
				"$leaf" "$subleaf" "$eax" "$ebx" "$ecx" "$edx"
		done
}

# cpuid_checks LABEL LOG: cpuid's answers against the interface's contract,
# and against exitstat's registers (xstat0 and xstat1 right before cpuid
# ran, xstat2 right after).  Every read is a CPUID exit of reason 10: the
# counts must account for each one.
cpuid_checks() {
	local label=$1 log=$2 reads=$tmp/cpuid-reads.json
	cpuid_json "$log" | jq -s . >"$reads"
	for x in xstat0 xstat1 xstat2; do
		block "$log" $x out >"$tmp/$x.json"
	done
	# jq over cpuid's reads ($c) and exitstat's ($x0 $x1 $x2), in the
	# order issued: read(L; R), those of leaf L, subleaf R; counts(L; R)
	# their counts (EBX:EAX), cycles(L; R) their cycles (EBX:ECX).
	cjq() {
		jq -e -n --slurpfile c "$reads" --slurpfile x0 "$tmp/xstat0.json" \
			--slurpfile x1 "$tmp/xstat1.json" --slurpfile x2 "$tmp/xstat2.json" '
			def read(l; r): map(select(.leaf == l and .subleaf == r));
			def counts(l; r): read(l; r) | map(.ebx * 4294967296 + .eax);
			def cycles(l; r): read(l; r) | map(.ebx * 4294967296 + .ecx);
			def zero: .eax == 0 and .ebx == 0 and .ecx == 0 and .edx == 0;
			def undefined: .eax == 0 and .ebx == 0 and .ecx == 0 and .edx == 4294967295;
			$c[0] as $c | $x0[0] as $x0 | $x1[0] as $x1 | $x2[0] as $x2 | '"$1" >/dev/null
	}
	local exits=1342177278 cycles=1342177279
	check "$label: cpuid ran and read all 20 leaves" \
		eval '[ "$(block_status "$log" cpuid)" = 0 ] && cjq "\$c | length == 20"'
	check "$label: cpuid reads the EXST signature" \
		cjq '$c | read(1342177276; 0) | length == 1 and .[0].edx == 1414748229'
	check "$label: cpuid: 35, 82, 86 and 131072 undefined on both leaves" \
		cjq "[$exits, $cycles] | all(. as \$l | [35, 82, 86, 131072] | all(. as \$r | \$c | read(\$l; \$r) | length == 1 and (.[0] | undefined)))"
	check "$label: cpuid: 5, defined and unhandled, all zero on both leaves" \
		cjq "\$c | (read($exits; 5) + read($cycles; 5)) | length == 2 and all(zero)"
	check "$label: cpuid: 81 and 85 are not marked undefined" \
		cjq "[81, 85] | all(. as \$r | \$c | (read($exits; \$r) + read($cycles; \$r)) | length == 2 and all(.edx != 4294967295))"
	check "$label: cpuid reads reason 10 as handled, with cycles" \
		cjq "(\$c | read($exits; 10) | all(.edx == 1414748229 and .ecx == 0)) and (\$c | read($cycles; 10) | length == 1 and .[0].eax == 0 and .[0].edx == 0 and (cycles($cycles; 10)[0] > 0))"
	# exitstat takes no reason of 65536 or more.
	check "$label: cpuid and exitstat read the same registers for reasons without exits" \
		cjq "[\$c[] | select(.leaf == $exits and .subleaf != 10 and .subleaf < 65536)] as \$mine | (\$mine | length) == 6 and (\$mine | all(. as \$r | [\$x1, \$x2] | all(read(\$r.leaf; \$r.subleaf) | length >= 1 and all(. == \$r))))"
	check "$label: cpuid's figures lie between exitstat's before and after" \
		cjq "(\$x1 | counts($exits; 10) | last) < (\$c | counts($exits; 10) | first) and (\$c | counts($exits; 10) | last) < (\$x2 | counts($exits; 10) | first)
			and (\$x1 | cycles($cycles; 10) | last) < (\$c | cycles($cycles; 10) | first) and (\$c | cycles($cycles; 10) | first) < (\$x2 | cycles($cycles; 10) | first)
			and (\$x1 | counts(1342177276; 0) | last) < (\$c | counts(1342177276; 0) | first) and (\$c | counts(1342177276; 0) | first) < (\$x2 | counts(1342177276; 0) | first)
			and (\$x1 | cycles(1342177277; 0) | last) < (\$c | cycles(1342177277; 0) | first) and (\$c | cycles(1342177277; 0) | first) < (\$x2 | cycles(1342177277; 0) | first)"
	# Two cpuid processes in a row: K CPUIDs each.  The last read of
	# reason 10 comes K for each process later than the second.
	check "$label: each cpuid process counts its CPUIDs, the read included" \
		cjq "[\$c | to_entries[] | select(.value.leaf == $exits and .value.subleaf == 10) | .key] as \$at | (\$c | counts($exits; 10)) as \$r |
			(\$r | length) == 3 and (\$r[1] - \$r[0]) >= 1 and (\$r[2] - \$r[1]) == (\$at[2] - \$at[1]) * (\$r[1] - \$r[0])"
	# exitstat ran the same way three times: what it issues between its
	# reads of reason 10 and the next run's is the same each time, so
	# the second gap is the first plus every CPUID of cpuid's processes.
	check "$label: exitstat's counts account for every CPUID of cpuid's processes" \
		cjq "(\$c | counts($exits; 10) | .[1] - .[0]) as \$each |
			((\$x2 | counts($exits; 10) | first) - (\$x1 | counts($exits; 10) | last)) -
			((\$x1 | counts($exits; 10) | first) - (\$x0 | counts($exits; 10) | last)) == (\$c | length) * \$each"
}

# nested_checks LABEL LOG: the nested guest's checks, alike for every host
# (SVM under QEMU, VMX under Bochs) and kernel.
nested_checks() {
	local label=$1 log=$2
	out=$log
	check "$label: the nested guest ran to the end" grep -qx "@@L2 done" "$log"
	check "$label: exitstat --reason 10 finds the host and counts CPUID" \
		eval '[ "$(block_status "$log" reason10)" = 0 ] && block "$log" reason10 out | grep -Eq "^ +10 +CPUID +counted +[1-9]"'
	check "$label: the interface has the 64-bit extension" \
		eval 'block "$log" reason10 out | grep -q "64-bit counts"'
	check "$label: a CPUID read counts itself once (two reads differ by 1)" \
		bjq "$log" raw '.[0] | map(select(.leaf == 1342177278 and .subleaf == 10)) | .[1].eax - .[0].eax == 1'
	check "$label: the EXST signature" \
		bjq "$log" raw '.[0] | map(select(.leaf == 1342177276)) | .[0].edx == 1414748229'
	check "$label: --all lists 76 reasons" bjq "$log" all1 '.[0].reasons | length == 76'
	check "$label: 35, 38, 42 and 71 are undefined" \
		bjq "$log" all1 '[.[0].reasons[] | select(.status == "undefined") | .reason] == [35,38,42,71]'
	check "$label: reasons KVM does not handle are marked" \
		bjq "$log" all1 '[.[0].reasons[] | select(.status == "unhandled") | .reason] | contains([5,11,65])'
	check "$label: handled reasons are not marked unhandled" \
		bjq "$log" all1 '[.[0].reasons[] | select(.reason == 10 or .reason == 12 or .reason == 30 or .reason == 48) | .status] | all(. == "counted" or . == "idle")'
	check "$label: totals cover the per-reason sums" \
		bjq "$log" all1 '.[0] | .total.exits >= ([.reasons[].exits] | add) and .total.cycles >= ([.reasons[].cycles] | add)'
	check "$label: parts add up to the totals" \
		bjq "$log" all1 '.[0] | .total.exits == ([.reasons[].exits] | add) + .other.exits and .total.cycles == ([.reasons[].cycles] | add) + .other.cycles'
	check "$label: 1000 CPUIDs show under reason 10" \
		eval 'b=$(block "$log" before out | jq ".reasons[0].exits"); a=$(block "$log" after out | jq ".reasons[0].exits"); d=$((a - b)); echo "    reason 10 grew by $d"; [ "$d" -ge 1000 ] && [ "$d" -lt 1400 ]'
	check "$label: counts and cycles never go backwards" \
		eval 'jq -e -n --slurpfile a <(block "$log" all1 out) --slurpfile b <(block "$log" all2 out) "[range(0;76) as \$i | (\$b[0].reasons[\$i].exits >= \$a[0].reasons[\$i].exits and \$b[0].reasons[\$i].cycles >= \$a[0].reasons[\$i].cycles)] | all" >/dev/null'
	# An interval that starts late ends early: the view keeps its
	# schedule (seen: 0.17 s, then 0.05 s, with two vCPUs under 6.12).
	check "$label: --watch --batch -n 3 gives three JSON lines" \
		eval '[ "$(block_status "$log" watch)" = 0 ] && bjq "$log" watch "length == 3 and all(.[]; .seconds > 0 and .total.exits > 0) and ([.[].seconds] | add) > 0.25"'
	check "$label: exitstat -- portio 1000 passes the status on" eval '[ "$(block_status "$log" portio)" = 0 ]'
	check "$label: port I/O during the command shows under reason 30" \
		eval 'block "$log" portio err | jq -e "[.reasons[] | select(.reason == 30) | .exits][0] >= 1000" >/dev/null'
	check "$label: the command report says the figures are VM-wide" \
		eval 'block "$log" portio err | jq -e ".notes[0] | test(\"VM-wide\")" >/dev/null'
	cpuid_checks "$label" "$log"
}

# host_checks LABEL LOG: what the first guest, the nested guest's host,
# read of it while it sat idle between two exitstat readings of its own
# (tests/e2e/l1-init.sh, host_reads): the VM's and each vCPU's debugfs
# exit_stats, QEMU's query-stats, and exitstat --host.  Reason 10 counts
# only CPUIDs, and none run in that window: the host's figures for it are
# exact, strictly between the guest's before and after.
host_checks() {
	local label=$1 log=$2 vm=$tmp/hostvm.txt qmp=$tmp/qmpstats.json
	block "$log" hostvm out >"$vm"
	block "$log" qmpstats out >"$qmp"
	host10() { awk '$1 == 10 { print $2 }' "$vm"; }
	check "$label: the host read the nested VM in the quiet window" \
		grep -q "^@@HOSTREAD [0-9]*-[0-9]*$" "$log"
	check "$label: debugfs exit_stats: version, total, reasons in order" \
		eval '[ "$(block_status "$log" hostvm)" = 0 ] && awk "NR == 1 { ok = \$0 == \"exitstat 1\" } NR == 2 { ok = ok && \$1 == \"total\" && NF == 3 } NR > 2 { ok = ok && NF == 3 && (NR == 3 || \$1 + 0 > last); last = \$1 + 0 } END { exit !(ok && NR > 10) }" "$vm"'
	check "$label: debugfs: reason 10 lies strictly between the guest's readings" \
		eval 'b=$(block "$log" hostbefore out | jq ".reasons[0].exits"); a=$(block "$log" hostafter out | jq ".reasons[0].exits"); h=$(host10); echo "    guest $b, host $h, guest $a"; [ "$b" -lt "$h" ] && [ "$h" -lt "$a" ]'
	check "$label: debugfs: the vCPUs' files add up to the VM's for reason 10" \
		eval 'v=$(block "$log" hostvcpus out | awk "\$1 == 10 { s += \$2; n++ } END { if (n == 2) print s }"); [ "$v" = "$(host10)" ]'
	check "$label: query-stats: exits_by_reason and exit_cycles_by_reason, 87 values, per vCPU" \
		eval 'jq -e "[.return[] | select(.provider == \"kvm\") | .stats | map(select(.name == \"exits_by_reason\" or .name == \"exit_cycles_by_reason\") | .value | length)] | length == 2 and all(. == [87, 87])" "$qmp" >/dev/null'
	# Debian 12's QEMU (7.2) lists an array's values last first (it
	# builds the list by prepending): value 0 is slot 86.
	check "$label: query-stats: reason 10 of each vCPU is what its debugfs file says" \
		eval 'q=$(jq -r "[.return[] | .stats[] | select(.name == \"exits_by_reason\") | .value | reverse | .[10]] | sort | map(tostring) | join(\" \")" "$qmp"); d=$(block "$log" hostvcpus out | awk "\$1 == 10 { print \$2 }" | sort -n | tr "\n" " " | sed "s/ $//"); echo "    query-stats $q, debugfs $d"; [ -n "$q" ] && [ "$q" = "$d" ]'
	check "$label: query-stats: CPUID cycles counted" \
		eval 'jq -e "[.return[] | .stats[] | select(.name == \"exit_cycles_by_reason\") | .value | reverse | .[10]] | add > 0" "$qmp" >/dev/null'
	check "$label: exitstat --host reads the same reason 10 as debugfs" \
		eval '[ "$(block_status "$log" hostall)" = 0 ] && [ "$(block "$log" hostall out | jq ".reasons[] | select(.reason == 10) | .exits")" = "$(host10)" ]'
	check "$label: exitstat --host PID reads the same" \
		eval '[ "$(block_status "$log" hostpid)" = 0 ] && [ "$(block "$log" hostpid out | jq ".reasons[] | select(.reason == 10) | .exits")" = "$(host10)" ]'
	check "$label: exitstat --host: parts add up to the total" \
		bjq "$log" hostall '.[0] | .total.exits == ([.reasons[].exits] | add) + .other.exits'
	# In the nested guest, with its two vCPUs.
	check "$label: --per-cpu reads vCPUs 0 and 1, one on each CPU" \
		eval '[ "$(block_status "$log" percpu)" = 0 ] && bjq "$log" percpu ".[0].cpus | map(.vcpu) == [0, 1]"'
	check "$label: --per-cpu: every row is the sum of its CPU columns" \
		bjq "$log" percpu '.[0] | [.total, .other, .reasons[]] | all(.exits == ([.cpus[].exits] | add) and .cycles == ([.cpus[].cycles] | add))'
	check "$label: --per-cpu: the rows add up to the total" \
		bjq "$log" percpu '.[0] | .total.exits == ([.reasons[].exits] | add) + .other.exits'
	check "$label: --cpu 1 -- cpuid-loop 1000: vCPU 1 alone, its 1000 CPUIDs" \
		eval '[ "$(block_status "$log" cpu1)" = 0 ] && block "$log" cpu1 err | jq -e ".vcpu == 1 and .cpu == 1 and ([.reasons[] | select(.reason == 10) | .exits][0] | . >= 1000 and . < 1100)" >/dev/null'
	check "$label: --cpu 2 on a guest with CPUs 0-1: one line, status 2" \
		eval '[ "$(block_status "$log" nocpu)" = 2 ] && [ "$(block "$log" nocpu err | wc -l)" = 1 ] && [ -z "$(block "$log" nocpu out)" ]'
}

# roundtrip LOG: "min mean" of the minimal VMM's measurement in LOG.
# roundtrip LOG [LEAF SUBLEAF]: the same for CPUID of that leaf (0 0).
roundtrip() {
	sed -n "s/^@@ROUNDTRIP min \([0-9]*\) mean \([0-9.]*\) n [0-9]* leaf ${2:-0} subleaf ${3:-0}\$/\1 \2/p" "$1" | tail -1
}

if [ "${1:-}" = bench ]; then
	# Instructions per CPUID exit round trip, counted by Bochs.
	"$here/bochs.sh" "$patched" "$images_dir/b1.gz" "e2e=roundtrip" "$logs/bench-on.log"
	"$here/bochs.sh" "$patched" "$images_dir/b1.gz" "e2e=roundtrip kvm.exit_stats=0" "$logs/bench-off.log"
	"$here/bochs.sh" "$unpatched" "$images_dir/b1.gz" "e2e=roundtrip" "$logs/bench-unpatched.log"
	on=$(roundtrip "$logs/bench-on.log")
	off=$(roundtrip "$logs/bench-off.log")
	base_rt=$(roundtrip "$logs/bench-unpatched.log")
	[ -n "$on" ] && [ -n "$off" ] && [ -n "$base_rt" ] || { echo "bench-kernel: a run gave no figure"; exit 1; }
	echo "Linux $version: CPUID exit round trip under Bochs (corei7_skylake_x, VMX), instructions:"
	printf "  %-28s %8s %10s\n" "kernel" "cheapest" "mean"
	printf "  %-28s %8s %10s\n" "unpatched" $base_rt
	printf "  %-28s %8s %10s\n" "patched, kvm.exit_stats=0" $off
	printf "  %-28s %8s %10s\n" "patched, kvm.exit_stats=1" $on
	# Reading the figures costs what a CPUID exit costs, plus the sum: of
	# one vCPU's counters, or the VM's (one vCPU here).
	vm_read=$(roundtrip "$logs/bench-on.log" 0x4ffffffe 0xa)
	vcpu_read=$(roundtrip "$logs/bench-on.log" 0x4ffffffe 0x1000a)
	[ -n "$vm_read" ] && [ -n "$vcpu_read" ] || { echo "bench-kernel: no figure for the leaves' reads"; exit 1; }
	printf "  %-28s %8s %10s\n" "read reason 10, the VM's" $vm_read
	printf "  %-28s %8s %10s\n" "read reason 10, one vCPU's" $vcpu_read
	set -- $on
	on_min=$1
	set -- $off
	off_min=$1
	set -- $base_rt
	base_min=$1
	awk -v on="$on_min" -v off="$off_min" -v base="$base_min" 'BEGIN {
		printf "accounting on / unpatched: %.4f (goal <= 1.015), %+d instructions\n", on / base, on - base
		printf "off / unpatched:           %.4f (goal <= 1.003), %+d instructions\n", off / base, off - base
		exit !(on / base <= 1.015 && off / base <= 1.003) }'
	exit
fi

if [ "${1:-}" = demo ]; then
	boot demo "$stock_vmlinuz" "e2e=nested,demo"
	if [ -z "$(block "$logs/demo.log" table out)" ]; then
		echo "demo: the nested guest showed no table (above: how the run ended)"
		exit 1
	fi
	echo
	echo "host: Debian's kernel $stock_release (upload $stock_upload), under QEMU's SVM,"
	echo "with this series' kvm.ko and kvm-amd.ko built for it by kernel-patch/install-modules.sh"
	echo "($(sed -n 's/^@@MODULES \([0-9]*\) .*kvm=\([^ ]*\).*/status \1, kvm from \2/p' "$logs/demo.log"))"
	echo
	echo "exitstat --all, in a nested guest of that host:"
	echo
	block "$logs/demo.log" table out
	echo
	echo "exitstat -- portio 1000 in the same guest (the report is on stderr):"
	echo
	block "$logs/demo.log" portio err | jq -r '"total: \(.total.exits) exits in \(.seconds) s", (.reasons[] | "  reason \(.reason) \(.name): \(.exits) exits, \(.cycles) cycles")'
	exit
fi

# kvm.force_emulation_prefix=1 lets the selftest run CPUID through KVM's
# instruction emulator too (KVM_FEP), which must answer the leaves alike.
boot patched "$patched" "e2e=selftest,nested,host kvm.force_emulation_prefix=1"
log=$logs/patched.log
out=$log
check "patched: the host runs kvm with exit_stats on" grep -q "^@@L1 up steps=selftest,nested,host param=Y" "$log"
check "patched: the selftest passes" grep -qx "@@SELFTEST 0" "$log"
check "patched: the selftest ran CPUID through the emulator too" \
	grep -q "exit_stats=Y: all checks passed, CPUID through the emulator included" "$log"
check "patched: the selftest matched debugfs against the binary statistics" \
	grep -q "debugfs: the VM's and each vCPU's exit_stats match the binary statistics" "$log"
check "patched: KVM's binary statistics test passes with the two arrays" grep -qx "@@BINSTATS 0" "$log"
nested_checks patched "$log"
host_checks patched "$log"
block "$log" table out >"$logs/exitstat-all.txt"

boot param-off "$patched" "e2e=selftest,nested,host kvm.exit_stats=0 kvm.force_emulation_prefix=1"
log=$logs/param-off.log
out=$log
check "param off: kvm loaded with exit_stats=N" grep -q "^@@L1 up .* param=N" "$log"
check "param off: the selftest passes (leaves as unpatched)" grep -qx "@@SELFTEST 0" "$log"
check "param off: the emulator leaves the leaves alone too" \
	grep -q "exit_stats=N: the leaves answer as without the feature, through the emulator too" "$log"
check "param off: exitstat finds no interface, status 3" \
	eval '[ "$(block_status "$log" all1)" = 3 ] && block "$log" all1 err | grep -q "does not provide the exit-statistics CPUID leaves"'
check "param off: no partial output" eval '[ -z "$(block "$log" all1 out)" ]'
check "param off: exitstat --per-cpu finds no interface: status 3, one line" \
	eval '[ "$(block_status "$log" percpu)" = 3 ] && [ "$(block "$log" percpu err | wc -l)" = 1 ] && [ -z "$(block "$log" percpu out)" ]'
check "param off: KVM makes no exit_stats file in debugfs" \
	eval 'grep -q "^@@HOSTREAD [0-9]*-[0-9]*$" "$log" && [ "$(block_status "$log" hostvm)" != 0 ]'
check "param off: exitstat --host finds no figures: status 3, one line" \
	eval '[ "$(block_status "$log" hostall)" = 3 ] && [ "$(block "$log" hostall err | wc -l)" = 1 ]'

boot unpatched "$unpatched" "e2e=nested"
log=$logs/unpatched.log
out=$log
check "unpatched: kvm has no exit_stats parameter" grep -q "^@@L1 up .* param=none" "$log"
check "unpatched: exitstat finds no interface, status 3" \
	eval '[ "$(block_status "$log" all1)" = 3 ] && block "$log" all1 err | grep -q "KVMKVMKVM.*does not provide"'

# Debian's own kernel, the one a host runs, with the modules the
# installer builds for it (E2E_STOCK=0 skips it): loaded the way the
# installer loads them, then the same selftest and nested checks.
if [ "${E2E_STOCK:-1}" = 1 ]; then
	prepare_stock
	initrd=$(stock_initrd "$images_dir")
	boot stock "$stock_vmlinuz" "e2e=selftest,nested,host kvm.force_emulation_prefix=1"
	initrd=
	log=$logs/stock.log
	out=$log
	label="stock $stock_release"
	check "$label: the series' modules carry the stock kernel's vermagic" \
		eval '[ "$(modinfo -F vermagic "$stock_modules/kvm.ko")" = "$(modinfo -F vermagic "$stock_root/lib/modules/$stock_release/kernel/virt/lib/irqbypass.ko")" ]'
	check "$label: modprobe loads kvm_amd, and kvm.ko from updates/exitstat" \
		grep -q "^@@MODULES 0 kvm_amd release=$stock_release kvm=/lib/modules/$stock_release/updates/exitstat/kvm.ko" "$log"
	check "$label: the kernel says out-of-tree and unsigned (taint O, E)" \
		grep -q '^@@MODULES .* taint=OE$' "$log"
	check "$label: kvm runs with exit_stats on" grep -q "^@@L1 up .* param=Y" "$log"
	check "$label: the selftest passes" grep -qx "@@SELFTEST 0" "$log"
	check "$label: the selftest ran CPUID through the emulator too" \
		grep -q "exit_stats=Y: all checks passed, CPUID through the emulator included" "$log"
	nested_checks "$label" "$log"
	host_checks "$label" "$log"
fi

# Intel VMX, under Bochs: the selftest with the parameter on and off, a
# minimal VMM's CPUID round trip, and the nested chain.  LABEL starts the
# checks' names, PREFIX the logs' names.
bochs_checks() { # LABEL PREFIX
	"$here/bochs.sh" "$patched" "$images_dir/b1.gz" "e2e=selftest,roundtrip kvm.force_emulation_prefix=1" "$logs/$2bochs-on.log" || true
	log=$logs/$2bochs-on.log
	out=$log
	check "$1Bochs/VMX: kvm_intel runs with exit_stats on" grep -q "^@@L1 up .* param=Y virt=vmx$" "$log"
	check "$1Bochs/VMX: the selftest passes" grep -qx "@@SELFTEST 0" "$log"
	check "$1Bochs/VMX: the selftest ran CPUID through the emulator too" \
		grep -q "CPUID through the emulator included" "$log"
	check "$1Bochs/VMX: a minimal VMM's CPUID exits round-trip" eval '[ -n "$(roundtrip "$log")" ]'
	check "$1Bochs/VMX: the selftest matched debugfs against the binary statistics" \
		grep -q "debugfs: the VM's and each vCPU's exit_stats match the binary statistics" "$log"
	check "$1Bochs/VMX: reading one vCPU's figures costs no more than the VM's" \
		eval 'set -- $(roundtrip "$log" 0x4ffffffe 0xa) $(roundtrip "$log" 0x4ffffffe 0x1000a); echo "    VM-wide $1, one vCPU $3 instructions"; [ -n "${3:-}" ] && [ "$3" -le "$1" ]'
	"$here/bochs.sh" "$patched" "$images_dir/b1.gz" "e2e=selftest kvm.exit_stats=0 kvm.force_emulation_prefix=1" "$logs/$2bochs-off.log" || true
	log=$logs/$2bochs-off.log
	out=$log
	check "$1Bochs/VMX, param off: the selftest passes (leaves as unpatched)" grep -qx "@@SELFTEST 0" "$log"
	[ "${E2E_BOCHS_NESTED:-1}" != 1 ] || bochs_nested_checks "$1" "$2"
}
# The vendor the interface was written for: the nested chain of the QEMU
# runs (Debian's QEMU with KVM in the first guest, exitstat and cpuid in
# the nested one) on kvm_intel, with the same checks.
bochs_nested_checks() { # LABEL PREFIX
	step "booting the nested chain under Bochs${1:+, ${1% }}"
	"$here/bochs.sh" "$patched" "$images_dir/l1.gz" "e2e=nested" "$logs/$2bochs-nested.log" || true
	log=$logs/$2bochs-nested.log
	out=$log
	check "$1Bochs/VMX nested: kvm runs on VMX with exit_stats on" grep -q "^@@L1 up .* param=Y virt=vmx$" "$log"
	nested_checks "$1Bochs/VMX nested" "$log"
}
[ "${E2E_BOCHS:-1}" != 1 ] || bochs_checks "" ""

# Linux 6.12: the series run for real too, under both vendors.
if [ "${E2E_612:-1}" = 1 ]; then
	prepare 6.12 selftest
	patched=${kernel[6.12]}
	images_dir=${images[6.12]}
	# Without the host step: with a nested guest of two vCPUs, 6.12 runs
	# hung in 2 of 5 tries here (QEMU's software CPU, one CPU for the
	# first guest), with the parameter on; the selftest covers the
	# per-vCPU figures, debugfs and the binary statistics on 6.12.
	boot 6.12-patched "$patched" "e2e=selftest,nested kvm.force_emulation_prefix=1"
	log=$logs/6.12-patched.log
	out=$log
	check "6.12 patched: the host runs kvm with exit_stats on" grep -q "^@@L1 up steps=selftest,nested param=Y" "$log"
	check "6.12 patched: the selftest passes" grep -qx "@@SELFTEST 0" "$log"
	check "6.12 patched: the selftest ran CPUID through the emulator too" \
		grep -q "exit_stats=Y: all checks passed, CPUID through the emulator included" "$log"
	check "6.12 patched: the selftest matched debugfs against the binary statistics" \
		grep -q "debugfs: the VM's and each vCPU's exit_stats match the binary statistics" "$log"
	check "6.12 patched: KVM's binary statistics test passes with the two arrays" grep -qx "@@BINSTATS 0" "$log"
	nested_checks "6.12 patched" "$log"

	boot 6.12-param-off "$patched" "e2e=selftest,nested kvm.exit_stats=0 kvm.force_emulation_prefix=1"
	log=$logs/6.12-param-off.log
	out=$log
	check "6.12 param off: the selftest passes (leaves as unpatched)" grep -qx "@@SELFTEST 0" "$log"
	check "6.12 param off: exitstat finds no interface, status 3" \
		eval '[ "$(block_status "$log" all1)" = 3 ]'

	[ "${E2E_BOCHS:-1}" != 1 ] || bochs_checks "6.12 " 6.12-
fi

step "done"
summary
