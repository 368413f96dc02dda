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
	# A distribution kernel needs more memory than the small one: it runs
	# out unpacking the initramfs in 96 MB.  panic=1 with -no-reboot ends
	# QEMU on a panic rather than leaving the run to its time limit.
	l2_memory=96
	l2_args=
	case ",$steps," in *,demo,*) l2_args=e2e_demo ;; esac
	[ ! -d "/lib/modules/$(uname -r)" ] || l2_memory=256
	qemu-system-x86_64 -L /fw -M pc -enable-kvm -cpu host -m "$l2_memory" \
		-nodefaults -nographic -serial stdio -no-reboot \
		-kernel /l2/bzImage -initrd /l2/initramfs.cpio \
		-append "console=ttyS0 quiet lpj=1000000 tsc=reliable no_timer_check io_delay=none panic=1 $l2_args"
	echo "@@NESTED $?"
	;;
esac
echo "@@L1 done"
# Let the UART drain: a fast power-off cut the last line short under Bochs.
sleep 1
poweroff -f
