/*
 * make bench: what a snapshot of every reason costs next to the CPUIDs it
 * cannot avoid.  Rounds alternate a bare CPUID loop and snapshots, so that
 * both see the same machine; the medians are compared.
 */
#define _GNU_SOURCE /* sched_getcpu */
#include <cpuid.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exit_codes.h"
#include "hostview.h"
#include "cpus.h"
#include "leaves.h"
#include "snapshot.h"

#define ROUNDS 31
#define SNAPSHOTS_PER_ROUND 20
/* The bare loop's length per snapshot: a full first read of every reason. */
#define CPUIDS_PER_SNAPSHOT (2 * READ_REASONS + 2)

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

/*
 * Each a first snapshot, as a one-shot report takes: the most reads; of
 * the VM, or of the vCPU this runs on (the same reads, another ECX).
 */
static int take_snapshots(struct collector *c, const uint16_t *reasons,
			  int n, bool one_vcpu)
{
	struct snapshot snap;
	struct reader r;
	int i;

	for (i = 0; i < n; i++) {
		if (!reader_init(&r, c, reasons, READ_REASONS, true))
			return -1;
		if (one_vcpu)
			reader_select_vcpu(&r);
		if (!snapshot_take(&r, &snap)) {
			reader_free(&r);
			return -1;
		}
		snapshot_free(&snap);
		reader_free(&r);
	}
	return 0;
}

/*
 * Refreshes as --watch takes them, after a first snapshot: callgrind
 * counts these functions alone (--toggle-collect), one per mode, so the
 * guest's and the host's can be set side by side.
 */
__attribute__((noinline)) static int guest_refreshes(struct reader *r, int n)
{
	struct snapshot snap;
	int i;

	for (i = 0; i < n; i++) {
		if (!snapshot_take(r, &snap))
			return -1;
		snapshot_free(&snap);
	}
	return 0;
}

__attribute__((noinline)) static int host_refreshes(struct hostview *hv, int n)
{
	struct snapshot snap;
	int i;

	for (i = 0; i < n; i++) {
		if (hostview_take(hv, &snap) != EXITSTAT_OK)
			return -1;
		snapshot_free(&snap);
	}
	return 0;
}

/* --guest-refreshes N or --host-refreshes N (EXITSTAT_KVM_DEBUGFS's VMs). */
static int refreshes(struct collector *c, const uint16_t *reasons,
		     const char *mode, int n)
{
	struct snapshot first;
	struct hostview hv;
	struct reader r;
	int status;

	if (strcmp(mode, "--host-refreshes") == 0) {
		hostview_init(&hv, true, 0, reasons, READ_REASONS);
		if (hostview_take(&hv, &first) != EXITSTAT_OK) {
			fprintf(stderr, "bench: %s\n", hv.error);
			hostview_free(&hv);
			return 1;
		}
		snapshot_free(&first);
		status = host_refreshes(&hv, n);
		hostview_free(&hv);
		return status ? 1 : 0;
	}
	if (!reader_init(&r, c, reasons, READ_REASONS, true))
		return 1;
	if (!snapshot_take(&r, &first)) {
		reader_free(&r);
		return 1;
	}
	snapshot_free(&first);
	status = guest_refreshes(&r, n);
	reader_free(&r);
	return status ? 1 : 0;
}

int main(int argc, char **argv)
{
	double bare[ROUNDS], snaps[ROUNDS], vsnaps[ROUNDS], t0, per_bare,
		per_snap, per_vsnap, cpuids = 0, vcpuids = 0;
	struct cpu_pin pin;
	int cpu;
	uint16_t reasons[READ_REASONS];
	uint64_t issued;
	unsigned int a, b, c, d, n;
	volatile unsigned int sink = 0; /* keeps the loop from being elided */
	struct collector collector;
	int round, i;

	for (i = 0; i < (int)READ_REASONS; i++)
		reasons[i] = (uint16_t)i;
	collector_init(&collector, false);

	/* Under callgrind: only snapshots, counted by the caller. */
	if (argc == 3 && strcmp(argv[1], "--snapshots") == 0)
		return take_snapshots(&collector, reasons, atoi(argv[2]),
				      false) ? 1 : 0;
	if (argc == 3 && (strcmp(argv[1], "--guest-refreshes") == 0 ||
			  strcmp(argv[1], "--host-refreshes") == 0))
		return refreshes(&collector, reasons, argv[1], atoi(argv[2]));

	for (round = 0; round < ROUNDS; round++) {
		t0 = now();
		for (n = 0; n < SNAPSHOTS_PER_ROUND * CPUIDS_PER_SNAPSHOT; n++) {
			__cpuid_count(LEAF_REASON_EXITS, n & 63, a, b, c, d);
			sink += a ^ b ^ c ^ d;
		}
		bare[round] = now() - t0;
		issued = collector.issued;
		t0 = now();
		if (take_snapshots(&collector, reasons, SNAPSHOTS_PER_ROUND,
				   false))
			return 1;
		snaps[round] = now() - t0;
		/* How many it issued depends on what this host answers. */
		cpuids = (double)(collector.issued - issued) /
			 SNAPSHOTS_PER_ROUND;
		/* One vCPU's figures are read on its CPU: stay on this one. */
		cpu = sched_getcpu();
		if (!cpu_pin_save(&pin) || cpu < 0 ||
		    !cpu_pin_to(&pin, (uint32_t)cpu))
			return 1;
		issued = collector.issued;
		t0 = now();
		if (take_snapshots(&collector, reasons, SNAPSHOTS_PER_ROUND,
				   true))
			return 1;
		vsnaps[round] = now() - t0;
		vcpuids = (double)(collector.issued - issued) /
			  SNAPSHOTS_PER_ROUND;
		cpu_pin_restore(&pin);
	}
	per_bare = median(bare, ROUNDS) /
		   (SNAPSHOTS_PER_ROUND * CPUIDS_PER_SNAPSHOT);
	per_snap = median(snaps, ROUNDS) / SNAPSHOTS_PER_ROUND;
	per_vsnap = median(vsnaps, ROUNDS) / SNAPSHOTS_PER_ROUND;
	printf("bare CPUID 0x%x:          %10.1f ns (median of %d rounds)\n",
	       LEAF_REASON_EXITS, per_bare * 1e9, ROUNDS);
	printf("snapshot of 0-%u (%.0f CPUIDs): %10.1f ns\n",
	       READ_REASONS - 1, cpuids, per_snap * 1e9);
	printf("ratio snapshot / (%.0f x bare CPUID): %.4f (goal <= 1.05)\n",
	       cpuids, per_snap / (cpuids * per_bare));
	printf("snapshot of 0-%u, VM-wide / one vCPU: %.0f / %.0f CPUIDs, "
	       "%.1f / %.1f ns (the same reads; only ECX differs)\n",
	       READ_REASONS - 1, cpuids, vcpuids, per_snap * 1e9,
	       per_vsnap * 1e9);
	return 0;
}
