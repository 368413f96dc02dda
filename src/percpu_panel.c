#include "percpu_panel.h"

#include <inttypes.h>
#include <string.h>

#include "cpus.h"
#include "exit_reasons.h"

/* Wide enough for a rate of 10^9 exits/s with its decimal. */
#define PANEL_CELL 11
/* REASON and NAME, then a cell for every CPU there can be, and TOTAL. */
#define PANEL_LEAD 27
#define PANEL_LINE (PANEL_LEAD + (CPUS_MAX + 1) * PANEL_CELL + 1)

static double rate(uint64_t recent, double seconds)
{
	return seconds > 0 ? (double)recent / seconds : 0;
}

static void append(char *line, const char *text)
{
	size_t used = strlen(line);

	if (used + 1 < PANEL_LINE)
		snprintf(line + used, PANEL_LINE - used, "%s", text);
}

static void append_rate(char *line, uint64_t recent, double seconds)
{
	char cell[48];

	snprintf(cell, sizeof(cell), " %*.1f", PANEL_CELL - 1,
		 rate(recent, seconds));
	append(line, cell);
}

int percpu_panel_columns_fit(int cols)
{
	int fit = (cols - PANEL_LEAD - PANEL_CELL) / PANEL_CELL;

	return fit < 1 ? 1 : fit;
}

/* The CPU columns drawn: all of them on plain lines. */
static void column_range(const struct sink *k, const struct view_model *m,
			 const struct percpu_table *t, size_t *first,
			 size_t *end)
{
	*first = 0;
	*end = t->count;
	if (!k->curses)
		return;
	*first = m->first_column > 0 ? (size_t)m->first_column : 0;
	if (*first > t->count)
		*first = t->count;
	if (m->shown_columns > 0 && *first + (size_t)m->shown_columns < *end)
		*end = *first + (size_t)m->shown_columns;
}

/* A reason's cells: each column's recent exits, then the sum's. */
static void draw_reason(struct sink *k, const struct percpu_table *t,
			const struct reason_stat *sum, double seconds,
			size_t first, size_t end)
{
	static char line[PANEL_LINE];
	const char *name = exit_reason_name(sum->reason);
	const struct reason_stat *cell;
	size_t c;

	snprintf(line, sizeof(line), "%7" PRIu32 " %-19.19s", sum->reason,
		 name ? name : reason_status_name(sum->status));
	for (c = first; c < end; c++) {
		cell = percpu_cell(&t->columns[c], sum->reason);
		append_rate(line, cell ? cell->recent : 0, seconds);
	}
	append_rate(line, sum->recent, seconds);
	sink_line(k, false, line);
}

/* The other row (other is true) or the total row. */
static void draw_summary(struct sink *k, const struct percpu_table *t,
			 bool other, double seconds, size_t first, size_t end)
{
	static char line[PANEL_LINE];
	size_t c;

	snprintf(line, sizeof(line), "%7s %-19s", "-", other ? "other" : "total");
	for (c = first; c < end; c++) {
		const struct snapshot *f = &t->columns[c].figures;

		append_rate(line, other ? f->other_recent : f->total_recent,
			    seconds);
	}
	append_rate(line, other ? t->sum.other_recent : t->sum.total_recent,
		    seconds);
	sink_line(k, false, line);
}

int percpu_panel_rows(const struct view_model *m, const struct percpu_table *t)
{
	size_t i;
	int n = 0;

	for (i = 0; i < t->sum.count; i++)
		if (view_row_shown(m, &t->sum.reasons[i]))
			n++;
	n += t->sum.other_exits || t->sum.other_cycles;
	return n + 1; /* the total row, always drawn */
}

void percpu_panel_draw(struct sink *k, const struct view_model *m,
		       const struct percpu_table *t, double seconds)
{
	static char line[PANEL_LINE];
	char cell[48];
	int skip = k->curses ? m->scroll : 0;
	const struct reason_stat *st;
	size_t c, i, first, end;

	column_range(k, m, t, &first, &end);
	snprintf(line, sizeof(line), "%7s %-19s", "REASON", "NAME");
	for (c = first; c < end; c++) {
		char name[24];

		snprintf(name, sizeof(name), "CPU%" PRIu32, t->columns[c].cpu);
		snprintf(cell, sizeof(cell), " %*s", PANEL_CELL - 1, name);
		append(line, cell);
	}
	snprintf(cell, sizeof(cell), " %*s", PANEL_CELL - 1, "TOTAL");
	append(line, cell);
	sink_line(k, true, line);

	snprintf(line, sizeof(line), "%7s %-19s", "", "vcpu");
	for (c = first; c < end; c++) {
		snprintf(cell, sizeof(cell), " %*" PRIu32, PANEL_CELL - 1,
			 t->columns[c].vcpu);
		append(line, cell);
	}
	sink_line(k, false, line);

	/* At the screen's end, the summary rows' own checks draw nothing. */
	i = 0;
	while ((st = view_next_row(k, m, &t->sum, &i, &skip)))
		draw_reason(k, t, st, seconds, first, end);
	if ((t->sum.other_exits || t->sum.other_cycles) &&
	    (!k->curses || k->row < k->rows))
		draw_summary(k, t, true, seconds, first, end);
	if (!k->curses || k->row < k->rows)
		draw_summary(k, t, false, seconds, first, end);
}
