/*
 * make bench: what a snapshot of every reason costs next to the CPUIDs it
 * cannot avoid.  Rounds alternate a bare CPUID loop and snapshots, so that
 * both see the same machine; the medians are compared.
 */
#define _GNU_SOURCE /* sched_getcpu */
#include <cpuid.h>
#include <sched.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exit_codes.h"
#include "hostview.h"
#include "cpus.h"
#include "cli.h"
#include "delta.h"
#include "figures.h"
#include "history.h"
#include "leaves.h"
#include "snapshot.h"
#include "view.h"

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
 * One refresh of the live view, as watch.c's draw() does it, over figures
 * made up here (no CPUID): the deltas, the rows sorted, the screen drawn
 * and sent, with or without the last minute.  A 160x40 screen, so that
 * the sparklines have their 60 cells; output to /dev/null.
 */
struct view_bench {
	struct snapshot baseline, prev, cur;
	double prev_at, cur_at, interval;
	struct history history;
	struct host_info host;
	struct report_style style;
	struct sink sink;
};

/* Every reason read; a quarter of them with exits, at rates that move. */
static bool fake_snapshot(struct snapshot *s, unsigned int step)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->wide_counts = true;
	s->count = READ_REASONS;
	s->reasons = calloc(s->count, sizeof(*s->reasons));
	if (!s->reasons)
		return false;
	for (i = 0; i < s->count; i++) {
		struct reason_stat *r = &s->reasons[i];

		r->reason = (uint32_t)i;
		r->status = i % 4 ? REASON_IDLE : REASON_COUNTED;
		if (i % 4 == 0) {
			r->exits = 1000 * i + step * (i + step % 7);
			r->cycles = r->exits * (1000 + i);
		}
		s->total_exits += r->exits;
		s->total_cycles += r->cycles;
	}
	s->total_exits += 9 + step;
	s->total_cycles += 9000 + 1000 * step;
	return true;
}

static bool next_sample(struct view_bench *b, unsigned int step)
{
	snapshot_free(&b->prev);
	b->prev = b->cur;
	b->prev_at = b->cur_at;
	b->cur_at += b->interval;
	return fake_snapshot(&b->cur, step);
}

static bool refresh_view(struct view_bench *b, bool with_history)
{
	struct snapshot since, recent;
	struct report_style over_last = b->style;
	struct view_model m = {
		.host = &b->host,
		.style = &b->style,
		.since = &since,
		.interval = b->interval,
		.last_seconds = b->cur_at - b->prev_at,
		.uptime = b->cur_at,
		.utf8 = true,
		.history = with_history ? &b->history : NULL,
	};
	size_t i;

	if (!snapshot_delta(&b->baseline, &b->cur, false, &since))
		return false;
	if (!snapshot_delta(&b->prev, &b->cur, false, &recent)) {
		snapshot_free(&since);
		return false;
	}
	figures_settle(&recent);
	for (i = 0; i < since.count; i++)
		since.reasons[i].recent = recent.reasons[i].exits;
	m.recent_exits = recent.total_exits;
	m.recent_cycles = recent.total_cycles;
	m.recent_other = recent.other_exits;
	over_last.seconds = m.last_seconds;
	if (with_history)
		history_record(&b->history, b->prev_at, b->cur_at, &recent,
			       host_cpu_percent(recent.total_cycles, &over_last),
			       false);
	snapshot_free(&recent);
	figures_present(&since, MODE_SUMMARY, true, SORT_RATE);
	erase();
	view_draw(&b->sink, &m);
	refresh();
	snapshot_free(&since);
	return true;
}

/* What callgrind counts, one function for each case. */
__attribute__((noinline)) static bool refresh_plain(struct view_bench *b)
{
	return refresh_view(b, false);
}

__attribute__((noinline)) static bool refresh_history(struct view_bench *b)
{
	return refresh_view(b, true);
}

/*
 * --refreshes N SECONDS history|plain: N refreshes every SECONDS after a
 * minute of them, so that the history is full.
 */
static int bench_refreshes(int n, double interval, bool with_history)
{
	struct view_bench b = {
		.interval = interval,
		.host = { .verdict = HOST_READY, .vendor = "KVMKVMKVM",
			  .wide_counts = true },
		.style = { .format = FORMAT_TABLE, .sort = SORT_RATE,
			   .unit = UNIT_CYCLES, .tsc_hz = 3000000000u,
			   .tsc_source = "CPUID leaf 0x16" },
		.sink = { .curses = true, .rows = 40, .cols = 160 },
	};
	uint32_t ids[READ_REASONS + 1];
	FILE *null_out = fopen("/dev/null", "w"), *null_in = fopen("/dev/null", "r");
	SCREEN *screen;
	unsigned int step = 0;
	int i, warm = (int)(HISTORY_SECONDS / interval) + 1, status = 1;
	bool ok = true;

	if (!setlocale(LC_CTYPE, "C.UTF-8") || !null_out || !null_in)
		return 1;
	screen = newterm("xterm-256color", null_out, null_in);
	if (!screen)
		return 1;
	resizeterm(40, 160);
	for (i = 0; i < (int)READ_REASONS; i++)
		ids[i] = (uint32_t)i;
	ids[READ_REASONS] = HISTORY_OTHER;
	if (!history_init(&b.history, ids, READ_REASONS + 1, INTERVAL_MIN) ||
	    !fake_snapshot(&b.cur, step) ||
	    !snapshot_zero_like(&b.cur, 0, &b.baseline))
		goto out;
	for (i = 0; ok && i < warm; i++)
		ok = next_sample(&b, ++step) && refresh_view(&b, true);
	for (i = 0; ok && i < n; i++)
		ok = next_sample(&b, ++step) &&
		     (with_history ? refresh_history(&b) : refresh_plain(&b));
	status = ok ? 0 : 1;
out:
	endwin();
	delscreen(screen);
	fclose(null_out);
	fclose(null_in);
	history_free(&b.history);
	snapshot_free(&b.baseline);
	snapshot_free(&b.prev);
	snapshot_free(&b.cur);
	return status;
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
	/* Under callgrind: refreshes of the live view, counted by the caller. */
	if (argc == 5 && strcmp(argv[1], "--refreshes") == 0)
		return bench_refreshes(atoi(argv[2]), atof(argv[3]),
				       strcmp(argv[4], "history") == 0);

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
