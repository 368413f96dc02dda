/* Seconds on CLOCK_MONOTONIC, for intervals and wall times. */
#ifndef EXITSTAT_CLOCK_H
#define EXITSTAT_CLOCK_H

#include <time.h>

static inline double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
