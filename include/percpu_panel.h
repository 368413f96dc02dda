/* The live view's CPU x reason panel (--per-cpu, key c). */
#ifndef EXITSTAT_PERCPU_PANEL_H
#define EXITSTAT_PERCPU_PANEL_H

#include "percpu.h"
#include "view.h"

/*
 * Draws the panel under the view's header: exits/s over the last
 * interval, a row per reason the view shows, a column per CPU and their
 * sum, scrolled as the view is; in curses, the CPU columns from
 * m->first_column that fit, TOTAL always last.
 */
void percpu_panel_draw(struct sink *k, const struct view_model *m,
		       const struct percpu_table *t, double seconds);

/* How many CPU columns fit beside REASON, NAME and TOTAL in cols cells. */
int percpu_panel_columns_fit(int cols);

/* The panel's line under the view's header that does not scroll: vcpu. */
#define PERCPU_PANEL_FIXED_LINES 1

/* The lines scrolling moves through: the reasons shown, other and total. */
int percpu_panel_rows(const struct view_model *m, const struct percpu_table *t);

#endif
