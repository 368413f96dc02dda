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
	/*
	 * Another collector that counts this one's CPUIDs too (not those it
	 * is told of in turn): --per-cpu counts each CPU's CPUIDs apart and
	 * all of them together.
	 */
	struct collector *also;
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
	/* In a delta: exits and cycles over the last interval. */
	uint64_t recent, recent_cycles;
};

struct snapshot {
	bool wide_counts; /* EXST extension: 64-bit counts */
	bool one_vcpu;	  /* the figures of the calling vCPU alone */
	uint32_t vcpu;	  /* with one_vcpu: the host's index of that vCPU */
	bool reset;	  /* the host's counters went back since the last one */
	uint64_t total_exits;
	uint64_t total_cycles;
	size_t count;
	struct reason_stat *reasons;
	/*
	 * Where the reads fell in the client's own stream of CPUIDs
	 * (collector.issued), so that deltas can take those exits out: a
	 * count read includes its own exit, a cycles read does not.
	 */
	uint64_t started_at;	       /* before the first read */
	uint64_t self_at_cpuid_read;   /* after reading reason 10's count */
	uint64_t self_at_cpuid_cycles; /* before reading reason 10's cycles */
	uint64_t self_at_total_read;   /* after reading the total count */
	uint64_t self_at_total_cycles; /* before reading the total cycles */
	/*
	 * Cycles of one of the client's CPUID exits: two back-to-back reads
	 * of reason 10's cycles differ by exactly the first read's exit.
	 */
	uint64_t self_cost;

	/* In a delta with rates: exits and cycles over the last interval. */
	uint64_t total_recent, other_recent;
	uint64_t total_recent_cycles, other_recent_cycles;

	/* Set by figures_settle() on the figures to be shown. */
	uint64_t other_exits, other_cycles; /* total less the reasons read */
	bool exits_exceed; /* parts above a 32-bit total: it wrapped */
	/* --host: a sum over VMs passed 2^64-1 and is held there. */
	bool saturated;
};

/* Decodes the two per-reason leaves' registers. */
struct reason_stat reason_stat_decode(uint32_t reason,
				      const struct cpuid_regs *exits,
				      const struct cpuid_regs *cycles,
				      bool wide_counts);

/*
 * Reads snapshots of a fixed list of reasons, issuing as few CPUIDs as
 * the figures allow: whether a reason is defined or handled cannot
 * change during a VM's life, so one that is not is read once; and a
 * reason whose count did not change has no new cycles.  A snapshot whose
 * counters went back (the VM was restored or migrated, or counting was
 * turned off and on) is read again in full and marked reset.
 */
struct reader {
	struct collector *collector;
	const uint16_t *reasons;
	size_t count;
	bool wide_counts;
	/* 0, or LEAF_VCPU_SELECT: set by reader_select_vcpu(). */
	uint32_t select;
	bool primed;		 /* last holds a snapshot */
	struct reason_stat *last; /* per listed reason, as last read */
	/*
	 * Per listed reason, whether its count changed at the last read: its
	 * cycles are read once more then, as an exit counted at that read may
	 * not have had its cycles added yet (they are added when it ends).
	 */
	bool *changed;
	uint64_t last_total_exits, last_total_cycles;
	/*
	 * Exits in the total that no listed reason read and the client did
	 * not cause.  When it grows, a reason that answered "unhandled" may
	 * have exits now (a host counts failed entries and exits passed to
	 * a nested hypervisor under reasons it has no handler for): read
	 * those again.
	 */
	uint64_t last_unexplained;
	bool recheck_unhandled;
};

bool reader_init(struct reader *r, struct collector *c,
		 const uint16_t *reasons, size_t n, bool wide_counts);
void reader_free(struct reader *r);

/*
 * Makes the reader read the figures of the vCPU it runs on, not the VM's
 * (the same reads, with the ECX bit that selects one vCPU): the caller
 * keeps the thread on one CPU while it reads.
 */
void reader_select_vcpu(struct reader *r);

/*
 * Reads the reasons, then the totals, so that the totals include every
 * exit the reads themselves caused.  Returns false when out of memory.
 * snapshot_free() releases a snapshot that was taken.
 */
bool snapshot_take(struct reader *r, struct snapshot *out);
void snapshot_free(struct snapshot *snap);

#endif
