/* Presenting snapshots: table, JSON and CSV. */
#ifndef EXITSTAT_REPORT_H
#define EXITSTAT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "host.h"
#include "snapshot.h"

enum out_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV, FORMAT_PROMETHEUS };
enum sort_key { SORT_COUNT, SORT_RATE, SORT_TIME, SORT_AVG, SORT_REASON, SORT_NAME };
/* UNIT_AUTO: each figure in ns, us, ms or s, whichever suits it (tables). */
enum time_unit { UNIT_CYCLES, UNIT_NS, UNIT_US, UNIT_MS, UNIT_S, UNIT_AUTO };

struct vm_scope; /* hostview.h */

/* Where the figures of a report start counting. */
enum report_since {
	SINCE_VM_START,
	SINCE_VIEW_RESET,    /* the r key of the live view */
	SINCE_COUNTER_RESET, /* the host's counters went back */
	SINCE_COMMAND,	     /* the start of -- COMMAND */
};

/* The JSON "schema" field: bumped when a field changes meaning or goes. */
#define REPORT_SCHEMA "exitstat/1"

struct report_style {
	enum out_format format;
	enum sort_key sort;
	enum time_unit unit;
	uint64_t tsc_hz; /* needed unless unit is UNIT_CYCLES; 0: unknown */
	const char *tsc_source; /* where tsc_hz came from; NULL: --tsc-hz */
	/*
	 * Seconds of the last interval (the command's run for -- COMMAND),
	 * which the rates are over; 0 when there is none.
	 */
	double seconds;
	double timestamp;   /* seconds since the epoch; 0: now */
	bool no_csv_header; /* batch lines after the first */
	enum report_since since;
	bool counter_reset; /* a reset of the host's counters was noticed */
	bool include_self;
	uint64_t self_exits; /* the client's own CPUIDs the figures span */
	uint64_t self_cost;  /* cycles of one of them */
	/* --host: the VMs the figures are the sum of; NULL in a guest. */
	const struct vm_scope *vms;
	/* --cpu: the figures are those of one vCPU, read on that CPU. */
	bool one_vcpu;
	uint32_t cpu, vcpu;
};

const char *time_unit_name(enum time_unit unit);
double cycles_in_unit(uint64_t cycles, const struct report_style *style);

/* Average per exit, in the style's unit; negative when there are none. */
double average_in_unit(uint64_t cycles, uint64_t exits,
		       const struct report_style *style);

/* Cycles as a whole number, or time to 3 significant figures (auto: with its unit). */
void format_time(char *buf, size_t len, uint64_t cycles,
		 const struct report_style *style);

/* The average per exit for a cell: cycles, 3 significant figures, or "-". */
void format_average(char *buf, size_t len, uint64_t cycles, uint64_t exits,
		    const struct report_style *style);

/* format_time followed by its unit, for sentences: "12.3 ms". */
void format_time_with_unit(char *buf, size_t len, uint64_t cycles,
			   const struct report_style *style);

/*
 * The share of one host CPU that cycles spent over the last interval
 * (style->seconds) are, in percent; -1 without an interval or a TSC rate.
 */
double host_cpu_percent(uint64_t cycles, const struct report_style *style);

/* A share in percent for a cell: two decimals, or "-" when unknown (< 0). */
void format_share(char *buf, size_t len, double percent);

/* Where style->tsc_hz came from: a CPUID leaf, calibration or --tsc-hz. */
const char *tsc_source_name(const struct report_style *style);

/* "TSC rate N Hz, from SOURCE". */
void format_tsc_rate(char *buf, size_t len, const struct report_style *style);

/* Orders rows in place; ties go by reason number. */
void report_sort(struct reason_stat *rows, size_t n, enum sort_key key);

/*
 * Prints the snapshot's reasons in the order they are in, and the other
 * row (figures_settle() must have run).  notes, if not NULL, are extra
 * header lines (table) or entries of the "notes" array (JSON), after the
 * ones every report gets (own exits, counter reset, wrapped total).
 */
void report_snapshot(FILE *out, const struct host_info *host,
		     const struct snapshot *snap,
		     const struct report_style *style,
		     const char *const *notes);

/* The registers of every CPUID the collector issued, for --raw. */
void report_raw(FILE *out, const struct collector *c, enum out_format format);

/* A JSON string literal, escaped so that any bytes give valid JSON. */
void json_string(FILE *out, const char *s);

/* json_string(), or null for NULL. */
void json_string_or_null(FILE *out, const char *s);

/*
 * The fields every JSON report shares after "host": units, tsc_hz,
 * tsc_source, since (the caller's word for it: the per-CPU report folds a
 * counter reset into it), counter_reset and seconds, each led by a comma.
 */
void json_units_since(FILE *out, const struct report_style *style,
		      const char *since);

#endif
