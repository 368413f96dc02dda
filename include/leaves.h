/* The host interface: see man/exitstat-cpuid.7 for the full contract. */
#ifndef EXITSTAT_LEAVES_H
#define EXITSTAT_LEAVES_H

#include <stdint.h>

#define LEAF_TOTAL_EXITS	0x4ffffffcu
#define LEAF_TOTAL_CYCLES	0x4ffffffdu
#define LEAF_REASON_EXITS	0x4ffffffeu
#define LEAF_REASON_CYCLES	0x4fffffffu

/*
 * ECX bit 16 selects the figures of the calling vCPU alone, on a host whose
 * 0x4ffffffc (read with ECX=0) sets LEAF_FEATURE_PER_VCPU in ECX.
 */
#define LEAF_VCPU_SELECT	0x10000u
#define LEAF_FEATURE_PER_VCPU	0x1u

/* edx of a per-reason leaf for a reason the SDM does not define. */
#define LEAF_UNDEFINED_MARK	0xffffffffu
/* "EXST" in edx of LEAF_TOTAL_EXITS: 64-bit counts (the extension). */
#define LEAF_EXT_SIGNATURE	0x54535845u

/* The reason every CPUID, the client's own included, is counted under. */
#define SELF_EXIT_REASON	10u

/* Reasons --all lists: 0 to 75.  Above them, those with exits. */
#define SCAN_REASONS		76u
/* Reasons the host can answer: 0 to 85, the last the SDM defines. */
#define READ_REASONS		86u

static inline uint64_t join_u32(uint32_t high, uint32_t low)
{
	return ((uint64_t)high << 32) | low;
}

#endif
