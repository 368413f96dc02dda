#include "view.h"

#include <curses.h>
#include <inttypes.h>
#include <string.h>
#include <wchar.h>

#include "exit_reasons.h"
#include "figures.h"
#include "hostview.h"
#include "percpu_panel.h"
#include "spark.h"

#define BAR_WIDTH 10

/*
 * The bytes of text's longest prefix that fits in `cells` cells, and, if
 * wide is not NULL, its characters there (at most cap; *count of them):
 * curses takes wide characters each whole, where given bytes it decodes
 * them one at a time (most of a refresh's cost with a row's 60 cells of
 * block characters).  ASCII needs no decoding in any locale.
 */
static size_t fit(const char *text, int cells, wchar_t *wide, int cap,
		  int *count)
{
	mbstate_t state;
	size_t used = 0, len = strlen(text), n;
	int width = 0, w, kept = 0;
	wchar_t wc;

	memset(&state, 0, sizeof(state));
	while (used < len && (!wide || kept < cap)) {
		if ((unsigned char)text[used] < 0x80) {
			wc = (wchar_t)text[used];
			n = 1;
			w = 1;
		} else {
			n = mbrtowc(&wc, text + used, len - used, &state);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
				break; /* not text in this locale: keep what fits */
			w = wcwidth(wc);
			if (w < 0)
				w = 1;
		}
		if (width + w > cells)
			break;
		width += w;
		used += n;
		if (wide)
			wide[kept++] = wc;
	}
	if (count)
		*count = kept;
	return used;
}

size_t view_fit_cells(const char *text, int cells)
{
	return fit(text, cells, NULL, 0, NULL);
}

void sink_line(struct sink *k, bool emphasis, const char *text)
{
	wchar_t wide[640];
	int n;

	if (!k->curses) {
		fputs(text, k->plain);
		fputc('\n', k->plain);
		return;
	}
	if (k->row >= k->rows || k->cols <= 0)
		return;
	if (emphasis)
		attron(A_REVERSE);
	/* Cut by cells: a bar's block is one cell but three bytes. */
	fit(text, k->cols, wide, (int)(sizeof(wide) / sizeof(wide[0])), &n);
	mvaddnwstr(k->row, 0, wide, n);
	if (emphasis)
		attroff(A_REVERSE);
	clrtoeol();
	k->row++;
}

static void append_whole(char *buf, size_t len, const char *piece)
{
	size_t used = strlen(buf);

	if (used + strlen(piece) < len)
		memcpy(buf + used, piece, strlen(piece) + 1);
}

void view_bar(char *buf, size_t len, double fraction, int width, bool utf8)
{
	/* Eighths of a cell in UTF-8; whole cells of '#' otherwise. */
	static const char *const eighths[] = { "", "\u258f", "\u258e", "\u258d",
					       "\u258c", "\u258b", "\u258a",
					       "\u2589" };
	int units, i;
	size_t used = 0;

	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	buf[0] = '\0';
	if (!utf8) {
		units = (int)(fraction * width + 0.5);
		for (i = 0; i < units && used + 1 < len; i++)
			buf[used++] = '#';
		buf[used] = '\0';
		return;
	}
	units = (int)(fraction * width * 8 + 0.5);
	/* Whole blocks only: a short buffer ends the bar, never splits one. */
	for (i = 0; i < units / 8; i++)
		append_whole(buf, len, "\u2588");
	append_whole(buf, len, eighths[units % 8]);
}

/* Cells of our own text: ASCII and whole UTF-8 glyphs of one cell each. */
static int cells_of(const char *text)
{
	int n = 0;

	for (; *text; text++)
		if (((unsigned char)*text & 0xc0) != 0x80)
			n++;
	return n;
}

