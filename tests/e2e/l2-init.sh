#!/bin/sh
# /init of the nested guest: runs exitstat and prints what it saw, every
# line tagged, on the serial console.
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

echo "@@L2 up"
block reason10 exitstat --reason 10
block raw exitstat --raw -r 10 -f json
block all1 exitstat --all --format json
block before exitstat -r 10 -f json
cpuid-loop 1000
block after exitstat -r 10 -f json
block all2 exitstat --all --format json
# The shortest interval: under Bochs a second of this guest's time takes
# about twenty of the wall clock.
block watch exitstat --watch --batch -n 3 -i 0.1 --format json
block portio exitstat -f json -- portio 1000
block table exitstat --all
echo "@@L2 done"
poweroff -f
