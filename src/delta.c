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

bool snapshot_delta(const struct snapshot *prev, const struct snapshot *cur,
		    bool include_self, struct snapshot *out)
{
	const bool wide = cur->wide_counts;
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
		if (d->reason == SELF_EXIT_REASON && !include_self)
			d->exits = minus_clamped(d->exits,
						 cur->self_at_cpuid_read -
							 prev->self_at_cpuid_read);
	}
	out->total_exits = counter_delta(prev->total_exits, cur->total_exits,
					 wide);
	out->total_cycles = cur->total_cycles - prev->total_cycles;
	if (!include_self)
		out->total_exits = minus_clamped(out->total_exits,
						 cur->self_at_total_read -
							 prev->self_at_total_read);
	return true;
}

bool snapshot_zero_like(const struct snapshot *like, struct snapshot *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->wide_counts = like->wide_counts;
	out->count = like->count;
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
