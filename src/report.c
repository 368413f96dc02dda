#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exit_reasons.h"
#include "figures.h"
#include "hostview.h"
#include "metrics.h"
#include "ratio.h"
#include "table.h"
#include "units.h"

static const double unit_scale[] = {
	[UNIT_CYCLES] = 0, [UNIT_NS] = 1e9, [UNIT_US] = 1e6,
	[UNIT_MS] = 1e3,   [UNIT_S] = 1,	 [UNIT_AUTO] = 1,
};

const char *time_unit_name(enum time_unit unit)
{
	static const char *const names[] = {
		[UNIT_CYCLES] = "cycles", [UNIT_NS] = "ns", [UNIT_US] = "us",
		[UNIT_MS] = "ms",	  [UNIT_S] = "s",	  [UNIT_AUTO] = "auto",
	};

	return names[unit];
}

/* UNIT_AUTO figures are seconds until they are printed. */
double cycles_in_unit(uint64_t cycles, const struct report_style *style)
{
	if (style->unit == UNIT_CYCLES || style->tsc_hz == 0)
		return (double)cycles;
	return (double)cycles / (double)style->tsc_hz * unit_scale[style->unit];
}

double average_in_unit(uint64_t cycles, uint64_t exits,
		       const struct report_style *style)
{
	if (exits == 0)
		return -1;
	return cycles_in_unit(cycles, style) / (double)exits;
}

static double per_second(uint64_t n, double seconds)
{
	return seconds > 0 ? (double)n / seconds : 0;
}

static const char *name_or_dash(uint32_t reason)
{
	const char *name = exit_reason_name(reason);

	return name ? name : "-";
}

/* Sorting: qsort has no context argument, so the key travels here. */
static enum sort_key sort_by;

