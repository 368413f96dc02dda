#include "history.h"

#include <stdlib.h>
#include <string.h>

bool history_init(struct history *h, const uint32_t *ids, size_t nseries,
		  double min_interval)
{
	memset(h, 0, sizeof(*h));
	/* One sample more than fits, as the oldest spans the window's start. */
	h->cap = (size_t)(HISTORY_SECONDS / min_interval) + 2;
	h->nseries = nseries;
	h->ids = malloc((nseries ? nseries : 1) * sizeof(*h->ids));
	h->start = malloc(h->cap * sizeof(*h->start));
	h->end = malloc(h->cap * sizeof(*h->end));
	h->gap = malloc(h->cap * sizeof(*h->gap));
	h->values = malloc(h->cap * (nseries + 1) * sizeof(*h->values));
	if (!h->ids || !h->start || !h->end || !h->gap || !h->values) {
		history_free(h);
		return false;
	}
	if (nseries)
		memcpy(h->ids, ids, nseries * sizeof(*ids));
	return true;
}

void history_free(struct history *h)
{
	free(h->ids);
	free(h->start);
	free(h->end);
	free(h->gap);
	free(h->values);
	memset(h, 0, sizeof(*h));
}

static size_t slot_of(const struct history *h, size_t i)
{
	return (h->first + i) % h->cap;
}

/* Makes room for a sample ending at end; returns its row of values. */
static double *new_slot(struct history *h, double start, double end,
			bool gap)
{
	size_t slot;

	while (h->len && h->end[h->first] <= end - HISTORY_SECONDS) {
		h->first = (h->first + 1) % h->cap;
		h->len--;
	}
	if (h->len == h->cap) {
		h->first = (h->first + 1) % h->cap;
		h->len--;
	}
	slot = slot_of(h, h->len++);
	h->start[slot] = start;
	h->end[slot] = end;
	h->gap[slot] = gap;
	return &h->values[slot * (h->nseries + 1)];
}

void history_push(struct history *h, double start, double end,
		  const double *values, bool gap)
{
	memcpy(new_slot(h, start, end, gap), values,
	       (h->nseries + 1) * sizeof(*values));
}

bool history_record(struct history *h, double start, double end,
		    const struct snapshot *recent, double cpu_percent,
		    bool gap)
{
	const double seconds = end - start;
	double *row;
	size_t i;

	if (recent->count + 1 != h->nseries)
		return false;
	row = new_slot(h, start, end, gap);
	for (i = 0; i < recent->count; i++)
		row[i] = seconds > 0 ? (double)recent->reasons[i].exits / seconds
				     : -1;
	row[recent->count] = seconds > 0 ? (double)recent->other_exits / seconds
					 : -1;
	row[h->nseries] = cpu_percent;
	return true;
}

int history_series(const struct history *h, uint32_t id)
{
	size_t i;

	for (i = 0; i < h->nseries; i++)
		if (h->ids[i] == id)
			return (int)i;
	return -1;
}

size_t history_cpu_series(const struct history *h)
{
	return h->nseries;
}

void history_cells(const struct history *h, size_t series, double *cells,
		   int n)
{
	double sum[HISTORY_MAX_CELLS], covered[HISTORY_MAX_CELLS];
	bool gap[HISTORY_MAX_CELLS];
	double window_start, cell, from, to, lo, hi, overlap, value;
	size_t i, slot;
	int k, last;

	if (n > HISTORY_MAX_CELLS)
		n = HISTORY_MAX_CELLS;
	for (k = 0; k < n; k++) {
		sum[k] = covered[k] = 0;
		gap[k] = false;
	}
	if (n <= 0)
		return;
	cell = HISTORY_SECONDS / n;
	window_start = h->len ? h->end[slot_of(h, h->len - 1)] - HISTORY_SECONDS
			      : 0;
	/*
	 * Samples are in time order and each touches only the cells its span
	 * crosses: the work is the samples plus the cells, not their product.
	 */
	for (i = 0; i < h->len; i++) {
		slot = slot_of(h, i);
		from = h->start[slot] > window_start ? h->start[slot]
						     : window_start;
		to = h->end[slot];
		if (to <= from)
			continue;
		value = h->values[slot * (h->nseries + 1) + series];
		k = (int)((from - window_start) / cell);
		last = (int)((to - window_start) / cell);
		if (last >= n)
			last = n - 1;
		for (; k <= last; k++) {
			lo = window_start + k * cell;
			hi = lo + cell;
			overlap = (to < hi ? to : hi) - (from > lo ? from : lo);
			/* A rounding sliver is not a share of the cell. */
			if (overlap <= cell * 1e-6)
				continue;
			if (h->gap[slot]) {
				gap[k] = true;
			} else if (value >= 0) {
				sum[k] += value * overlap;
				covered[k] += overlap;
			}
		}
	}
	for (k = 0; k < n; k++)
		cells[k] = gap[k]	   ? HISTORY_GAP
			   : covered[k] > 0 ? sum[k] / covered[k]
					    : HISTORY_NO_DATA;
}