/* Spaces up to `column` cells, then the series' sparkline of `cells`. */
static void append_spark(char *line, size_t len, const struct view_model *m,
			 size_t series, int column, int cells)
{
	double values[VIEW_SPARK_MAX];
	char spark[VIEW_SPARK_MAX * 4 + 1];
	int at = cells_of(line);

	for (; at < column; at++)
		append_whole(line, len, " ");
	history_cells(m->history, series, values, cells);
	spark_render(spark, sizeof(spark), values, cells, m->utf8);
	append_whole(line, len, spark);
}

/*
 * Cells of the rows' sparklines: what the screen leaves after the share
 * bar, up to VIEW_SPARK_MAX; none below VIEW_SPARK_MIN or without history.
 */
static int spark_cells(const struct sink *k, const struct view_model *m)
{
	int room = k->cols - VIEW_SPARK_COLUMN;

	if (!m->history || !k->curses || room < VIEW_SPARK_MIN)
		return 0;
	return room > VIEW_SPARK_MAX ? VIEW_SPARK_MAX : room;
}

bool view_row_shown(const struct view_model *m, const struct reason_stat *st)
{
	return m->show_zero || st->exits || st->cycles || st->recent;
}

const struct reason_stat *view_next_row(const struct sink *k,
					const struct view_model *m,
					const struct snapshot *f, size_t *i,
					int *skip)
{
	while (*i < f->count) {
		const struct reason_stat *st = &f->reasons[(*i)++];

		if (!view_row_shown(m, st))
			continue;
		if (*skip > 0) {
			(*skip)--;
			continue;
		}
		if (k->curses && k->row >= k->rows)
			return NULL;
		return st;
	}
	return NULL;
}

int view_visible_rows(const struct view_model *m)
{
	size_t i;
	int n = 0;

	for (i = 0; i < m->since->count; i++)
		if (view_row_shown(m, &m->since->reasons[i]))
			n++;
	return n + (m->since->other_exits || m->since->other_cycles);
}

