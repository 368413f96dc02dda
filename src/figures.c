#include "figures.h"

#include "leaves.h"

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
	 * 64-bit figures do not wrap (cycles always are, counts with the
	 * EXST extension): parts above the total come from the reads not
	 * being one instant (an exit of another vCPU counted or ended
	 * between the total's read and a reason's, or in a delta between
	 * the two snapshots' reads), or from the estimate of the client's
	 * own exits' cycles (see take_once).  The total is then the sum,
	 * and the other row empty.  Only a 32-bit total can have wrapped.
	 */
	if (cycles > snap->total_cycles)
		snap->total_cycles = cycles;
	if (snap->wide_counts && exits > snap->total_exits)
		snap->total_exits = exits;
	snap->exits_exceed = exits > snap->total_exits;
	snap->other_exits = snap->exits_exceed ? 0 : snap->total_exits - exits;
	snap->other_cycles = snap->total_cycles - cycles;
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
	return share(cycles, snap->total_cycles, false);
}
