/* The command line: fills one settings struct, never exits. */
#ifndef EXITSTAT_CLI_H
#define EXITSTAT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leaves.h"
#include "parse.h"
#include "report.h"

enum run_mode {
	MODE_SUMMARY, /* totals and the reasons that have exits */
	MODE_ALL,     /* every reason 0-75 */
	MODE_REASONS, /* the reasons named with --reason */
};

/* --interval: seconds between refreshes, also the bounds of + and -. */
#define INTERVAL_MIN 0.1
#define INTERVAL_MAX 86400.0
#define INTERVAL_DEFAULT 1.0

struct settings {
	enum run_mode mode;
	struct reason_set *reasons; /* for MODE_REASONS */
	bool sort_given;
	enum sort_key sort;
	enum out_format format;
	enum time_unit unit;
	uint64_t tsc_hz; /* 0: find it */
	bool raw;
	bool list; /* --list: the reasons this client knows, and the host's word */

	/* Views over time. */
	bool watch;	     /* --watch: live view, or batch when not a tty */
	bool batch;	     /* --batch: plain lines every interval */
	double interval;     /* seconds */
	uint64_t iterations; /* 0: until stopped */
	bool include_self;   /* keep the client's own CPUID exits */
	bool ascii;	     /* --ascii: no block characters in the live view */
	char **command;	     /* after "--": run it between two snapshots */

	/* --host: the VMs of this KVM host, from debugfs (hostview.h). */
	bool host;
	bool host_all;	   /* every VM; else those of host_pid */
	uint32_t host_pid;
	/* The figures of single vCPUs (see percpu.h). */
	bool per_cpu;	     /* --per-cpu: each allowed CPU's vCPU, a column each */
	bool cpu_given;	     /* --cpu: the vCPU under one guest CPU alone */
	uint32_t cpu;
};

/* --host PID: Linux's largest process ID (PID_MAX_LIMIT). */
#define HOST_PID_MAX 4194304u

enum cli_result {
	CLI_RUN,   /* settings filled: go on */
	CLI_DONE,  /* --help or --version printed: exit 0 */
	CLI_USAGE, /* a one-line error was printed: exit 2 */
	CLI_NOMEM,
};

enum cli_result cli_parse(int argc, char **argv, struct settings *s);
void settings_free(struct settings *s);
/*
 * Which reasons to read, in the order to read them: the --reason list, else
 * every reason, numbered into scan.  *n gets how many.
 */
const uint16_t *reasons_to_read(const struct settings *s,
				uint16_t scan[READ_REASONS], size_t *n);

#endif
