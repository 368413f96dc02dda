/*
 * The host's per-VM text file of exit statistics (debugfs exit_stats, see
 * exitstat-cpuid(7), "The same figures at the host"): parsed strictly, as
 * a format with a version must be.
 */
#ifndef EXITSTAT_HOSTFILE_H
#define EXITSTAT_HOSTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leaves.h"

/* The version of the format this client reads: its first line. */
#define HOSTFILE_VERSION_LINE "exitstat 1"
/* A whole file is about 90 short lines; anything far longer is not one. */
#define HOSTFILE_MAX_BYTES 65536

/* Indexed by reason, so that summing VMs and comparing reads is direct. */
struct hostfile {
	uint64_t total_exits, total_cycles;
	size_t count;		    /* reasons listed: the handled ones */
	bool listed[READ_REASONS]; /* which */
	uint64_t exits[READ_REASONS], cycles[READ_REASONS];
};

/*
 * Parses the text of one file (len bytes, no terminating NUL needed).
 * On failure writes one sentence to err, "line N: what", and returns
 * false; out is then undefined.
 */
bool hostfile_parse(const char *text, size_t len, struct hostfile *out,
		    char *err, size_t errlen);

#endif
