/*
 * minivmm [N [LEAF [SUBLEAF]]]: the smallest VMM that measures one VM
 * exit.  It runs a real-mode guest that executes CPUID (leaf 0, or LEAF
 * with ECX=SUBLEAF) N times, each between two RDTSCs, and reports the
 * cheapest round trip and the mean by port I/O.
 * Under Bochs the TSC counts executed instructions, so the figures are the
 * instructions of a CPUID exit round trip (guest -> KVM -> guest).
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_MEM 0x10000
#define GUEST_CODE 0x1000
#define PORT_MIN 0x10
#define PORT_TOTAL 0x11
#define GUEST_STACK 0xf000
/* Where the guest finds the leaf and subleaf to run. */
#define GUEST_LEAF 0x800

extern const unsigned char guest_start[], guest_end[];

/*
 * N arrives in EBX.  Each CPUID is timed on its own and the smallest time
 * kept, so that a round trip interrupted by a timer tick does not count;
 * the whole loop is timed too.  EBP, EDI and the stack keep what CPUID
 * would clobber.
 */
__asm__(".pushsection .rodata\n"
	".code16\n"
	"guest_start:\n"
	"	mov %ebx, %ebp\n"
	"	mov $0xffffffff, %edi\n"
	"	rdtsc\n"
	"	push %eax\n"
	"1:	rdtsc\n"
	"	mov %eax, %esi\n"
	"	mov 0x800, %eax\n"
	"	mov 0x804, %ecx\n"
	"	cpuid\n"
	"	rdtsc\n"
	"	sub %esi, %eax\n"
	"	cmp %edi, %eax\n"
	"	jae 2f\n"
	"	mov %eax, %edi\n"
	"2:	dec %ebp\n"
	"	jnz 1b\n"
	"	rdtsc\n"
	"	pop %esi\n"
	"	sub %esi, %eax\n"
	"	out %eax, $0x11\n"
	"	mov %edi, %eax\n"
	"	out %eax, $0x10\n"
	"	hlt\n"
	"guest_end:\n"
	".code64\n"
	".popsection\n");

static int must(int value, const char *what)
{
	if (value < 0) {
		perror(what);
		exit(1);
	}
	return value;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	uint32_t leaf = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 0;
	uint32_t subleaf = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : 0;
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	uint32_t min = 0, total = 0;
	int kvm, vm, vcpu;
	size_t run_size;
	uint8_t *mem;

	kvm = must(open("/dev/kvm", O_RDWR), "minivmm: /dev/kvm");
	vm = must(ioctl(kvm, KVM_CREATE_VM, 0), "minivmm: KVM_CREATE_VM");
	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return must(-1, "minivmm: mmap");
	memcpy(mem + GUEST_CODE, guest_start, (size_t)(guest_end - guest_start));
	memcpy(mem + GUEST_LEAF, &leaf, sizeof(leaf));
	memcpy(mem + GUEST_LEAF + 4, &subleaf, sizeof(subleaf));
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = GUEST_MEM,
		.userspace_addr = (uint64_t)(uintptr_t)mem,
	};
	must(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region),
	     "minivmm: KVM_SET_USER_MEMORY_REGION");
	vcpu = must(ioctl(vm, KVM_CREATE_VCPU, 0), "minivmm: KVM_CREATE_VCPU");
	run_size = (size_t)must(ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
				"minivmm: KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return must(-1, "minivmm: mmap vcpu");

	must(ioctl(vcpu, KVM_GET_SREGS, &sregs), "minivmm: KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	must(ioctl(vcpu, KVM_SET_SREGS, &sregs), "minivmm: KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = GUEST_CODE;
	regs.rflags = 2;
	regs.rsp = GUEST_STACK;
	regs.rbx = (uint64_t)n;
	must(ioctl(vcpu, KVM_SET_REGS, &regs), "minivmm: KVM_SET_REGS");

	for (;;) {
		must(ioctl(vcpu, KVM_RUN, 0), "minivmm: KVM_RUN");
		if (run->exit_reason == KVM_EXIT_HLT)
			break;
		if (run->exit_reason != KVM_EXIT_IO ||
		    run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4) {
			fprintf(stderr, "minivmm: unexpected exit %u\n",
				run->exit_reason);
			return 1;
		}
		uint32_t value;

		memcpy(&value, (uint8_t *)run + run->io.data_offset, 4);
		if (run->io.port == PORT_MIN)
			min = value;
		else if (run->io.port == PORT_TOTAL)
			total = value;
	}
	/* Cheapest round trip, and the mean over the loop (rdtsc included). */
	printf("@@ROUNDTRIP min %u mean %.1f n %ld leaf %#x subleaf %#x\n", min,
	       (double)total / (double)n, n, leaf, subleaf);
	return 0;
}
