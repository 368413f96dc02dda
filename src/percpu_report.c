/* The --per-cpu table: reasons down, CPUs across, as /proc/interrupts. */
#include "percpu.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exit_reasons.h"

/* The longest cell: 2^64 cycles in ns at 1 Hz, or a reason name. */
#define CELL_LEN 48

/* Which figure a cell shows. */
enum cell_figure { FIGURE_EXITS, FIGURE_TIME };

/* One row of the table: a reason, other or total, over every column. */
struct percpu_row {
	const char *label; /* reason number, or "-" */
	const char *name;
	uint32_t reason;
	enum { ROW_REASON, ROW_OTHER, ROW_TOTAL } kind;
};

static struct reason_stat column_row(const struct snapshot *snap,
				     const struct percpu_row *row,
				     const struct percpu_column *column)
{
	struct reason_stat st = { 0 };
	const struct reason_stat *cell;

	switch (row->kind) {
	case ROW_REASON:
		if (!column)
			cell = NULL;
		else
			cell = percpu_cell(column, row->reason);
		if (cell)
			st = *cell;
		break;
	case ROW_OTHER:
		st.exits = snap->other_exits;
		st.cycles = snap->other_cycles;
		break;
	case ROW_TOTAL:
		st.exits = snap->total_exits;
		st.cycles = snap->total_cycles;
		break;
	}
	return st;
}

/* The figures of a row in column c, or in the sum for c == t->count. */
static struct reason_stat row_in(const struct percpu_table *t,
				 const struct percpu_row *row, size_t c)
{
	size_t i;

	if (c < t->count)
		return column_row(&t->columns[c].figures, row, &t->columns[c]);
	if (row->kind != ROW_REASON)
		return column_row(&t->sum, row, NULL);
	for (i = 0; i < t->sum.count; i++)
		if (t->sum.reasons[i].reason == row->reason)
			return t->sum.reasons[i];
	return (struct reason_stat){ .reason = row->reason };
}

static bool has_other(const struct snapshot *snap)
{
	return snap->other_exits || snap->other_cycles;
}

/* The rows in the order shown: the reasons kept, other, total. */
static size_t table_rows(const struct percpu_table *t, struct percpu_row *rows,
			 char (*labels)[16])
{
	size_t i, n = 0;

	for (i = 0; i < t->sum.count; i++) {
		const uint32_t reason = t->sum.reasons[i].reason;
		const char *name = exit_reason_name(reason);

		snprintf(labels[n], sizeof(labels[n]), "%" PRIu32, reason);
		rows[n] = (struct percpu_row){ labels[n], name ? name : "-",
					       reason, ROW_REASON };
		n++;
	}
	if (has_other(&t->sum))
		rows[n++] = (struct percpu_row){ "-", "other", 0, ROW_OTHER };
	rows[n++] = (struct percpu_row){ "-", "total", 0, ROW_TOTAL };
	return n;
}

static void figure_text(char *buf, const struct reason_stat *st,
			enum cell_figure figure,
			const struct report_style *style)
{
	if (figure == FIGURE_EXITS)
		snprintf(buf, CELL_LEN, "%" PRIu64, st->exits);
	else
		format_time(buf, CELL_LEN, st->cycles, style);
}

/* One table of one figure: two header lines, then the rows. */
static bool print_grid(FILE *out, const struct percpu_table *t,
		       const struct percpu_row *rows, size_t nrows,
		       enum cell_figure figure,
		       const struct report_style *style)
{
	const size_t ncols = 2 + t->count + 1, nlines = 2 + nrows;
	char (*cell)[CELL_LEN] = calloc(ncols * nlines, sizeof(*cell));
	size_t *width = calloc(ncols, sizeof(*width));
	size_t r, c;

	if (!cell || !width) {
		free(cell);
		free(width);
		return false;
	}
#define CELL(line, col) cell[(line) * ncols + (col)]
	snprintf(CELL(0, 0), CELL_LEN, "REASON");
	snprintf(CELL(0, 1), CELL_LEN, "NAME");
	snprintf(CELL(1, 1), CELL_LEN, "vcpu");
	for (c = 0; c < t->count; c++) {
		snprintf(CELL(0, 2 + c), CELL_LEN, "CPU%" PRIu32,
			 t->columns[c].cpu);
		snprintf(CELL(1, 2 + c), CELL_LEN, "%" PRIu32,
			 t->columns[c].vcpu);
	}
	snprintf(CELL(0, ncols - 1), CELL_LEN, "TOTAL");
	for (r = 0; r < nrows; r++) {
		snprintf(CELL(2 + r, 0), CELL_LEN, "%s", rows[r].label);
		snprintf(CELL(2 + r, 1), CELL_LEN, "%s", rows[r].name);
		for (c = 0; c <= t->count; c++) {
			struct reason_stat st = row_in(t, &rows[r], c);

			figure_text(CELL(2 + r, 2 + c), &st, figure, style);
		}
	}
	for (r = 0; r < nlines; r++)
		for (c = 0; c < ncols; c++)
			if (strlen(CELL(r, c)) > width[c])
				width[c] = strlen(CELL(r, c));
	for (r = 0; r < nlines; r++) {
		char line[CELL_LEN + 2];
		size_t end;

		/* Numbers right-aligned; no blanks at the end of a line. */
		for (c = 0; c < ncols; c++) {
			if (c == 0) /* reason numbers, as the report's */
				snprintf(line, sizeof(line), "%*s",
					 (int)width[c], CELL(r, c));
			else if (c == 1)
				snprintf(line, sizeof(line), "  %-*s",
					 (int)width[c], CELL(r, c));
			else
				snprintf(line, sizeof(line), "  %*s",
					 (int)width[c], CELL(r, c));
			if (c + 1 == ncols) {
				end = strlen(line);
				while (end && line[end - 1] == ' ')
					line[--end] = '\0';
			}
			fputs(line, out);
		}
		fputc('\n', out);
	}
#undef CELL
	free(cell);
	free(width);
	return true;
}

