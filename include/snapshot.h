/* Reading the host's figures: one snapshot of totals and chosen reasons. */
#ifndef EXITSTAT_SNAPSHOT_H
#define EXITSTAT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpuid_port.h"

/* Every CPUID the client issues, for --raw. */
struct cpuid_record {
	uint32_t leaf, subleaf;
	struct cpuid_regs regs;
};

/*
 * All CPUIDs go through a collector: it counts them (each one is an exit
 * of reason 10 that the client itself caused) and, if asked, logs them.
 */
struct collector {
	uint64_t issued;
	bool logging;
	size_t log_len, log_cap;
	struct cpuid_record *log;
	bool log_failed; /* out of memory while logging */
};

void collector_init(struct collector *c, bool logging);
void collector_free(struct collector *c);
void collector_query(struct collector *c, uint32_t leaf, uint32_t subleaf,
		     struct cpuid_regs *out);

enum reason_status {
	REASON_COUNTED,	  /* has exits or cycles */
	REASON_IDLE,	  /* handled by the host, none yet (extension only) */
	REASON_ZERO,	  /* none yet, or not handled: the base contract can't tell */
	REASON_UNHANDLED, /* defined by the SDM, not handled (extension only) */
	REASON_UNDEFINED, /* not defined by the SDM */
};

const char *reason_status_name(enum reason_status status);

struct reason_stat {
	uint32_t reason;
	enum reason_status status;
	uint64_t exits;
	uint64_t cycles;
	uint64_t recent; /* in a delta: exits over the last interval */
};

struct snapshot {
	bool wide_counts; /* EXST extension: 64-bit counts */
	uint64_t total_exits;
	uint64_t total_cycles;
	size_t count;
	struct reason_stat *reasons;
	/*
	 * The client's own CPUIDs up to and including the reads of reason
	 * 10's count and of the total count: deltas subtract these.
	 */
	uint64_t self_at_cpuid_read;
	uint64_t self_at_total_read;
};

/* Decodes the two per-reason leaves' registers. */
struct reason_stat reason_stat_decode(uint32_t reason,
				      const struct cpuid_regs *exits,
				      const struct cpuid_regs *cycles,
				      bool wide_counts);

/*
 * Reads the given reasons, then the totals, so that the totals include
 * every exit the reads themselves caused.  Returns false when out of
 * memory.  snapshot_free() releases a snapshot that was taken.
 */
bool snapshot_take(struct collector *c, const uint16_t *reasons, size_t n,
		   bool wide_counts, struct snapshot *out);
void snapshot_free(struct snapshot *snap);

/* Drops the reasons without exits, keeping the order of the others. */
void snapshot_keep_counted(struct snapshot *snap);

#endif
