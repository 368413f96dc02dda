#include "cpuid_port.h"

#include <cpuid.h>

void cpuid_port_query(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
	/* __get_cpuid() refuses leaves above the hypervisor range's base. */
	__cpuid_count(leaf, subleaf, out->eax, out->ebx, out->ecx, out->edx);
}
