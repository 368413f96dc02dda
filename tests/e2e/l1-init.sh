#!/bin/sh
# /init of the first guest, whose kernel is the KVM host under test: runs
# the series' selftest, then QEMU with KVM for a nested guest that runs
# exitstat.  What to run comes from e2e= on the kernel command line.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /tmp
mount -t tmpfs tmpfs /tmp
# KVM's per-VM files (exit_stats among them), which the selftest and the
# host's checks read.
mount -t debugfs debugfs /sys/kernel/debug

steps=$(sed -n 's/.*e2e=\([a-z,]*\).*/\1/p' /proc/cmdline)
# A distribution kernel has KVM as modules: load them as the installer
# does (modprobe, after depmod chose between kernel/ and updates/), the
# vendor's module from the CPU's vendor id.  modprobe takes kvm.* options
# from the kernel command line.
if [ -d "/lib/modules/$(uname -r)" ]; then
	case $(sed -n 's/^vendor_id[[:space:]]*: //p' /proc/cpuinfo | head -1) in
	GenuineIntel) vendor=kvm_intel ;;
	*) vendor=kvm_amd ;;
	esac
	modprobe "$vendor"
	loaded=$?
	# On a line of its own: the console's escape codes may precede it.
	echo
	echo "@@MODULES $loaded $vendor release=$(uname -r) kvm=$(modprobe -D kvm 2>/dev/null | grep -o '[^ ]*/kvm\.ko' | head -1) taint=$(cat /sys/module/kvm/taint 2>/dev/null)"
fi
# virt: the CPU's virtualization, vmx (kvm_intel) or svm (kvm_amd).
echo "@@L1 up steps=$steps param=$(cat /sys/module/kvm/parameters/exit_stats 2>/dev/null || echo none)" \
	"virt=$(grep -o -m 1 -w -e vmx -e svm /proc/cpuinfo)"
case ",$steps," in
*,selftest,*)
	/exit_stats_test
	echo "@@SELFTEST $?"
	if [ -x /kvm_binary_stats_test ]; then
		/kvm_binary_stats_test >/tmp/binstats.log 2>&1
		echo "@@BINSTATS $?"
	fi
	;;
esac
case ",$steps," in
*,roundtrip,*)
	# The first run warms caches and faults pages in; the second counts.
	/minivmm 1000 >/dev/null
	/minivmm 2000
	echo "@@MINIVMM $?"
	# Reading the figures: the VM's reason 10, and the calling vCPU's.
	/minivmm 2000 0x4ffffffe 10
	/minivmm 2000 0x4ffffffe 0x1000a
	;;
esac
# show NAME COMMAND...: runs the command and prints its output tagged as
# the nested guest does (tests/e2e/l2-init.sh), gzipped and in base64.
show() {
	name=$1
	shift
	"$@" >"/tmp/$name.out" 2>"/tmp/$name.err"
	echo "@@BEGIN $name $?"
	[ ! -s "/tmp/$name.out" ] || gzip -c "/tmp/$name.out" | base64 | sed 's/^/@@OUTZ /'
	[ ! -s "/tmp/$name.err" ] || gzip -c "/tmp/$name.err" | base64 | sed 's/^/@@ERRZ /'
	echo "@@END $name"
}
vcpu_files() { # VM-DIR
	for f in "$1"/vcpu*/exit_stats; do
		echo "${f%/exit_stats}"
		cat "$f" || return
	done
}
# The host's view of the nested guest, read while that guest sits idle
# between two readings of its own (it prints @@HOSTWINDOW first): the
# VM's debugfs files, QEMU's query-stats, and exitstat --host.  Printed
# once QEMU has exited: printed at once, a slow read's lines could land
# amid the nested guest's own on the console.
host_reads() {
	until grep -q "^@@HOSTWINDOW" /tmp/l2.log 2>/dev/null; do
		[ -e /tmp/l2.done ] && return
		sleep 0.2
	done
	vm=$(ls -d /sys/kernel/debug/kvm/*-* 2>/dev/null | head -1)
	vm_name=${vm##*/}
	show hostvm cat "$vm/exit_stats"
	show hostvcpus vcpu_files "$vm"
	show qmpstats /qmp /tmp/qmp.sock \
		'{"execute": "query-stats", "arguments": {"target": "vcpu"}}'
	show hostall exitstat --host -f json
	show hostpid exitstat --host "${vm_name%%-*}" -f json
	echo "@@HOSTREAD $vm_name"
}
case ",$steps," in
*,nested,*)
	# A distribution kernel needs more memory than the small one: it runs
	# out unpacking the initramfs in 96 MB.  panic=1 with -no-reboot ends
	# QEMU on a panic rather than leaving the run to its time limit.
	l2_memory=96
	l2_args=
	case ",$steps," in *,demo,*) l2_args=e2e_demo ;; esac
	[ ! -d "/lib/modules/$(uname -r)" ] || l2_memory=256
	# host: two vCPUs, for the per-vCPU figures, and QMP for query-stats.
	l2_smp=1
	l2_qmp=
	case ",$steps," in *,host,*)
		l2_smp=2
		l2_args="$l2_args e2e_host"
		l2_qmp="-qmp unix:/tmp/qmp.sock,server=on,wait=off"
		host_reads >/tmp/host.out 2>&1 &
		;;
	esac
	# shellcheck disable=SC2086 # l2_qmp is two words or none
	{
		qemu-system-x86_64 -L /fw -M pc -enable-kvm -cpu host -m "$l2_memory" \
			-smp "$l2_smp" $l2_qmp \
			-nodefaults -nographic -serial stdio -no-reboot \
			-kernel /l2/bzImage -initrd /l2/initramfs.cpio \
			-append "console=ttyS0 quiet lpj=1000000 tsc=reliable no_timer_check io_delay=none panic=1 $l2_args"
		echo $? >/tmp/l2.status
	} | tee /tmp/l2.log
	touch /tmp/l2.done
	wait
	[ ! -e /tmp/host.out ] || cat /tmp/host.out
	echo "@@NESTED $(cat /tmp/l2.status)"
	;;
esac
echo "@@L1 done"
# Let the UART drain: a fast power-off cut the last line short under Bochs.
sleep 1
poweroff -f
