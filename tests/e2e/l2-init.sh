#!/bin/sh
# /init of the nested guest: runs exitstat and prints what it saw, every
# line tagged, on the serial console.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

# block NAME COMMAND...: the command's stdout, stderr and status.
block() {
	name=$1
	shift
	"$@" >/tmp/out 2>/tmp/err
	status=$?
	echo "@@BEGIN $name $status"
	sed 's/^/@@OUT /' /tmp/out
	sed 's/^/@@ERR /' /tmp/err
	echo "@@END $name"
}

echo "@@L2 up"
block reason10 exitstat --reason 10
block raw exitstat --raw -r 10 -f json
block all1 exitstat --all --format json
block before exitstat -r 10 -f json
cpuid-loop 1000
block after exitstat -r 10 -f json
block all2 exitstat --all --format json
block watch exitstat --watch --batch -n 3 -i 0.5 --format json
block portio exitstat -f json -- portio 1000
block table exitstat --all
echo "@@L2 done"
poweroff -f
