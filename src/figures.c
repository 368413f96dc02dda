#include "figures.h"

#include "leaves.h"

/* Own exits' cycles that may be estimated rather than measured. */
#define OWN_CYCLES_SLACK 4

/* a + b, or UINT64_MAX when that does not fit. */
static uint64_t add_saturated(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

void figures_settle(struct snapshot *snap)
{
	uint64_t exits = 0, cycles = 0;
	size_t i;

	for (i = 0; i < snap->count; i++) {
		exits = add_saturated(exits, snap->reasons[i].exits);
		cycles = add_saturated(cycles, snap->reasons[i].cycles);
	}
	/*
	 * Cycles do not wrap: parts above the total can only come from the
	 * estimate of the client's own exits' cycles, which the total's
	 * correction takes out for up to two exits more than reason 10's
	 * (see take_once).  Within a few exits' cost, the total is the sum.
	 */
	if (cycles > snap->total_cycles &&
	    cycles - snap->total_cycles <= OWN_CYCLES_SLACK * snap->self_cost)
		snap->total_cycles = cycles;
	snap->exits_exceed = exits > snap->total_exits;
	snap->cycles_exceed = cycles > snap->total_cycles;
	snap->other_exits = snap->exits_exceed ? 0 : snap->total_exits - exits;
	snap->other_cycles = snap->cycles_exceed ? 0
						 : snap->total_cycles - cycles;
}

static bool row_kept(const struct reason_stat *st, enum run_mode mode)
{
	const bool counted = st->exits || st->cycles;

	switch (mode) {
	case MODE_SUMMARY:
		return counted;
	case MODE_ALL:
		return st->reason < SCAN_REASONS || counted;
	case MODE_REASONS:
		break;
	}
	return true;
}

void figures_present(struct snapshot *snap, enum run_mode mode, bool sort,
		     enum sort_key key)
{
	size_t i, kept = 0;

	figures_settle(snap);
	for (i = 0; i < snap->count; i++)
		if (row_kept(&snap->reasons[i], mode))
			snap->reasons[kept++] = snap->reasons[i];
	snap->count = kept;
	if (sort)
		report_sort(snap->reasons, snap->count, key);
}

static double share(uint64_t part, uint64_t whole, bool exceed)
{
	return whole && !exceed && part <= whole
		       ? 100.0 * (double)part / (double)whole
		       : -1;
}

double exits_share(const struct snapshot *snap, uint64_t exits)
{
	return share(exits, snap->total_exits, snap->exits_exceed);
}

double cycles_share(const struct snapshot *snap, uint64_t cycles)
{
	return share(cycles, snap->total_cycles, snap->cycles_exceed);
}
