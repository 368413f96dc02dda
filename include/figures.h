/*
 * From a snapshot (or a delta) to the figures a report shows: what the
 * listed reasons leave of the total, whether shares can be given, and
 * which rows to show in what order.  Every mode goes through here.
 */
#ifndef EXITSTAT_FIGURES_H
#define EXITSTAT_FIGURES_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "report.h"
#include "snapshot.h"

/*
 * Sets the other row (the total less the reasons) and notes when the
 * reasons add up to more than the total, which only a 32-bit total that
 * wrapped can do: shares are unknown then, not wrong.
 */
void figures_settle(struct snapshot *snap);

/*
 * figures_settle(), then keeps the rows the mode shows (the reasons with
 * exits or cycles for MODE_SUMMARY; 0-75 and any above with exits for
 * MODE_ALL; all for MODE_REASONS) and, if sort, orders them by key.
 */
void figures_present(struct snapshot *snap, enum run_mode mode, bool sort,
		     enum sort_key key);

/* Percent of the total exits or cycles, or -1 when unknown. */
double exits_share(const struct snapshot *snap, uint64_t exits);
double cycles_share(const struct snapshot *snap, uint64_t cycles);

#endif
