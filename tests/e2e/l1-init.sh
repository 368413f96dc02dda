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

steps=$(sed -n 's/.*e2e=\([a-z,]*\).*/\1/p' /proc/cmdline)
# virt: the CPU's virtualization, vmx (kvm_intel) or svm (kvm_amd).
echo "@@L1 up steps=$steps param=$(cat /sys/module/kvm/parameters/exit_stats 2>/dev/null || echo none)" \
	"virt=$(grep -o -m 1 -w -e vmx -e svm /proc/cpuinfo)"
case ",$steps," in
*,selftest,*)
	/exit_stats_test
	echo "@@SELFTEST $?"
	;;
esac
case ",$steps," in
*,roundtrip,*)
	# The first run warms caches and faults pages in; the second counts.
	/minivmm 1000 >/dev/null
	/minivmm 2000
	echo "@@MINIVMM $?"
	;;
esac
case ",$steps," in
*,nested,*)
	qemu-system-x86_64 -L /fw -M pc -enable-kvm -cpu host -m 96 \
		-nodefaults -nographic -serial stdio -no-reboot \
		-kernel /l2/bzImage -initrd /l2/initramfs.cpio \
		-append "console=ttyS0 quiet lpj=1000000 tsc=reliable no_timer_check io_delay=none"
	echo "@@NESTED $?"
	;;
esac
echo "@@L1 done"
# Let the UART drain: a fast power-off cut the last line short under Bochs.
sleep 1
poweroff -f
