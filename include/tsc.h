/* The host's TSC rate, to turn cycles into time. */
#ifndef EXITSTAT_TSC_H
#define EXITSTAT_TSC_H

#include <stdint.h>

#include "host.h"
#include "snapshot.h"

/*
 * The rate from CPUID leaf 0x15, 0x16 or 0x40000010, in that order, else
 * from a short calibration against CLOCK_MONOTONIC_RAW.  *source names
 * where it came from.  Returns 0 if no rate could be found.
 */
uint64_t tsc_rate_detect(struct collector *c, const struct host_info *host,
			 const char **source);

#endif
