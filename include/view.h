/*
 * The live view's content, drawn line by line into a sink that is either
 * the curses screen or plain stdout (batch mode): the view does not know
 * which.
 */
#ifndef EXITSTAT_VIEW_H
#define EXITSTAT_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "history.h"
#include "host.h"
#include "report.h"
#include "snapshot.h"

struct percpu_table;

struct sink {
	bool curses;
	FILE *plain; /* batch mode */
	int row;     /* curses: next row to draw */
	int rows, cols;
};

/* One line; text longer than the screen is cut, never wrapped. */
void sink_line(struct sink *k, bool emphasis, const char *text);

/*
 * The bytes of text's longest prefix that fits in `cells` terminal cells
 * in the current locale, never ending inside a character.
 */
size_t view_fit_cells(const char *text, int cells);

struct view_model {
	const struct host_info *host;
	const struct report_style *style;
	const struct snapshot *since; /* since the baseline; .recent set */
	double interval;	      /* setting */
	double last_seconds;	      /* what the last interval really was */
	uint64_t recent_exits;	      /* totals over the last interval */
	uint64_t recent_cycles;
	double uptime;		      /* seconds since the view started */
	bool since_reset;	      /* baseline is a reset, not VM start */
	bool since_counter_reset;     /* baseline is the host's counter reset */
	bool counter_reset;	      /* ... noticed at the last sample */
	uint64_t recent_other;	      /* other exits over the last interval */
	bool include_self;
	uint64_t self_per_refresh;
	bool paused;
	bool show_zero;
	bool show_help;
	bool utf8;
	int scroll; /* first row shown */
	/* --per-cpu: the key c shows the CPU x reason panel, drawn here. */
	bool panel_available;
	const struct percpu_table *panel;
	double panel_seconds; /* the panel's last interval */
	/*
	 * The panel's CPU columns on the screen: from first_column, shown_columns
	 * of them (TOTAL stays at the right); plain lines have them all.
	 */
	int first_column, shown_columns;
	/* The last minute, drawn as sparklines where there is room; NULL: none. */
	const struct history *history;
};

/* Lines above the reason rows, in curses mode. */
#define VIEW_HEADER_LINES 5

/*
 * Where a row's sparkline starts (after the numeric columns and the share
 * bar), the fewest cells drawn (below it there is none) and the most.
 */
#define VIEW_SPARK_COLUMN 96
#define VIEW_SPARK_MIN 10
#define VIEW_SPARK_MAX 60
/* The header's sparkline of the host-CPU share: at most this many cells. */
#define VIEW_CPU_SPARK_MAX 20

/* How many rows the model shows (zero rows hidden or not; other too). */
int view_visible_rows(const struct view_model *m);

void view_draw(struct sink *k, const struct view_model *m);

/* Whether a reason's row is shown: all with show_zero, else any that moved. */
bool view_row_shown(const struct view_model *m, const struct reason_stat *st);

/*
 * The next row of f to draw, from *i on: rows not shown and the *skip
 * scrolled off above are passed over (both counted on); NULL at the end
 * of f or, in curses, of the screen.  The main table and the per-CPU
 * panel scroll alike through it.
 */
const struct reason_stat *view_next_row(const struct sink *k,
					const struct view_model *m,
					const struct snapshot *f, size_t *i,
					int *skip);

/* The share bar: cells of a bar of `width` for `fraction` in [0,1]. */
void view_bar(char *buf, size_t len, double fraction, int width, bool utf8);

#endif
