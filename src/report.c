#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exit_reasons.h"
#include "metrics.h"
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

double percent_of(uint64_t part, uint64_t whole)
{
	return whole && part <= whole ? 100.0 * (double)part / (double)whole
				      : -1;
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
	case SORT_AVG: {
		/* Compare cycles/exits without dividing: a.c*b.e vs b.c*a.e. */
		unsigned __int128 lhs = (unsigned __int128)a->cycles * b->exits;
		unsigned __int128 rhs = (unsigned __int128)b->cycles * a->exits;

		if (!a->exits || !b->exits)
			order = (a->exits == 0) - (b->exits == 0);
		else
			order = lhs < rhs ? 1 : lhs > rhs ? -1 : 0;
		break;
	}
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

static void format_share(char *buf, size_t len, double value)
{
	if (value < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2f", value);
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

void format_tsc_rate(char *buf, size_t len, const struct report_style *style)
{
	snprintf(buf, len, "TSC rate %" PRIu64 " Hz, from %s", style->tsc_hz,
		 style->tsc_source ? style->tsc_source : "--tsc-hz");
}

static bool any_status(const struct snapshot *snap, enum reason_status status)
{
	size_t i;

	for (i = 0; i < snap->count; i++)
		if (snap->reasons[i].status == status)
			return true;
	return false;
}

static void print_table(FILE *out, const struct host_info *host,
			const struct snapshot *snap,
			const struct report_style *style,
			const char *const *notes)
{
	const bool cycles = style->unit == UNIT_CYCLES;
	const char *unit = time_unit_name(style->unit);
	char time_header[24], avg_header[24], total_time[48], avg[48];
	char tsc[128];
	const double cpu = host_cpu_percent(snap->total_cycles, style);
	struct table t;
	size_t i;

	fprintf(out, "host %s: exit statistics with %s counts\n", host->vendor,
		snap->wide_counts ? "64-bit" : "32-bit (wrapping)");
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
			per_second(snap->total_exits, style->seconds),
			style->seconds);
	fputc('\n', out);
	if (style->tsc_hz)
		format_tsc_rate(tsc, sizeof(tsc), style);
	if (cpu >= 0)
		fprintf(out, "host CPU: %.2f%% of one host CPU handled these exits (%s)\n",
			cpu, tsc);
	else if (!cycles)
		fprintf(out, "%s\n", tsc);
	for (; notes && *notes; notes++)
		fprintf(out, "note: %s\n", *notes);
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
		char(*cell)[TABLE_CELL] = table_add_row(&t);
		size_t c = 0;

		if (!cell)
			break;
		snprintf(cell[c++], TABLE_CELL, "%" PRIu32, st->reason);
		snprintf(cell[c++], TABLE_CELL, "%s", name_or_dash(st->reason));
		snprintf(cell[c++], TABLE_CELL, "%s",
			 reason_status_name(st->status));
		snprintf(cell[c++], TABLE_CELL, "%" PRIu64, st->exits);
		if (style->seconds > 0)
			snprintf(cell[c++], TABLE_CELL, "%.1f",
				 per_second(st->exits, style->seconds));
		format_time(cell[c++], TABLE_CELL, st->cycles, style);
		format_average(cell[c++], TABLE_CELL, st->cycles, st->exits,
			       style);
		format_share(cell[c++], TABLE_CELL,
			     percent_of(st->exits, snap->total_exits));
		format_share(cell[c++], TABLE_CELL,
			     percent_of(st->cycles, snap->total_cycles));
	}
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

static void json_figures(FILE *out, uint64_t exits, uint64_t cycles,
			 const struct report_style *style)
{
	fprintf(out, "\"exits\":%" PRIu64 ",\"cycles\":%" PRIu64
		     ",\"avg_cycles\":",
		exits, cycles);
	json_number(out, exits ? (double)cycles / (double)exits : -1);
	if (style->unit != UNIT_CYCLES) {
		fputs(",\"time\":", out);
		json_number(out, cycles_in_unit(cycles, style));
		fputs(",\"avg_time\":", out);
		json_number(out, average_in_unit(cycles, exits, style));
	}
	if (style->seconds > 0) {
		fputs(",\"exits_per_s\":", out);
		json_number(out, per_second(exits, style->seconds));
	}
	if (host_cpu_percent(cycles, style) >= 0) {
		fputs(",\"host_cpu_percent\":", out);
		json_number(out, host_cpu_percent(cycles, style));
	}
}

static void print_json(FILE *out, const struct host_info *host,
		       const struct snapshot *snap,
		       const struct report_style *style,
		       const char *const *notes)
{
	size_t i;

	fputs("{\"host\":{\"vendor\":", out);
	json_string(out, host->vendor);
	fprintf(out, ",\"count_bits\":%d},\"units\":",
		snap->wide_counts ? 64 : 32);
	json_string(out, time_unit_name(style->unit));
	if (style->tsc_hz) {
		fprintf(out, ",\"tsc_hz\":%" PRIu64 ",\"tsc_source\":",
			style->tsc_hz);
		json_string(out, style->tsc_source ? style->tsc_source
						   : "--tsc-hz");
	}
	if (style->seconds > 0)
		fprintf(out, ",\"seconds\":%.6f", style->seconds);
	if (style->timestamp > 0)
		fprintf(out, ",\"time\":%.3f", style->timestamp);
	if (notes) {
		fputs(",\"notes\":[", out);
		for (i = 0; notes[i]; i++) {
			if (i)
				fputc(',', out);
			json_string(out, notes[i]);
		}
		fputc(']', out);
	}
	fputs(",\"total\":{", out);
	json_figures(out, snap->total_exits, snap->total_cycles, style);
	fputs("},\"reasons\":[", out);
	for (i = 0; i < snap->count; i++) {
		const struct reason_stat *st = &snap->reasons[i];
		const char *name = exit_reason_name(st->reason);

		if (i)
			fputc(',', out);
		fprintf(out, "{\"reason\":%" PRIu32 ",\"name\":", st->reason);
		if (name)
			json_string(out, name);
		else
			fputs("null", out);
		fputs(",\"status\":", out);
		json_string(out, reason_status_name(st->status));
		fputc(',', out);
		json_figures(out, st->exits, st->cycles, style);
		fputs(",\"exit_share\":", out);
		json_number(out, percent_of(st->exits, snap->total_exits));
		fputs(",\"time_share\":", out);
		json_number(out, percent_of(st->cycles, snap->total_cycles));
		fputc('}', out);
	}
	fputs("]}\n", out);
}

static void csv_number(FILE *out, double value)
{
	if (value >= 0)
		fprintf(out, "%.6f", value);
}

static void csv_row(FILE *out, const char *reason, const char *name,
		    const char *status, uint64_t exits, uint64_t cycles,
		    const struct snapshot *snap,
		    const struct report_style *style)
{
	if (style->timestamp > 0)
		fprintf(out, "%.3f,", style->timestamp);
	fprintf(out, "%s,%s,%s,%" PRIu64 ",%" PRIu64 ",", reason, name, status,
		exits, cycles);
	csv_number(out, exits ? (double)cycles / (double)exits : -1);
	fputc(',', out);
	csv_number(out, percent_of(exits, snap->total_exits));
	fputc(',', out);
	csv_number(out, percent_of(cycles, snap->total_cycles));
	if (style->unit != UNIT_CYCLES) {
		fputc(',', out);
		csv_number(out, cycles_in_unit(cycles, style));
	}
	if (style->seconds > 0) {
		fputc(',', out);
		csv_number(out, per_second(exits, style->seconds));
	}
	if (host_cpu_percent(cycles, style) >= 0) {
		fputc(',', out);
		csv_number(out, host_cpu_percent(cycles, style));
	}
	fputc('\n', out);
}

static void print_csv(FILE *out, const struct snapshot *snap,
		      const struct report_style *style)
{
	char number[16];
	size_t i;

	if (!style->no_csv_header) {
		if (style->timestamp > 0)
			fputs("timestamp,", out);
		fputs("reason,name,status,exits,cycles,avg_cycles,exit_share,"
		      "time_share",
		      out);
		if (style->unit != UNIT_CYCLES)
			fprintf(out, ",time_%s", time_unit_name(style->unit));
		if (style->seconds > 0)
			fputs(",exits_per_s", out);
		if (host_cpu_percent(0, style) >= 0)
			fputs(",host_cpu_percent", out);
		fputc('\n', out);
	}
	for (i = 0; i < snap->count; i++) {
		const struct reason_stat *st = &snap->reasons[i];

		snprintf(number, sizeof(number), "%" PRIu32, st->reason);
		csv_row(out, number, name_or_dash(st->reason),
			reason_status_name(st->status), st->exits, st->cycles,
			snap, style);
	}
	csv_row(out, "", "total", "total", snap->total_exits,
		snap->total_cycles, snap, style);
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
