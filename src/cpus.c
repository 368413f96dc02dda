#define _GNU_SOURCE /* sched_setaffinity and cpu_set_t */
#include "cpus.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(cpu_set_t) * 8 >= CPUS_MAX, "cpu_set_t holds CPUS_MAX");

static bool bit_set(const uint64_t *bits, uint32_t cpu)
{
	return cpu < CPUS_MAX && (bits[cpu / 64] >> (cpu % 64)) & 1;
}

bool cpu_pin_save(struct cpu_pin *pin)
{
	cpu_set_t mask;
	uint32_t cpu;

	memset(pin, 0, sizeof(*pin));
	CPU_ZERO(&mask);
	if (sched_getaffinity(0, sizeof(mask), &mask) != 0)
		return false;
	for (cpu = 0; cpu < CPUS_MAX; cpu++)
		if (CPU_ISSET(cpu, &mask))
			pin->original[cpu / 64] |= UINT64_C(1) << (cpu % 64);
	return true;
}

bool cpu_pin_allows(const struct cpu_pin *pin, uint32_t cpu)
{
	return bit_set(pin->original, cpu);
}

size_t cpu_pin_allowed(const struct cpu_pin *pin, uint32_t *cpus, size_t max)
{
	size_t n = 0;
	uint32_t cpu;

	for (cpu = 0; cpu < CPUS_MAX && n < max; cpu++)
		if (bit_set(pin->original, cpu))
			cpus[n++] = cpu;
	return n;
}

void cpu_pin_describe(const struct cpu_pin *pin, char *buf, size_t len)
{
	size_t used = 0;
	uint32_t cpu = 0, last;
	int n;

	buf[0] = '\0';
	while (cpu < CPUS_MAX) {
		if (!bit_set(pin->original, cpu)) {
			cpu++;
			continue;
		}
		for (last = cpu; bit_set(pin->original, last + 1); last++)
			;
		n = last == cpu ? snprintf(buf + used, len - used, "%s%u",
					   used ? "," : "", cpu)
				: snprintf(buf + used, len - used, "%s%u-%u",
					   used ? "," : "", cpu, last);
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0'; /* whole items only */
			return;
		}
		used += (size_t)n;
		cpu = last + 1;
	}
}

bool cpu_pin_to(struct cpu_pin *pin, uint32_t cpu)
{
	cpu_set_t mask;

	CPU_ZERO(&mask);
	CPU_SET(cpu, &mask);
	pin->moved = true;
	return sched_setaffinity(0, sizeof(mask), &mask) == 0;
}

bool cpu_pin_restore(struct cpu_pin *pin)
{
	cpu_set_t mask;
	uint32_t cpu;

	if (!pin->moved)
		return true;
	CPU_ZERO(&mask);
	for (cpu = 0; cpu < CPUS_MAX; cpu++)
		if (bit_set(pin->original, cpu))
			CPU_SET(cpu, &mask);
	pin->moved = false;
	return sched_setaffinity(0, sizeof(mask), &mask) == 0;
}