static int compare_u64_desc(uint64_t a, uint64_t b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

static int compare_rows(const void *pa, const void *pb)
{
	const struct reason_stat *a = pa, *b = pb;
	const char *na, *nb;
	int order = 0;

	switch (sort_by) {
	case SORT_COUNT:
		order = compare_u64_desc(a->exits, b->exits);
		break;
	case SORT_RATE: /* one interval for every row: order by its exits */
		order = compare_u64_desc(a->recent, b->recent);
		break;
	case SORT_TIME:
		order = compare_u64_desc(a->cycles, b->cycles);
		break;
	case SORT_AVG: /* highest average first; no exits, no average: last */
		if (!a->exits || !b->exits)
			order = (a->exits == 0) - (b->exits == 0);
		else
			order = -ratio_compare(a->cycles, a->exits, b->cycles,
					       b->exits);
		break;
	case SORT_NAME:
		na = exit_reason_name(a->reason);
		nb = exit_reason_name(b->reason);
		if (na && nb)
			order = strcmp(na, nb);
		else
			order = (na == NULL) - (nb == NULL);
		break;
	case SORT_REASON:
		break;
	}
	if (order)
		return order;
	return a->reason < b->reason ? -1 : a->reason > b->reason;
}

void report_sort(struct reason_stat *rows, size_t n, enum sort_key key)
{
	sort_by = key;
	qsort(rows, n, sizeof(*rows), compare_rows);
}

void format_share(char *buf, size_t len, double percent)
{
	if (percent < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2f", percent);
}

void format_time(char *buf, size_t len, uint64_t cycles,
		 const struct report_style *style)
{
	if (style->unit == UNIT_CYCLES)
		snprintf(buf, len, "%" PRIu64, cycles);
	else if (style->unit == UNIT_AUTO)
		format_auto_seconds(buf, len, cycles_in_unit(cycles, style));
	else
		format_3sig(buf, len, cycles_in_unit(cycles, style));
}

void format_average(char *buf, size_t len, uint64_t cycles, uint64_t exits,
		    const struct report_style *style)
{
	double average = average_in_unit(cycles, exits, style);

	if (average < 0)
		snprintf(buf, len, "-");
	else if (style->unit == UNIT_CYCLES)
		snprintf(buf, len, "%.1f", average);
	else if (style->unit == UNIT_AUTO)
		format_auto_seconds(buf, len, average);
	else
		format_3sig(buf, len, average);
}

void format_time_with_unit(char *buf, size_t len, uint64_t cycles,
			   const struct report_style *style)
{
	char number[48];

	format_time(number, sizeof(number), cycles, style);
	if (style->unit == UNIT_AUTO)
		snprintf(buf, len, "%s", number);
	else
		snprintf(buf, len, "%s %s", number, time_unit_name(style->unit));
}

double host_cpu_percent(uint64_t cycles, const struct report_style *style)
{
	if (style->seconds <= 0 || style->tsc_hz == 0)
		return -1;
	return 100.0 * (double)cycles / (double)style->tsc_hz / style->seconds;
}

const char *tsc_source_name(const struct report_style *style)
{
	return style->tsc_source ? style->tsc_source : "--tsc-hz";
}

void format_tsc_rate(char *buf, size_t len, const struct report_style *style)
{
	snprintf(buf, len, "TSC rate %" PRIu64 " Hz, from %s", style->tsc_hz,
		 tsc_source_name(style));
}

static bool any_status(const struct snapshot *snap, enum reason_status status)
{
	size_t i;

	for (i = 0; i < snap->count; i++)
		if (snap->reasons[i].status == status)
			return true;
	return false;
}

/* The notes every report carries, in every format. */
#define MAX_NOTES 8
#define NOTE_LEN 160

static size_t standard_notes(char notes[MAX_NOTES][NOTE_LEN],
			     const struct snapshot *snap,
			     const struct report_style *style)
{
	size_t n = 0;

	if (style->vms) {
		snprintf(notes[n++], NOTE_LEN,
			 "read from the host's debugfs files: exitstat causes no exits there, nothing is left out");
		if (style->counter_reset || style->since == SINCE_COUNTER_RESET)
			snprintf(notes[n++], NOTE_LEN,
				 "the VMs summed changed, or one's counters went back: figures are since then");
		if (snap->saturated)
			snprintf(notes[n++], NOTE_LEN,
				 "a sum over VMs passed 64 bits: it is held at 2^64-1, a lower bound");
		return n;
	}
	snprintf(notes[n++], NOTE_LEN,
		 style->include_self
			 ? "exitstat's own %" PRIu64 " CPUID exits are included"
			 : "exitstat's own %" PRIu64
			   " CPUID exits are left out of reason 10 and the total, cycles too",
		 style->self_exits);
	if (style->counter_reset || style->since == SINCE_COUNTER_RESET)
		snprintf(notes[n++], NOTE_LEN,
			 "the host's counters went back (VM restored or migrated, or counting restarted): figures are since then");
	if (snap->exits_exceed)
		snprintf(notes[n++], NOTE_LEN,
			 "the reasons add up to more than the 32-bit total, which wrapped: shares unknown");
	return n;
}

static const char *since_name(enum report_since since)
{
	switch (since) {
	case SINCE_VM_START:
		return "vm_start";
	case SINCE_VIEW_RESET:
		return "view_reset";
	case SINCE_COUNTER_RESET:
		return "counter_reset";
	case SINCE_COMMAND:
		return "command";
	}
	return "?";
}

static double report_timestamp(const struct report_style *style)
{
	struct timespec ts;

	if (style->timestamp > 0)
		return style->timestamp;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The total or the other row, as a row, for the code that prints rows. */
static struct reason_stat summary_row(uint64_t exits, uint64_t cycles,
				      uint64_t recent, uint64_t recent_cycles)
{
	struct reason_stat row = {
		.exits = exits,
		.cycles = cycles,
		.recent = recent,
		.recent_cycles = recent_cycles,
	};

	return row;
}

static struct reason_stat total_row(const struct snapshot *snap)
{
	return summary_row(snap->total_exits, snap->total_cycles,
			   snap->total_recent, snap->total_recent_cycles);
}

static struct reason_stat other_row(const struct snapshot *snap)
{
	return summary_row(snap->other_exits, snap->other_cycles,
			   snap->other_recent, snap->other_recent_cycles);
}

static bool has_other(const struct snapshot *snap)
{
	return snap->other_exits || snap->other_cycles;
}

/* exits and cycles since the baseline; the rate over the last interval. */
static void table_figures(struct table *t, const char *reason,
			  const char *name, const char *status,
			  const struct reason_stat *row,
			  const struct snapshot *snap,
			  const struct report_style *style)
{
	char text[64]; /* the longest figure: 2^64 cycles in ns at 1 Hz */

	table_cell(t, "%s", reason);
	table_cell(t, "%s", name);
	table_cell(t, "%s", status);
	table_cell(t, "%" PRIu64, row->exits);
	if (style->seconds > 0)
		table_cell(t, "%.1f", per_second(row->recent, style->seconds));
	format_time(text, sizeof(text), row->cycles, style);
	table_cell(t, "%s", text);
	format_average(text, sizeof(text), row->cycles, row->exits, style);
	table_cell(t, "%s", text);
	format_share(text, sizeof(text), exits_share(snap, row->exits));
	table_cell(t, "%s", text);
	format_share(text, sizeof(text), cycles_share(snap, row->cycles));
	table_cell(t, "%s", text);
}

static void print_table(FILE *out, const struct host_info *host,
			const struct snapshot *snap,
			const struct report_style *style,
			const char *const *notes)
{
	const bool cycles = style->unit == UNIT_CYCLES;
	const char *unit = time_unit_name(style->unit);
	char time_header[24], avg_header[24], total_time[48], avg[48];
	char own[MAX_NOTES][NOTE_LEN], number[16], tsc[128];
	const double cpu = host_cpu_percent(snap->total_recent_cycles, style);
	struct reason_stat other = other_row(snap);
	struct table t;
	size_t i, nown;

	fprintf(out, "host %s: exit statistics with %s counts\n", host->vendor,
		snap->wide_counts ? "64-bit" : "32-bit (wrapping)");
	if (style->vms) {
		char vms[512];

		vm_scope_describe(style->vms, vms, sizeof(vms));
		fprintf(out, "vms: %s\n", vms);
	}
	format_time_with_unit(total_time, sizeof(total_time), snap->total_cycles,
			      style);
	format_average(avg, sizeof(avg), snap->total_cycles, snap->total_exits,
		       style);
	fprintf(out, "total: %" PRIu64 " exits, %s handling them, %s%s%s/exit",
		snap->total_exits, total_time, avg,
		style->unit == UNIT_AUTO ? "" : " ",
		style->unit == UNIT_AUTO ? "" : unit);
	if (style->seconds > 0)
		fprintf(out, ", %.1f exits/s over %.3f s",
			per_second(snap->total_recent, style->seconds),
			style->seconds);
	fputc('\n', out);
	if (style->tsc_hz)
		format_tsc_rate(tsc, sizeof(tsc), style);
	if (cpu >= 0)
		fprintf(out, "host CPU: %.2f%% of one host CPU handled these exits (%s)\n",
			cpu, tsc);
	else if (!cycles)
		fprintf(out, "%s\n", tsc);
	nown = standard_notes(own, snap, style);
	for (; notes && *notes; notes++)
		fprintf(out, "note: %s\n", *notes);
	for (i = 0; i < nown; i++)
		fprintf(out, "note: %s\n", own[i]);
	if (any_status(snap, REASON_ZERO))
		fputs("note: 'zero' means no exits yet or not handled by KVM;"
		      " without the EXST extension the host cannot tell which\n",
		      out);
	fputc('\n', out);

	snprintf(time_header, sizeof(time_header),
		 cycles ? "CYCLES" : style->unit == UNIT_AUTO ? "TIME" : "TIME(%s)",
		 unit);
	snprintf(avg_header, sizeof(avg_header),
		 cycles ? "AVG" : style->unit == UNIT_AUTO ? "AVG" : "AVG(%s)",
		 unit);
	table_init(&t);
	table_add_column(&t, "REASON", true);
	table_add_column(&t, "NAME", false);
	table_add_column(&t, "STATUS", false);
	table_add_column(&t, "EXITS", true);
	if (style->seconds > 0)
		table_add_column(&t, "EXITS/S", true);
	table_add_column(&t, time_header, true);
	table_add_column(&t, avg_header, true);
	table_add_column(&t, "%EXITS", true);
	table_add_column(&t, "%TIME", true);
	for (i = 0; i < snap->count; i++) {
		const struct reason_stat *st = &snap->reasons[i];

		if (!table_add_row(&t))
			break;
		snprintf(number, sizeof(number), "%" PRIu32, st->reason);
		table_figures(&t, number, name_or_dash(st->reason),
			      reason_status_name(st->status), st, snap, style);
	}
	if (has_other(snap) && table_add_row(&t))
		table_figures(&t, "-", "other", "other", &other, snap, style);
	table_print(&t, out);
	table_free(&t);
}

void json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p > 0x7e)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* A JSON number, or null for "not applicable" (negative here). */
static void json_number(FILE *out, double value)
{
	if (value < 0)
		fputs("null", out);
	else
		fprintf(out, "%.6f", value);
}

void json_string_or_null(FILE *out, const char *s)
{
	if (s)
		json_string(out, s);
	else
		fputs("null", out);
}

void json_units_since(FILE *out, const struct report_style *style,
		      const char *since)
{
	fputs(",\"units\":", out);
	json_string(out, time_unit_name(style->unit));
	fputs(",\"tsc_hz\":", out);
	if (style->tsc_hz)
		fprintf(out, "%" PRIu64, style->tsc_hz);
	else
		fputs("null", out);
	fputs(",\"tsc_source\":", out);
	json_string_or_null(out, style->tsc_hz ? tsc_source_name(style) : NULL);
	fputs(",\"since\":", out);
	json_string(out, since);
	fprintf(out, ",\"counter_reset\":%s,\"seconds\":",
		style->counter_reset ? "true" : "false");
	json_number(out, style->seconds > 0 ? style->seconds : -1);
}

/*
 * The derived figures of a row, the same in JSON and CSV: negative where
 * one does not apply (no exits, no unit, no interval).
 */
enum { FIG_AVG_CYCLES, FIG_TIME, FIG_AVG_TIME, FIG_EXITS_PER_S, FIG_HOST_CPU,
       FIG_COUNT };

static void derived_figures(const struct reason_stat *row,
			    const struct report_style *style,
			    double fig[FIG_COUNT])
{
	const bool timed = style->unit != UNIT_CYCLES;

	fig[FIG_AVG_CYCLES] = row->exits ? (double)row->cycles /
						   (double)row->exits
					 : -1;
	fig[FIG_TIME] = timed ? cycles_in_unit(row->cycles, style) : -1;
	fig[FIG_AVG_TIME] = timed ? average_in_unit(row->cycles, row->exits,
						    style)
				  : -1;
	fig[FIG_EXITS_PER_S] = style->seconds > 0
				       ? per_second(row->recent, style->seconds)
				       : -1;
	fig[FIG_HOST_CPU] = host_cpu_percent(row->recent_cycles, style);
}

/*
 * The same fields, always all of them, for the total, other and reasons:
 * exits and cycles since the baseline, rates over the last interval.
 */
static void json_figures(FILE *out, const struct reason_stat *row,
			 const struct report_style *style)
{
	static const char *const names[FIG_COUNT] = {
		"avg_cycles", "time", "avg_time", "exits_per_s",
		"host_cpu_percent",
	};
	double fig[FIG_COUNT];
	size_t i;

	derived_figures(row, style, fig);
	fprintf(out, "\"exits\":%" PRIu64 ",\"cycles\":%" PRIu64, row->exits,
		row->cycles);
	for (i = 0; i < FIG_COUNT; i++) {
		fprintf(out, ",\"%s\":", names[i]);
		json_number(out, fig[i]);
	}
}

static void json_shares(FILE *out, const struct reason_stat *row,
			const struct snapshot *snap)
{
	fputs(",\"exits_pct\":", out);
	json_number(out, exits_share(snap, row->exits));
	fputs(",\"cycles_pct\":", out);
	json_number(out, cycles_share(snap, row->cycles));
}

/* --host: "vms":{"selection":"all"|PID,"count":N,"names":[...]}. */
static void json_vms(FILE *out, const struct vm_scope *vms)
{
	size_t i;

	fputs(",\"vms\":{\"selection\":", out);
	if (vms->all)
		json_string(out, "all");
	else
		fprintf(out, "%lu", (unsigned long)vms->pid);
	fprintf(out, ",\"count\":%zu,\"names\":[", vms->count);
	for (i = 0; i < vms->count; i++) {
		if (i)
			fputc(',', out);
		json_string(out, vms->names[i]);
	}
	fputs("]}", out);
}

static void print_json(FILE *out, const struct host_info *host,
		       const struct snapshot *snap,
		       const struct report_style *style,
		       const char *const *notes)
{
	char own[MAX_NOTES][NOTE_LEN];
	size_t i, nown = standard_notes(own, snap, style);
	const struct reason_stat total = total_row(snap), other = other_row(snap);
	bool first = true;

	fputs("{\"schema\":", out);
	json_string(out, REPORT_SCHEMA);
	fprintf(out, ",\"timestamp\":%.3f,\"host\":{\"vendor\":",
		report_timestamp(style));
	json_string(out, host->vendor);
	fprintf(out, ",\"count_bits\":%d", snap->wide_counts ? 64 : 32);
	if (style->vms)
		json_vms(out, style->vms);
	fputc('}', out);
	json_units_since(out, style, since_name(style->since));
	fprintf(out,
		",\"self\":{\"included\":%s,\"exits\":%" PRIu64
		",\"cycles_each\":%" PRIu64 "}",
		style->include_self ? "true" : "false", style->self_exits,
		style->self_cost);
	if (style->one_vcpu)
		fprintf(out, ",\"cpu\":%" PRIu32 ",\"vcpu\":%" PRIu32,
			style->cpu, style->vcpu);
	fputs(",\"notes\":[", out);
	for (; notes && *notes; notes++, first = false) {
		if (!first)
			fputc(',', out);
		json_string(out, *notes);
	}
	for (i = 0; i < nown; i++, first = false) {
		if (!first)
			fputc(',', out);
		json_string(out, own[i]);
	}
	fputs("],\"total\":{", out);
	json_figures(out, &total, style);
	fputs("},\"other\":{", out);
	json_figures(out, &other, style);
	json_shares(out, &other, snap);
	fputs("},\"reasons\":[", out);
	for (i = 0; i < snap->count; i++) {
		const struct reason_stat *st = &snap->reasons[i];

		if (i)
			fputc(',', out);
		fprintf(out, "{\"reason\":%" PRIu32 ",\"name\":", st->reason);
		json_string_or_null(out, exit_reason_name(st->reason));
		fputs(",\"status\":", out);
		json_string(out, reason_status_name(st->status));
		fputc(',', out);
		json_figures(out, st, style);
		json_shares(out, st, snap);
		fputc('}', out);
	}
	fputs("]}\n", out);
}

static void csv_number(FILE *out, double value)
{
	if (value >= 0)
		fprintf(out, "%.6f", value);
}

/* The columns of a JSON reason, in its order, after a timestamp. */
static void csv_row(FILE *out, double timestamp, const char *reason,
		    const char *name, const char *status,
		    const struct reason_stat *row, const struct snapshot *snap,
		    const struct report_style *style, bool shares)
{
	double fig[FIG_COUNT];
	size_t i;

	derived_figures(row, style, fig);
	fprintf(out, "%.3f,", timestamp);
	if (style->one_vcpu)
		fprintf(out, "%" PRIu32 ",%" PRIu32 ",", style->cpu, style->vcpu);
	fprintf(out, "%s,%s,%s,%" PRIu64 ",%" PRIu64, reason, name, status,
		row->exits, row->cycles);
	for (i = 0; i < FIG_COUNT; i++) {
		fputc(',', out);
		csv_number(out, fig[i]);
	}
	fputc(',', out);
	csv_number(out, shares ? exits_share(snap, row->exits) : -1);
	fputc(',', out);
	csv_number(out, shares ? cycles_share(snap, row->cycles) : -1);
	fputc('\n', out);
}

static void print_csv(FILE *out, const struct snapshot *snap,
		      const struct report_style *style)
{
	const double timestamp = report_timestamp(style);
	const struct reason_stat total = total_row(snap), other = other_row(snap);
	char number[16];
	size_t i;

	if (!style->no_csv_header)
		fprintf(out, "timestamp,%sreason,name,status,exits,cycles,"
			"avg_cycles,time,avg_time,exits_per_s,host_cpu_percent,"
			"exits_pct,cycles_pct\n",
			style->one_vcpu ? "cpu,vcpu," : "");
	for (i = 0; i < snap->count; i++) {
		const struct reason_stat *st = &snap->reasons[i];

		snprintf(number, sizeof(number), "%" PRIu32, st->reason);
		csv_row(out, timestamp, number, name_or_dash(st->reason),
			reason_status_name(st->status), st, snap, style, true);
	}
	if (has_other(snap))
		csv_row(out, timestamp, "", "other", "other", &other, snap,
			style, true);
	csv_row(out, timestamp, "", "total", "total", &total, snap, style,
		false);
}

void report_snapshot(FILE *out, const struct host_info *host,
		     const struct snapshot *snap,
		     const struct report_style *style,
		     const char *const *notes)
{
	switch (style->format) {
	case FORMAT_TABLE:
		print_table(out, host, snap, style, notes);
		break;
	case FORMAT_JSON:
		print_json(out, host, snap, style, notes);
		break;
	case FORMAT_CSV:
		print_csv(out, snap, style);
		break;
	case FORMAT_PROMETHEUS:
		metrics_print(out, host, snap, style);
		break;
	}
}

void report_raw(FILE *out, const struct collector *c, enum out_format format)
{
	size_t i;

	if (format == FORMAT_CSV)
		fputs("leaf,subleaf,eax,ebx,ecx,edx\n", out);
	if (format == FORMAT_JSON)
		fputs("[", out);
	for (i = 0; i < c->log_len; i++) {
		const struct cpuid_record *r = &c->log[i];
		const char *fmt;

		switch (format) {
		case FORMAT_JSON:
			fmt = "%s{\"leaf\":%" PRIu32 ",\"subleaf\":%" PRIu32
			      ",\"eax\":%" PRIu32 ",\"ebx\":%" PRIu32
			      ",\"ecx\":%" PRIu32 ",\"edx\":%" PRIu32 "}";
			fprintf(out, fmt, i ? "," : "", r->leaf, r->subleaf,
				r->regs.eax, r->regs.ebx, r->regs.ecx,
				r->regs.edx);
			break;
		case FORMAT_CSV:
			fprintf(out,
				"0x%08" PRIx32 ",0x%08" PRIx32 ",0x%08" PRIx32
				",0x%08" PRIx32 ",0x%08" PRIx32 ",0x%08" PRIx32
				"\n",
				r->leaf, r->subleaf, r->regs.eax, r->regs.ebx,
				r->regs.ecx, r->regs.edx);
			break;
		case FORMAT_TABLE:
		case FORMAT_PROMETHEUS: /* refused on the command line */
			fprintf(out,
				"leaf 0x%08" PRIx32 " ecx 0x%08" PRIx32
				" -> eax 0x%08" PRIx32 " ebx 0x%08" PRIx32
				" ecx 0x%08" PRIx32 " edx 0x%08" PRIx32 "\n",
				r->leaf, r->subleaf, r->regs.eax, r->regs.ebx,
				r->regs.ecx, r->regs.edx);
			break;
		}
	}
	if (format == FORMAT_JSON)
		fputs("]\n", out);
}
