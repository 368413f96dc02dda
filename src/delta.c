#include "delta.h"

#include <stdlib.h>
#include <string.h>

#include "leaves.h"

uint64_t counter_delta(uint64_t prev, uint64_t cur, bool wide)
{
	return wide ? cur - prev : (uint32_t)(cur - prev);
}

static uint64_t minus_clamped(uint64_t value, uint64_t self)
{
	return value > self ? value - self : 0;
}

/*
 * A count less the client's own exits: modulo 2^32 for 32-bit counts,
 * whose delta is itself taken modulo 2^32 (a count that wrapped past
 * zero because of the client's reads still gives the right figure).
 */
static uint64_t counter_minus(uint64_t value, uint64_t self, bool wide)
{
	return wide ? minus_clamped(value, self) : (uint32_t)(value - self);
}

/* The client's own CPUIDs between two reads, and their cycles. */
static uint64_t own_cycles(uint64_t from, uint64_t to, uint64_t cost)
{
	return (to - from) * cost;
}

bool snapshot_delta(const struct snapshot *prev, const struct snapshot *cur,
		    bool include_self, struct snapshot *out)
{
	const bool wide = cur->wide_counts;
	/* The cost measured last is the one closest to the reads it corrects. */
	const uint64_t cost = cur->self_cost;
	/* The client's own exits over the total's window, kept if asked. */
	const uint64_t own_exits = cur->self_at_total_read -
				   prev->self_at_total_read;
	const uint64_t own = own_cycles(prev->self_at_total_cycles,
					cur->self_at_total_cycles, cost);
	size_t i;

	*out = *cur;
	out->reasons = calloc(cur->count ? cur->count : 1,
			      sizeof(*out->reasons));
	if (!out->reasons)
		return false;
	for (i = 0; i < cur->count; i++) {
		const struct reason_stat *a = &prev->reasons[i];
		struct reason_stat *d = &out->reasons[i];

		*d = cur->reasons[i];
		d->exits = counter_delta(a->exits, d->exits, wide);
		d->cycles -= a->cycles;
		if (d->reason != SELF_EXIT_REASON)
			continue;
		/*
		 * Reason 10 is read earlier than the totals: take out the
		 * own exits of its window, then, with include_self, put in
		 * those of the total's, so that the parts add up.
		 */
		d->exits = counter_minus(d->exits, cur->self_at_cpuid_read -
							   prev->self_at_cpuid_read,
					 wide);
		d->cycles = minus_clamped(
			d->cycles, own_cycles(prev->self_at_cpuid_cycles,
					      cur->self_at_cpuid_cycles, cost));
		if (include_self) {
			d->exits += own_exits;
			d->cycles += own;
		}
	}
	out->total_exits = counter_delta(prev->total_exits, cur->total_exits,
					 wide);
	out->total_cycles = cur->total_cycles - prev->total_cycles;
	if (!include_self) {
		out->total_exits = counter_minus(out->total_exits, own_exits,
						 wide);
		out->total_cycles = minus_clamped(out->total_cycles, own);
	}
	return true;
}

bool snapshot_zero_like(const struct snapshot *like, uint64_t issued,
			struct snapshot *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->wide_counts = like->wide_counts;
	out->count = like->count;
	out->started_at = out->self_at_cpuid_read = issued;
	out->self_at_cpuid_cycles = out->self_at_total_read = issued;
	out->self_at_total_cycles = issued;
	out->reasons = calloc(like->count ? like->count : 1,
			      sizeof(*out->reasons));
	if (!out->reasons)
		return false;
	for (i = 0; i < like->count; i++)
		out->reasons[i].reason = like->reasons[i].reason;
	return true;
}

bool snapshot_copy(const struct snapshot *from, struct snapshot *out)
{
	*out = *from;
	out->reasons = malloc((from->count ? from->count : 1) *
			      sizeof(*out->reasons));
	if (!out->reasons)
		return false;
	memcpy(out->reasons, from->reasons,
	       from->count * sizeof(*out->reasons));
	return true;
}
