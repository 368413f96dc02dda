/*
 * tests/sim-cpuid: CPUIDs issued straight to the simulated host, for the
 * tests of the host itself.  Each pair of arguments LEAF ECX (numbers in
 * C syntax) is one CPUID, in order, in one process; each prints one line
 * "EAX EBX ECX EDX" in hex.  The scenario is EXITSTAT_SIM's; run it under
 * taskset to choose the calling CPU.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpuid_port.h"

int main(int argc, char **argv)
{
	struct cpuid_regs r;
	int i;

	if (argc < 3 || argc % 2 == 0) {
		fputs("usage: sim-cpuid LEAF ECX [LEAF ECX ...]\n", stderr);
		return 2;
	}
	for (i = 1; i + 1 < argc; i += 2) {
		cpuid_port_query((uint32_t)strtoul(argv[i], NULL, 0),
				 (uint32_t)strtoul(argv[i + 1], NULL, 0), &r);
		printf("%08" PRIx32 " %08" PRIx32 " %08" PRIx32 " %08" PRIx32
		       "\n", r.eax, r.ebx, r.ecx, r.edx);
	}
	return 0;
}
