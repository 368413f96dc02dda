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

/* Prints the table as --format asks (table, json or csv). */
void percpu_report(FILE *out, const struct host_info *host,
		   const struct percpu_table *t,
		   const struct report_style *style,
		   const char *const *notes);

#endif