static void own_exits_note(char *buf, size_t len,
			   const struct report_style *style)
{
	snprintf(buf, len,
		 style->include_self
			 ? "exitstat's own %" PRIu64 " CPUID exits are included"
			 : "exitstat's own %" PRIu64
			   " CPUID exits are left out of reason 10 and the total, cycles too",
		 style->self_exits);
}

#define RESET_NOTE \
	"the host's counters went back (VM restored or migrated, or counting restarted): figures are since then"

static bool print_table(FILE *out, const struct host_info *host,
			const struct percpu_table *t,
			const struct percpu_row *rows, size_t nrows,
			const struct report_style *style,
			const char *const *notes)
{
	char own[160], tsc[128];

	fprintf(out, "host %s: exit statistics of each vCPU with %s counts, ",
		host->vendor,
		t->sum.wide_counts ? "64-bit" : "32-bit (wrapping)");
	if (style->since == SINCE_VM_START)
		fputs("since the VM started\n", out);
	else if (style->counter_reset)
		fputs("since the host's counters went back\n", out);
	else
		fprintf(out, "during the command (%.3f s)\n", style->seconds);
	if (style->unit != UNIT_CYCLES && style->tsc_hz) {
		format_tsc_rate(tsc, sizeof(tsc), style);
		fprintf(out, "%s\n", tsc);
	}
	for (; notes && *notes; notes++)
		fprintf(out, "note: %s\n", *notes);
	own_exits_note(own, sizeof(own), style);
	fprintf(out, "note: %s\n", own);
	if (style->counter_reset)
		fprintf(out, "note: %s\n", RESET_NOTE);
	/*
	 * Rounded cells need not add up to a rounded sum (perf stat's and
	 * mpstat's are alike): say which is exact rather than round TOTAL
	 * to a figure that is not the sum.
	 */
	if (style->unit != UNIT_CYCLES)
		fputs("note: times are summed from exact cycles, then each rounded to 3 significant figures: the rounded cells may not add up to TOTAL (-u cycles: exact)\n",
		      out);
	fputs("\nexits:\n", out);
	if (!print_grid(out, t, rows, nrows, FIGURE_EXITS, style))
		return false;
	if (style->unit == UNIT_CYCLES)
		fputs("\ncycles:\n", out);
	else if (style->unit == UNIT_AUTO)
		fputs("\ntime:\n", out);
	else
		fprintf(out, "\ntime (%s):\n", time_unit_name(style->unit));
	return print_grid(out, t, rows, nrows, FIGURE_TIME, style);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *since_word(const struct report_style *style)
{
	if (style->counter_reset)
		return "counter_reset";
	return style->since == SINCE_COMMAND ? "command" : "vm_start";
}

/* exits, cycles and time (null in cycles) of one cell. */
static void json_cell(FILE *out, const struct reason_stat *st,
		      const struct report_style *style)
{
	fprintf(out, "\"exits\":%" PRIu64 ",\"cycles\":%" PRIu64 ",\"time\":",
		st->exits, st->cycles);
	if (style->unit == UNIT_CYCLES)
		fputs("null", out);
	else
		fprintf(out, "%.6f", cycles_in_unit(st->cycles, style));
}

/* The sum's cell, then "cpus": the cells of the columns, in their order. */
static void json_row(FILE *out, const struct percpu_table *t,
		     const struct percpu_row *row,
		     const struct report_style *style)
{
	struct reason_stat st = row_in(t, row, t->count);
	size_t c;

	json_cell(out, &st, style);
	fputs(",\"cpus\":[", out);
	for (c = 0; c < t->count; c++) {
		st = row_in(t, row, c);
		fputs(c ? ",{" : "{", out);
		json_cell(out, &st, style);
		fputc('}', out);
	}
	fputc(']', out);
}

static void print_json(FILE *out, const struct host_info *host,
		       const struct percpu_table *t,
		       const struct percpu_row *rows, size_t nrows,
		       const struct report_style *style,
		       const char *const *notes)
{
	const struct percpu_row other = { "-", "other", 0, ROW_OTHER };
	char own[160];
	bool first = true;
	size_t c, r;

	fputs("{\"schema\":", out);
	json_string(out, REPORT_SCHEMA);
	fprintf(out, ",\"timestamp\":%.3f,\"host\":{\"vendor\":",
		style->timestamp > 0 ? style->timestamp : now_seconds());
	json_string(out, host->vendor);
	fprintf(out, ",\"count_bits\":%d}", t->sum.wide_counts ? 64 : 32);
	json_units_since(out, style, since_word(style));
	fprintf(out, ",\"self\":{\"included\":%s,\"exits\":%" PRIu64 "}",
		style->include_self ? "true" : "false", style->self_exits);
	fputs(",\"notes\":[", out);
	for (; notes && *notes; notes++, first = false) {
		fputs(first ? "" : ",", out);
		json_string(out, *notes);
	}
	own_exits_note(own, sizeof(own), style);
	fputs(first ? "" : ",", out);
	json_string(out, own);
	if (style->counter_reset) {
		fputc(',', out);
		json_string(out, RESET_NOTE);
	}
	fputs("],\"cpus\":[", out);
	for (c = 0; c < t->count; c++)
		fprintf(out,
			"%s{\"cpu\":%" PRIu32 ",\"vcpu\":%" PRIu32
			",\"self_exits\":%" PRIu64 "}",
			c ? "," : "", t->columns[c].cpu, t->columns[c].vcpu,
			t->columns[c].self_exits);
	fputs("],\"total\":{", out);
	json_row(out, t, &rows[nrows - 1], style);
	fputs("},\"other\":{", out);
	json_row(out, t, &other, style);
	fputs("},\"reasons\":[", out);
	for (r = 0; r < nrows; r++) {
		struct reason_stat st;

		if (rows[r].kind != ROW_REASON)
			continue;
		st = row_in(t, &rows[r], t->count);
		fprintf(out, "%s{\"reason\":%" PRIu32 ",\"name\":",
			r ? "," : "", rows[r].reason);
		json_string_or_null(out, exit_reason_name(rows[r].reason));
		fputs(",\"status\":", out);
		json_string(out, reason_status_name(st.status));
		fputc(',', out);
		json_row(out, t, &rows[r], style);
		fputc('}', out);
	}
	fputs("]}\n", out);
}

static void csv_cell(FILE *out, double timestamp, const char *cpu,
		     const char *vcpu, const struct percpu_row *row,
		     const struct reason_stat *st,
		     const struct report_style *style)
{
	const char *status = row->kind == ROW_OTHER   ? "other"
			     : row->kind == ROW_TOTAL ? "total"
						      : reason_status_name(st->status);

	fprintf(out, "%.3f,%s,%s,%s,%s,%s,%" PRIu64 ",%" PRIu64 ",",
		timestamp, cpu, vcpu,
		row->kind == ROW_REASON ? row->label : "", row->name, status,
		st->exits, st->cycles);
	if (style->unit != UNIT_CYCLES)
		fprintf(out, "%.6f", cycles_in_unit(st->cycles, style));
	fputc('\n', out);
}

/* Long form: one line per row and column, the sum's with cpu "total". */
static void print_csv(FILE *out, const struct percpu_table *t,
		      const struct percpu_row *rows, size_t nrows,
		      const struct report_style *style)
{
	const double timestamp = style->timestamp > 0 ? style->timestamp
						      : now_seconds();
	char cpu[16], vcpu[16];
	size_t r, c;

	if (!style->no_csv_header)
		fputs("timestamp,cpu,vcpu,reason,name,status,exits,cycles,time\n",
		      out);
	for (r = 0; r < nrows; r++) {
		for (c = 0; c <= t->count; c++) {
			struct reason_stat st = row_in(t, &rows[r], c);

			if (c < t->count) {
				snprintf(cpu, sizeof(cpu), "%" PRIu32,
					 t->columns[c].cpu);
				snprintf(vcpu, sizeof(vcpu), "%" PRIu32,
					 t->columns[c].vcpu);
			} else {
				snprintf(cpu, sizeof(cpu), "total");
				vcpu[0] = '\0';
			}
			csv_cell(out, timestamp, cpu, vcpu, &rows[r], &st,
				 style);
		}
	}
}

bool percpu_report(FILE *out, const struct host_info *host,
		   const struct percpu_table *t,
		   const struct report_style *style,
		   const char *const *notes)
{
	struct percpu_row *rows = calloc(t->sum.count + 2, sizeof(*rows));
	char (*labels)[16] = calloc(t->sum.count + 1, sizeof(*labels));
	bool done = rows && labels;
	size_t nrows;

	if (done) {
		nrows = table_rows(t, rows, labels);
		switch (style->format) {
		case FORMAT_TABLE:
			done = print_table(out, host, t, rows, nrows, style,
					   notes);
			break;
		case FORMAT_JSON:
			print_json(out, host, t, rows, nrows, style, notes);
			break;
		case FORMAT_CSV:
			print_csv(out, t, rows, nrows, style);
			break;
		case FORMAT_PROMETHEUS: /* refused on the command line */
			break;
		}
	}
	free(rows);
	free(labels);
	return done;
}
