/*
 * The figures of single vCPUs: --cpu N reads the vCPU under guest CPU N,
 * --per-cpu the vCPU under each CPU the client may run on, a column each,
 * and their sum.  Each is read on its CPU with the reader every mode uses;
 * only the ECX that selects one vCPU differs.
 */
#ifndef EXITSTAT_PERCPU_H
#define EXITSTAT_PERCPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "cpus.h"
#include "host.h"
#include "report.h"
#include "snapshot.h"

/* One column: a guest CPU, the vCPU it read, that vCPU's figures. */
struct percpu_column {
	uint32_t cpu;
	uint32_t vcpu;
	struct snapshot figures; /* since the baseline, settled */
	uint64_t self_exits;	 /* the client's own CPUIDs on this vCPU */
};

struct percpu_table {
	size_t count;
	struct percpu_column *columns;
	/* Column by column sums, rows kept and ordered as the report shows. */
	struct snapshot sum;
};

/*
 * sum = the columns added up: every reason, the total, the other row, so
 * that the sum of the columns' cells is the sum column's cell in every
 * row.  The columns must list the same reasons in the same order and be
 * settled (figures_settle).  Returns false when out of memory.
 */
bool percpu_sum(const struct percpu_column *columns, size_t n,
		struct snapshot *sum);

/* A column's figures of one reason; NULL when it did not read it. */
const struct reason_stat *percpu_cell(const struct percpu_column *column,
				      uint32_t reason);

/*
 * Before the host is probed: checks --cpu N against the CPUs this process
 * may run on and pins the process to N (or, for --per-cpu, to the first
 * allowed CPU), so that every CPUID the client issues lands on a known
 * vCPU.  Returns EXITSTAT_OK, or the status after one line on stderr.
 */
int vcpu_prepare(const struct settings *s, struct cpu_pin *pin);

/*
 * --cpu N: marks the style as one vCPU's and writes the note that says
 * whose figures these are.
 */
void vcpu_scope(uint32_t cpu, const struct snapshot *snap,
		struct report_style *style, char *note, size_t len);

/* The line for a host that cannot give one vCPU's figures (no newline). */
void vcpu_describe_missing(const struct host_info *host, char *buf,
			   size_t len);

/*
 * exitstat --per-cpu [-- COMMAND]: reads every column and prints the
 * table; returns an exit status.  c has issued every CPUID so far on the
 * first allowed CPU, where vcpu_prepare() left the process.
 */
int percpu_run(const struct settings *s, struct collector *c,
	       const struct host_info *host, struct cpu_pin *pin);

void percpu_table_free(struct percpu_table *t);

/*
 * Reads the columns for a report or the live view: every allowed CPU in
 * turn, pinned there, the affinity put back after each round.
 */
struct percpu_sampler;

struct percpu_sampler *percpu_sampler_new(struct collector *vm,
					  struct cpu_pin *pin,
					  const uint16_t *list, size_t nlist,
					  bool wide);
void percpu_sampler_free(struct percpu_sampler *ps);

/*
 * Pins the process to the first column's CPU, where vm's reads must
 * happen (the first column counts them); percpu_sampler_take() puts the
 * affinity back.  Returns an exit status, as percpu_sampler_take().
 */
int percpu_sampler_pin_first(struct percpu_sampler *ps);

/*
 * Reads every column once (the first time, figures are since the VM
 * started); now is when, for rates.  Returns an exit status and prints
 * nothing, so that the live view can say it after leaving curses:
 * EXITSTAT_FAILURE when out of memory, EXITSTAT_NO_INTERFACE when a
 * column's CPU can no longer be run on (taken away by taskset(1), a
 * cpuset, or offline), with the line to print in percpu_sampler_error().
 */
int percpu_sampler_take(struct percpu_sampler *ps, double now);

/* Why the last pin or take failed with EXITSTAT_NO_INTERFACE. */
const char *percpu_sampler_error(const struct percpu_sampler *ps);

/* Figures from the last reading on (the r key; a command's start). */
bool percpu_sampler_rebase(struct percpu_sampler *ps);

/* The host's counters went back at the last reading. */
bool percpu_sampler_reset_seen(const struct percpu_sampler *ps);

/* Seconds between the last two readings; 0 before there are two. */
double percpu_sampler_seconds(const struct percpu_sampler *ps);

/*
 * The table since the baseline, the recent fields over the last interval
 * (all of the span before a second reading); rows as figures_present().
 */
bool percpu_sampler_table(const struct percpu_sampler *ps, bool include_self,
			  enum run_mode mode, bool sort, enum sort_key key,
			  struct percpu_table *t);

/* Prints the table as --format asks (table, json or csv); false: no memory. */
bool percpu_report(FILE *out, const struct host_info *host,
		   const struct percpu_table *t,
		   const struct report_style *style,
		   const char *const *notes);

#endif
