/*
 * Moving exitstat between the guest's CPUs: the figures of one vCPU are
 * read on the CPU it runs, so the client pins itself there, and puts its
 * affinity back as it found it.
 */
#ifndef EXITSTAT_CPUS_H
#define EXITSTAT_CPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CPU numbers a mask holds: as many as glibc's cpu_set_t. */
#define CPUS_MAX 1024

struct cpu_pin {
	uint64_t original[CPUS_MAX / 64]; /* the affinity found at the start */
	bool moved;			  /* it has been changed since */
};

/* Records the affinity mask; false (errno set) when it cannot be read. */
bool cpu_pin_save(struct cpu_pin *pin);

/* Whether the recorded mask allows the CPU. */
bool cpu_pin_allows(const struct cpu_pin *pin, uint32_t cpu);

/* The CPUs the recorded mask allows, ascending; returns how many. */
size_t cpu_pin_allowed(const struct cpu_pin *pin, uint32_t *cpus, size_t max);

/* The recorded mask as a list such as "0-3,6", for messages. */
void cpu_pin_describe(const struct cpu_pin *pin, char *buf, size_t len);

/* Runs this thread on that CPU alone; false (errno set) when it cannot. */
bool cpu_pin_to(struct cpu_pin *pin, uint32_t cpu);

/* Puts the recorded mask back, if it was changed. */
bool cpu_pin_restore(struct cpu_pin *pin);

#endif
