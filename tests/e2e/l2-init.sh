#!/bin/sh
# /init of the nested guest: runs exitstat, and Todd Allen's cpuid as a
# client written elsewhere, and prints what they saw, every line tagged, on
# the serial console.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

# run NAME COMMAND...: runs the command now and keeps its stdout, stderr
# and status for show NAME.  Between runs nothing but the shell executes,
# so every CPUID exit in between is the commands' own.
run() {
	name=$1
	shift
	"$@" >"/tmp/$name.out" 2>"/tmp/$name.err"
	echo $? >"/tmp/$name.status"
}
# show NAME: the kept output, gzipped and base64-encoded.  This guest's
# serial line carries a few kilobytes a second under QEMU and under a
# kilobyte under Bochs: plain JSON was most of the run's time.
show() {
	echo "@@BEGIN $1 $(cat "/tmp/$1.status")"
	[ ! -s "/tmp/$1.out" ] || gzip -c "/tmp/$1.out" | base64 | sed 's/^/@@OUTZ /'
	[ ! -s "/tmp/$1.err" ] || gzip -c "/tmp/$1.err" | base64 | sed 's/^/@@ERRZ /'
	echo "@@END $1"
}
block() {
	run "$@"
	show "$1"
}

# cpuid -1 -r -l LEAF -s REASON reads one leaf, one process each (20 in
# all; e2e.sh counts on them).  Two reads of reason 10 in a row show how
# many CPUIDs one such process issues; the last read, that every process
# since issued as many.  Reasons: 5 defined and not handled, 35 and 82
# undefined, 81 and 85 defined above --all's 0-75, 86 above every defined
# one, 131072 wider than a basic exit reason (65536, bit 16, asks for the
# calling vCPU's reason 0).
probed_reasons="5 35 81 82 85 86 131072"
cpuid_reads() {
	for read in 0x4ffffffe:10 0x4ffffffe:10 0x4fffffff:10 0x4ffffffc:0 \
		0x4ffffffd:0; do
		cpuid -1 -r -l "${read%:*}" -s "${read#*:}" || return
	done
	for reason in $probed_reasons; do
		cpuid -1 -r -l 0x4ffffffe -s "$reason" || return
		cpuid -1 -r -l 0x4fffffff -s "$reason" || return
	done
	cpuid -1 -r -l 0x4ffffffe -s 10
}

echo "@@L2 up"
# The demo shows two things only: the table and a command's report.
if grep -qw e2e_demo /proc/cmdline; then
	block table exitstat --all
	block portio exitstat -f json -- portio 1000
	echo "@@L2 done"
	poweroff -f
fi
block reason10 exitstat --reason 10
block raw exitstat --raw -r 10 -f json
block all1 exitstat --all --format json
block before exitstat -r 10 -f json
cpuid-loop 1000
block after exitstat -r 10 -f json
# exitstat's registers right before and after cpuid's, and once more
# before: the same command twice in a row issues a fixed number of
# CPUIDs between its reads of reason 10.  Without the interface there is
# nothing to compare, and cpuid's 20 processes take seconds in a nested
# guest under emulation.
if [ "$(cat /tmp/reason10.status)" = 0 ]; then
	exitstat_reads() { exitstat --raw -r 5,10,35,81,82,85,86 -f json; }
	run xstat0 exitstat_reads
	run xstat1 exitstat_reads
	run cpuid cpuid_reads
	run xstat2 exitstat_reads
	for name in xstat0 xstat1 cpuid xstat2; do
		show $name
	done
fi
block all2 exitstat --all --format json
# The shortest interval: under Bochs a second of this guest's time takes
# about twenty of the wall clock.
block watch exitstat --watch --batch -n 3 -i 0.1 --format json
block portio exitstat -f json -- portio 1000
block table exitstat --all
# With two vCPUs: the per-vCPU figures, then a quiet window in which the
# first guest reads the host's view of this one (l1-init.sh).
if grep -qw e2e_host /proc/cmdline; then
	block percpu exitstat --per-cpu -f json
	block cpu1 exitstat --cpu 1 -f json -- cpuid-loop 1000
	block nocpu exitstat --cpu 2
	# --include-self: the raw counts, each read including itself.
	run hostbefore exitstat -r 10 -f json --include-self
	echo "@@HOSTWINDOW"
	sleep 8
	run hostafter exitstat -r 10 -f json --include-self
	show hostbefore
	show hostafter
fi
echo "@@L2 done"
poweroff -f
