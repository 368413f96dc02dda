/* The one seam between exitstat and the CPU it runs on. */
#ifndef EXITSTAT_CPUID_PORT_H
#define EXITSTAT_CPUID_PORT_H

#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/*
 * Executes CPUID with eax=leaf, ecx=subleaf.  The installed program links
 * cpuid_hw.c; the test program links a simulated host instead, so that
 * everything above this function is the code that really runs.
 */
void cpuid_port_query(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out);

#endif
