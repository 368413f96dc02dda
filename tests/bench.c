/*
 * make bench: what a snapshot of every reason costs next to the CPUIDs it
 * cannot avoid.  Rounds alternate a bare CPUID loop and snapshots, so that
 * both see the same machine; the medians are compared.
 */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leaves.h"
#include "snapshot.h"

#define ROUNDS 31
#define SNAPSHOTS_PER_ROUND 20
#define CPUIDS_PER_SNAPSHOT (2 * SCAN_REASONS + 2)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), compare_double);
	return v[n / 2];
}

static int take_snapshots(struct collector *c, const uint16_t *reasons,
			  int n)
{
	struct snapshot snap;
	int i;

	for (i = 0; i < n; i++) {
		if (!snapshot_take(c, reasons, SCAN_REASONS, true, &snap))
			return -1;
		snapshot_free(&snap);
	}
	return 0;
}

int main(int argc, char **argv)
{
	double bare[ROUNDS], snaps[ROUNDS], t0, per_bare, per_snap;
	uint16_t reasons[SCAN_REASONS];
	unsigned int a, b, c, d, n;
	volatile unsigned int sink = 0; /* keeps the loop from being elided */
	struct collector collector;
	int round, i;

	for (i = 0; i < (int)SCAN_REASONS; i++)
		reasons[i] = (uint16_t)i;
	collector_init(&collector, false);

	/* Under callgrind: only snapshots, counted by the caller. */
	if (argc == 3 && strcmp(argv[1], "--snapshots") == 0)
		return take_snapshots(&collector, reasons, atoi(argv[2])) ? 1 : 0;

	for (round = 0; round < ROUNDS; round++) {
		t0 = now();
		for (n = 0; n < SNAPSHOTS_PER_ROUND * CPUIDS_PER_SNAPSHOT; n++) {
			__cpuid_count(LEAF_REASON_EXITS, n & 63, a, b, c, d);
			sink += a ^ b ^ c ^ d;
		}
		bare[round] = now() - t0;
		t0 = now();
		if (take_snapshots(&collector, reasons, SNAPSHOTS_PER_ROUND))
			return 1;
		snaps[round] = now() - t0;
	}
	per_bare = median(bare, ROUNDS) /
		   (SNAPSHOTS_PER_ROUND * CPUIDS_PER_SNAPSHOT);
	per_snap = median(snaps, ROUNDS) / SNAPSHOTS_PER_ROUND;
	printf("bare CPUID 0x%x:          %10.1f ns (median of %d rounds)\n",
	       LEAF_REASON_EXITS, per_bare * 1e9, ROUNDS);
	printf("snapshot of 0-75 (%d CPUIDs): %10.1f ns\n",
	       CPUIDS_PER_SNAPSHOT, per_snap * 1e9);
	printf("ratio snapshot / (%d x bare CPUID): %.4f (goal <= 1.05)\n",
	       CPUIDS_PER_SNAPSHOT, per_snap / (CPUIDS_PER_SNAPSHOT * per_bare));
	return 0;
}
