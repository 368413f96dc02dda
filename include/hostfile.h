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

struct hostfile_reason {
	uint16_t reason;
	uint64_t exits, cycles;
};

struct hostfile {
	uint64_t total_exits, total_cycles;
	size_t count; /* reasons listed: the handled ones, increasing */
	struct hostfile_reason reasons[READ_REASONS];
};

/*
 * Parses the text of one file (len bytes, no terminating NUL needed).
 * On failure writes one sentence to err, "line N: what", and returns
 * false; out is then undefined.
 */
bool hostfile_parse(const char *text, size_t len, struct hostfile *out,
		    char *err, size_t errlen);

/* The figures of reason r, or NULL when the file does not list it. */
const struct hostfile_reason *hostfile_find(const struct hostfile *f,
					    uint32_t reason);

#endif
