#include <stdlib.h>
#include <string.h>

#include "delta.h"
#include "figures.h"
#include "leaves.h"
#include "unit.h"
#include "view.h"

static struct reason_stat two[2];
static struct reason_stat two_later[2];

static struct snapshot make(struct reason_stat *rows, uint64_t r10,
			    uint64_t r30, uint64_t total, uint64_t self,
			    bool wide)
{
	struct snapshot s = { .wide_counts = wide, .count = 2, .reasons = rows };

	rows[0] = (struct reason_stat){ .reason = 10, .exits = r10,
					.cycles = r10 * 100 };
	rows[1] = (struct reason_stat){ .reason = 30, .exits = r30,
					.cycles = r30 * 10 };
	s.total_exits = total;
	s.total_cycles = r10 * 100 + r30 * 10;
	s.self_at_cpuid_read = self;
	s.self_at_cpuid_cycles = self;
	s.self_at_total_read = self + 2;
	s.self_at_total_cycles = self + 2;
	s.self_cost = 100; /* as every exit of reason 10 here */
	return s;
}

static void test_figures(void)
{
	struct reason_stat rows[3] = {
		{ .reason = 10, .exits = 60, .cycles = 600 },
		{ .reason = 30, .exits = 30, .cycles = 0 },
		{ .reason = 48, .exits = 0, .cycles = 50 },
	};
	struct snapshot s = { .count = 3, .reasons = rows,
			      .total_exits = 100, .total_cycles = 1000 };

	figures_settle(&s);
	CHECK(s.other_exits == 10 && s.other_cycles == 350 &&
		      !s.exits_exceed,
	      "the other row holds what the reasons leave of the totals");
	CHECK(exits_share(&s, 60) == 60.0 && cycles_share(&s, 50) == 5.0,
	      "shares of the totals");
	s.total_exits = 50; /* a 32-bit total that wrapped */
	figures_settle(&s);
	CHECK(s.exits_exceed && s.other_exits == 0 &&
		      exits_share(&s, 30) < 0 && exits_share(&s, 0) < 0 &&
		      cycles_share(&s, 600) == 60.0,
	      "parts above a wrapped total: every exit share unknown");
	s.wide_counts = true; /* 64 bits: the total cannot have wrapped */
	s.total_exits = 89;
	s.total_cycles = 640;
	figures_settle(&s);
	CHECK(!s.exits_exceed && s.total_exits == 90 &&
		      s.other_exits == 0 && s.total_cycles == 650 &&
		      s.other_cycles == 0 && exits_share(&s, 30) > 33.3 &&
		      exits_share(&s, 30) < 33.4,
	      "parts above a 64-bit total (reads a few exits apart): the total is their sum");
	s.wide_counts = false;
	s.total_exits = 100;
	s.total_cycles = 1000;
	figures_present(&s, MODE_SUMMARY, true, SORT_COUNT);
	CHECK(s.count == 3 && s.reasons[2].reason == 48,
	      "a row with cycles but no exits is still shown");
}

void test_delta(void)
{
	struct snapshot a, b, d, z;
	char bar[64];

	CHECK(counter_delta(10, 25, false) == 15, "delta");
	CHECK(counter_delta(0xfffffff0u, 0x10u, false) == 0x20,
	      "32-bit delta across a wrap");
	CHECK(counter_delta(0xffffffffu, 0, false) == 1, "32-bit wrap to zero");
	CHECK(counter_delta(0xfffffffffffffff0ull, 0x10, true) == 0x20,
	      "64-bit delta across a wrap");
	CHECK(counter_delta(5, 0x100000005ull, true) == 0x100000000ull,
	      "64-bit deltas can exceed 2^32");
	CHECK(counter_delta(5, 0x100000005ull, false) == 0,
	      "32-bit deltas are taken modulo 2^32");

	a = make(two, 1000, 50, 2000, 300, true);
	b = make(two_later, 1200, 57, 2300, 454, true);
	CHECK(snapshot_delta(&a, &b, false, &d) && d.reasons[0].exits == 46 &&
		      d.reasons[1].exits == 7 && d.total_exits == 146,
	      "own CPUID exits taken out of reason 10 and the total");
	CHECK(d.reasons[0].cycles == 46 * 100 && d.total_cycles == 4600 + 70,
	      "own CPUID cycles taken out alike, at the measured cost");
	snapshot_free(&d);
	CHECK(snapshot_delta(&a, &b, true, &d) && d.reasons[0].exits == 200 &&
		      d.total_exits == 300 && d.reasons[0].cycles == 20000 &&
		      d.total_cycles == 20070,
	      "--include-self keeps them, counts and cycles");
	snapshot_free(&d);

	b = make(two_later, 1100, 57, 2300, 454, true);
	CHECK(snapshot_delta(&a, &b, false, &d) && d.reasons[0].exits == 0 &&
		      d.reasons[0].cycles == 0,
	      "the correction never goes below zero");
	snapshot_free(&d);

	a = make(two, 0xfffffff0u, 0xfffffffeu, 0xfffffff0u, 10, false);
	b = make(two_later, 0x30u, 0x5u, 0x40u, 26, false);
	CHECK(snapshot_delta(&a, &b, false, &d) && d.reasons[1].exits == 7 &&
		      d.reasons[0].exits == 0x40 - 16 &&
		      d.total_exits == 0x50 - 16,
	      "32-bit wrap and correction together");
	snapshot_free(&d);

	CHECK(snapshot_zero_like(&b, 0, &z) && z.count == 2 &&
		      z.reasons[1].reason == 30 && z.reasons[1].exits == 0 &&
		      z.self_at_total_read == 0,
	      "zero baseline keeps the reasons");
	CHECK(snapshot_delta(&z, &b, false, &d) &&
		      d.reasons[0].exits == 0x30 - 26 &&
		      d.total_exits == 0x40 - 28,
	      "since VM start: all own CPUIDs so far are taken out");
	snapshot_free(&d);
	snapshot_free(&z);

	/* A reset noticed by the snapshot that began at 20: zeros from there. */
	CHECK(snapshot_zero_like(&b, 20, &z) &&
		      snapshot_delta(&z, &b, false, &d) &&
		      d.reasons[0].exits == 0x30 - 6 &&
		      d.total_exits == 0x40 - 8,
	      "since a counter reset: only own CPUIDs after it are taken out");
	snapshot_free(&d);
	snapshot_free(&z);

	test_figures();

	view_bar(bar, sizeof(bar), 0.5, 10, false);
	CHECK(strcmp(bar, "#####") == 0, "ASCII bar");
	view_bar(bar, sizeof(bar), 2.0, 4, false);
	CHECK(strcmp(bar, "####") == 0, "bar is clamped to its width");
	view_bar(bar, sizeof(bar), 0.0, 10, true);
	CHECK(strcmp(bar, "") == 0, "empty bar");
	view_bar(bar, sizeof(bar), 0.15, 10, true);
	CHECK(strcmp(bar, "\u2588\u258c") == 0, "UTF-8 bar with eighths");
}
