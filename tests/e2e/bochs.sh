#!/bin/sh
# Boots a kernel and initramfs under Bochs, which emulates Intel VMX with
# EPT, until the guest prints "@@L1 done" (or TIMEOUT seconds pass):
#   tests/e2e/bochs.sh BZIMAGE INITRAMFS "CMDLINE" LOG
# Bochs has no direct kernel boot: the pair goes on an isolinux CD.
set -eu
kernel=$1
initrd=$2
cmdline=$3
log=$4
timeout=${BOCHS_TIMEOUT:-900}
work=$(mktemp -d)
# Set before Bochs starts: under set -u an unset pid stopped the trap
# before it removed the work folder.
pid=
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p "$work/iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 \
	"$work/iso/isolinux/"
cp "$kernel" "$work/iso/bzImage"
# Unpacked: gunzip in the guest kernel is slow under Bochs (QEMU's 24 MB
# image took 16 s of a 31 s boot), reading the CD is not.
if gzip -t "$initrd" 2>/dev/null; then
	gzip -dc "$initrd" >"$work/iso/initramfs.img"
else
	cp "$initrd" "$work/iso/initramfs.img"
fi
cat >"$work/iso/isolinux/isolinux.cfg" <<CFG
serial 0 115200
default e2e
prompt 0
timeout 0
label e2e
  kernel /bzImage
  append initrd=/initramfs.img console=ttyS0 quiet lpj=1000000 tsc=reliable no_timer_check io_delay=none $cmdline
CFG
genisoimage -quiet -R -J -o "$work/boot.iso" -b isolinux/isolinux.bin \
	-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
	"$work/iso"

cat >"$work/bochsrc" <<RC
megs: 512
cpu: model=corei7_skylake_x, ips=10000000
clock: sync=none
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
ata0-master: type=cdrom, path=$work/boot.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$work/serial.out
display_library: rfb, options="timeout=0"
# No sound card and no display here: the ALSA plugin aborts Bochs at start.
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
log: $work/bochs.log
panic: action=fatal
error: action=report
RC
# Bochs is built with its debugger: tell it to continue at once.
echo c >"$work/commands"

(cd "$work" && exec bochs -q -f "$work/bochsrc" -rc "$work/commands") \
	</dev/null >"$work/bochs.out" 2>&1 &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
	if grep -q "^@@L1 done" "$work/serial.out" 2>/dev/null; then
		break
	fi
	if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
		echo "bochs: no '@@L1 done' after $timeout s" >&2
		break
	fi
	sleep 1
done
died=no
kill -0 "$pid" 2>/dev/null || died=yes
kill "$pid" 2>/dev/null || true
status=0
wait "$pid" 2>/dev/null || status=$?
tr -d '\r' 2>/dev/null <"$work/serial.out" >"$log" || : >"$log"
echo "bochs: $(($(date +%s) - start)) s" >&2
grep -q "^@@L1 done" "$log" && exit 0
# Say why: Bochs's own output and log name a missing ROM or a panic.
if [ "$died" = yes ]; then
	echo "bochs: stopped by itself (status $status) before '@@L1 done'; its output and log end with:" >&2
else
	echo "bochs: no '@@L1 done'; its output and log end with:" >&2
fi
tail -n 8 "$work/bochs.out" 2>/dev/null | sed 's/^/  bochs.out: /' >&2
grep -E 'PANIC|ERROR|>>PANIC<<|couldn.t|cannot' "$work/bochs.log" 2>/dev/null |
	tail -n 8 | sed 's/^/  bochs.log: /' >&2
tail -n 5 "$log" | sed 's/^/  serial: /' >&2
exit 1