static void format_duration(char *buf, size_t len, double seconds)
{
	unsigned long s = (unsigned long)seconds;

	snprintf(buf, len, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
}

static const char *sort_title(enum sort_key key)
{
	switch (key) {
	case SORT_COUNT:
		return "exits";
	case SORT_RATE:
		return "exits/s";
	case SORT_TIME:
		return "time";
	case SORT_AVG:
		return "average";
	case SORT_REASON:
		return "reason";
	case SORT_NAME:
		return "name";
	}
	return "?";
}

static void draw_header(struct sink *k, const struct view_model *m)
{
	const struct snapshot *s = m->since;
	char line[640], up[32], last[320], amount[48], cpu[64], tsc[128];
	char vcpu[48];
	int spark = 0;
	const double seconds = m->last_seconds;
	struct report_style over_last = *m->style;

	format_duration(up, sizeof(up), m->uptime);
	/*
	 * The guest owner's headline, early on the first line so that a
	 * narrow screen keeps it: how much of one host CPU handling this
	 * VM's exits took over the last interval.  Then where the TSC rate
	 * behind it came from.
	 */
	over_last.seconds = seconds;
	cpu[0] = '\0';
	if (host_cpu_percent(m->recent_cycles, &over_last) >= 0)
		snprintf(cpu, sizeof(cpu), "  host CPU %.2f%%",
			 host_cpu_percent(m->recent_cycles, &over_last));
	tsc[0] = '\0';
	if (m->style->tsc_hz)
		snprintf(tsc, sizeof(tsc), "TSC %.2f GHz (%s)",
			 (double)m->style->tsc_hz / 1e9,
			 tsc_source_name(m->style));
	vcpu[0] = '\0';
	if (m->style->one_vcpu)
		snprintf(vcpu, sizeof(vcpu), "  vCPU %" PRIu32 " on CPU %" PRIu32,
			 m->style->vcpu, m->style->cpu);
	snprintf(line, sizeof(line), "exitstat  host %s%s  every %.1fs  up %s%s%s",
		 m->host->vendor, vcpu, m->interval, up,
		 m->paused ? "  PAUSED" : "", cpu);
	/*
	 * The share's last minute right after it, in what the screen leaves
	 * (the TSC's source gives way first).
	 */
	if (cpu[0] && m->history && k->curses) {
		spark = k->cols - (int)strlen(line) - 1;
		if (spark > VIEW_CPU_SPARK_MAX)
			spark = VIEW_CPU_SPARK_MAX;
		if (spark >= VIEW_SPARK_MIN)
			append_spark(line, sizeof(line), m,
				     history_cpu_series(m->history),
				     (int)strlen(line) + 1, spark);
	}
	if (tsc[0]) {
		append_whole(line, sizeof(line), "  ");
		append_whole(line, sizeof(line), tsc);
	}
	sink_line(k, false, line);

	if (seconds > 0) {
		/* Per second: the interval's amount scaled to one second. */
		over_last.seconds = 0;
		format_time_with_unit(amount, sizeof(amount),
				      (uint64_t)((double)m->recent_cycles / seconds),
				      &over_last);
		snprintf(last, sizeof(last), "last %.2fs: %.1f exits/s, %s/s",
			 seconds, (double)m->recent_exits / seconds, amount);
	} else {
		snprintf(last, sizeof(last), "rates after the first interval");
	}
	format_time_with_unit(amount, sizeof(amount), s->total_cycles, m->style);
	snprintf(line, sizeof(line),
		 "total since %s: %" PRIu64 " exits, %s; %s",
		 m->since_counter_reset ? "counter reset"
		 : m->since_reset	? "reset"
					: "VM start",
		 s->total_exits, amount, last);
	sink_line(k, false, line);
	if (m->style->vms) {
		/* --host: which VMs, in place of own exits there are none of. */
		vm_scope_describe(m->style->vms, last, sizeof(last));
		snprintf(line, sizeof(line), "vms: %s%s", last,
			 m->counter_reset ? "; VMs changed or counters went back: new baseline"
					  : "");
		sink_line(k, false, line);
		return;
	}
	snprintf(line, sizeof(line),
		 m->include_self
			 ? "exitstat's own CPUID exits included (%" PRIu64
			   " a refresh)%s"
			 : "exitstat's own CPUID exits left out (%" PRIu64
			   " a refresh, cycles too)%s",
		 m->self_per_refresh,
		 m->counter_reset ? "; host counters went back: new baseline"
				  : "");
	sink_line(k, false, line);
}

static void draw_hints(struct sink *k, const struct view_model *m)
{
	char line[256], columns[96] = "";

	/* Which CPU columns, when not all fit: Left and Right move them. */
	if (m->panel && m->shown_columns > 0 &&
	    (size_t)m->shown_columns < m->panel->count)
		snprintf(columns, sizeof(columns),
			 "columns %d-%d of %zu (Left,Right)  ",
			 m->first_column + 1,
			 m->first_column + m->shown_columns,
			 m->panel->count);
	if (m->show_help)
		snprintf(line, sizeof(line),
			 "q quit  %ss,<,> sort  z zero rows  p pause  r reset  "
			 "+,- interval  arrows,PgUp,PgDn scroll  h,? help",
			 m->panel_available ? "c per-CPU  " : "");
	else
		/* The columns first: in a window too narrow for them all. */
		snprintf(line, sizeof(line),
			 "%ssort: %s  zero rows: %s%s  (h for help)", columns,
			 sort_title(m->style->sort),
			 m->show_zero ? "shown" : "hidden",
			 !m->panel_available ? ""
			 : m->panel	     ? "  view: per CPU, exits/s (c: reasons)"
					     : "  view: reasons (c: per CPU)");
	sink_line(k, false, line);
}

static void draw_titles(struct sink *k, const struct view_model *m)
{
	const enum sort_key key = m->style->sort;
	char line[256], time_title[24];
	int at;

	if (m->style->unit == UNIT_CYCLES)
		snprintf(time_title, sizeof(time_title), "CYCLES");
	else if (m->style->unit == UNIT_AUTO)
		snprintf(time_title, sizeof(time_title), "TIME");
	else
		snprintf(time_title, sizeof(time_title), "TIME(%s)",
			 time_unit_name(m->style->unit));
	/* The sorted column carries a '*'. */
	snprintf(line, sizeof(line), "%7s %-19s %12s %10s %14s %6s %10s %s",
		 key == SORT_REASON ? "*REASON" : "REASON",
		 key == SORT_NAME ? "*NAME" : "NAME",
		 key == SORT_COUNT ? "*EXITS" : "EXITS",
		 key == SORT_RATE ? "*EXITS/S" : "EXITS/S", time_title,
		 "%TIME", key == SORT_AVG ? "*AVG" : "AVG", "SHARE");
	if (key == SORT_TIME) {
		char *title = strstr(line, time_title);

		if (title && title > line && title[-1] == ' ')
			title[-1] = '*';
	}
	if (spark_cells(k, m)) {
		for (at = (int)strlen(line); at < VIEW_SPARK_COLUMN; at++)
			append_whole(line, sizeof(line), " ");
		append_whole(line, sizeof(line), "LAST 60S");
	}
	sink_line(k, true, line);
}

/* A reason's row, or the other row when other is true. */
static void draw_row(struct sink *k, const struct view_model *m,
		     const struct reason_stat *st, bool other)
{
	const struct snapshot *s = m->since;
	const char *name = exit_reason_name(st->reason);
	char line[512], amount[32], avg[32], bar[64];
	double rate = m->last_seconds > 0 ? (double)st->recent / m->last_seconds
					  : 0;
	double time_share = cycles_share(s, st->cycles);
	double exit_share = exits_share(s, st->exits);
	char share[16];
	int room, spark = spark_cells(k, m), series;

	format_time(amount, sizeof(amount), st->cycles, m->style);
	format_average(avg, sizeof(avg), st->cycles, st->exits, m->style);
	format_share(share, sizeof(share), time_share);
	if (other)
		snprintf(line, sizeof(line),
			 "%7s %-19.19s %12" PRIu64 " %10.1f %14s %6s %10s ",
			 "-", "other", st->exits, rate, amount, share, avg);
	else
		snprintf(line, sizeof(line),
			 "%7" PRIu32 " %-19.19s %12" PRIu64
			 " %10.1f %14s %6s %10s ",
			 st->reason,
			 name ? name : reason_status_name(st->status),
			 st->exits, rate, amount, share, avg);
	/* The bar goes on only where it fits whole, so no cut splits UTF-8. */
	room = k->curses ? k->cols - (int)strlen(line) : BAR_WIDTH;
	if (room >= BAR_WIDTH) {
		view_bar(bar, sizeof(bar), exit_share / 100, BAR_WIDTH, m->utf8);
		strncat(line, bar, sizeof(line) - strlen(line) - 1);
	}
	series = spark ? history_series(m->history,
					other ? HISTORY_OTHER : st->reason)
		       : -1;
	if (series >= 0)
		append_spark(line, sizeof(line), m, (size_t)series,
			     VIEW_SPARK_COLUMN, spark);
	sink_line(k, false, line);
}

void view_draw(struct sink *k, const struct view_model *m)
{
	int skip = k->curses ? m->scroll : 0;
	const struct reason_stat *st;
	size_t i = 0;

	k->row = 0;
	draw_header(k, m);
	if (k->curses)
		draw_hints(k, m);
	if (m->panel) {
		percpu_panel_draw(k, m, m->panel, m->panel_seconds);
		return;
	}
	draw_titles(k, m);
	while ((st = view_next_row(k, m, m->since, &i, &skip)))
		draw_row(k, m, st, false);
	if (m->since->other_exits || m->since->other_cycles) {
		struct reason_stat other = {
			.exits = m->since->other_exits,
			.cycles = m->since->other_cycles,
			.recent = m->recent_other,
		};

		if (!k->curses || k->row < k->rows)
			draw_row(k, m, &other, true);
	}
}
