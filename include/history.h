/*
 * The last minute of the live view, kept apart from drawing: per refresh,
 * each reason's exit rate and the share of a host CPU, so that the view
 * can show how they moved (see spark.h for how they are drawn).
 */
#ifndef EXITSTAT_HISTORY_H
#define EXITSTAT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

/* The span the history covers, whatever the interval. */
#define HISTORY_SECONDS 60.0

/* What a cell of history_cells() holds when it has no rate. */
#define HISTORY_NO_DATA (-1.0) /* no sample covers it: before the first */
#define HISTORY_GAP (-2.0)     /* a sample whose figures mean nothing */

/* The series id of the other row. */
#define HISTORY_OTHER UINT32_MAX

/* The most cells history_cells() fills. */
#define HISTORY_MAX_CELLS 256

/*
 * A ring of samples, oldest first from `first`.  Each sample covers the
 * time from the refresh before to its own, and holds one value per series
 * (a reason's exits per second; the other row's) and then the host-CPU
 * share; a negative value is unknown.
 */
struct history {
	size_t nseries;	 /* reasons and other; the host CPU comes after */
	uint32_t *ids;	 /* per series: its reason, or HISTORY_OTHER */
	size_t cap, len, first;
	double *start, *end; /* monotonic seconds */
	bool *gap;
	double *values; /* cap rows of nseries + 1 */
};

/*
 * Room for a sample every `min_interval` seconds over HISTORY_SECONDS.
 * Returns false when out of memory.
 */
bool history_init(struct history *h, const uint32_t *ids, size_t nseries,
		  double min_interval);
void history_free(struct history *h);

/*
 * Adds the sample over [start, end]: values holds nseries + 1 figures.
 * Samples that ended more than HISTORY_SECONDS before end go; so does the
 * oldest when the ring is full.
 */
void history_push(struct history *h, double start, double end,
		  const double *values, bool gap);

/*
 * Adds the sample of one interval: recent is the delta over it (after
 * figures_settle()), cpu_percent the host-CPU share (negative: unknown),
 * gap whether its figures mean nothing (the host's counters went back).
 */
bool history_record(struct history *h, double start, double end,
		    const struct snapshot *recent, double cpu_percent,
		    bool gap);

/* The series of a reason or HISTORY_OTHER, or -1. */
int history_series(const struct history *h, uint32_t id);

/* The series of the host-CPU share. */
size_t history_cpu_series(const struct history *h);

/*
 * The series over the last HISTORY_SECONDS up to the newest sample, in n
 * equal cells, oldest first: each the time-weighted mean of the samples
 * that cover it (many samples to a cell when the interval is short, one
 * sample over many cells when it is long), HISTORY_GAP when a gap sample
 * touches it, HISTORY_NO_DATA when no known value covers it.
 */
void history_cells(const struct history *h, size_t series, double *cells,
		   int n);

#endif
