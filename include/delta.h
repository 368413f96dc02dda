/* What changed between two snapshots. */
#ifndef EXITSTAT_DELTA_H
#define EXITSTAT_DELTA_H

#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"

/*
 * cur - prev of a counter, modulo 2^32 for 32-bit counts, so that a count
 * that wrapped between the two reads still gives the right difference.
 */
uint64_t counter_delta(uint64_t prev, uint64_t cur, bool wide);

/*
 * out = cur - prev, reason by reason (both must list the same reasons in
 * the same order; prev may be all zeros, for "since the VM started").
 * Unless include_self, the CPUID exits the client itself issued in
 * between are taken out of reason 10 and of the total, their counts and
 * their cycles alike (at cur's measured cost of one).  The caller frees
 * out with snapshot_free().  Returns false when out of memory.
 */
bool snapshot_delta(const struct snapshot *prev, const struct snapshot *cur,
		    bool include_self, struct snapshot *out);

/*
 * A snapshot of zeros over the same reasons, as a baseline: "since the
 * VM started" with issued 0, or since a counter reset noticed by the
 * snapshot that began at issued.
 */
bool snapshot_zero_like(const struct snapshot *like, uint64_t issued,
			struct snapshot *out);

/* A deep copy. */
bool snapshot_copy(const struct snapshot *from, struct snapshot *out);

#endif
