#include <string.h>

#include "history.h"
#include "spark.h"
#include "unit.h"

/* One series (and the host CPU): rate r over [start, end]. */
static void push(struct history *h, double start, double end, double rate,
		 bool gap)
{
	double values[2] = { rate, rate / 10 };

	history_push(h, start, end, values, gap);
}

static bool near(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

static void test_ring(void)
{
	const uint32_t ids[] = { 30 };
	double cells[HISTORY_MAX_CELLS];
	struct history h;
	bool ok = true;
	int i;

	CHECK(history_init(&h, ids, 1, 0.1), "a history for one reason");
	CHECK(h.cap >= 601, "room for a minute of samples at 0.1 s");
	CHECK(history_series(&h, 30) == 0 && history_series(&h, 48) == -1 &&
		      history_cpu_series(&h) == 1,
	      "series are found by reason; the host CPU comes last");

	history_cells(&h, 0, cells, 60);
	for (i = 0; i < 60; i++)
		ok = ok && cells[i] == HISTORY_NO_DATA;
	CHECK(ok, "an empty history is no data, not zero");

	/* 0.1 s samples for 100 s: 600 of them in the window. */
	for (i = 0; i < 1000; i++)
		push(&h, i * 0.1, (i + 1) * 0.1, i, false);
	CHECK(h.len <= h.cap && h.len >= 600,
	      "samples older than a minute go");
	history_cells(&h, 0, cells, 60);
	/* Cell 0 spans 40-41 s: samples 400-409, rates 400..409. */
	CHECK(near(cells[0], 404.5) && near(cells[59], 994.5),
	      "600 samples into 60 cells: each the mean of its ten");
	history_cells(&h, 1, cells, 60);
	CHECK(near(cells[59], 99.45), "the host-CPU series downsamples too");
	history_free(&h);

	CHECK(history_init(&h, ids, 1, 0.1), "a fresh history");
	/* Every 5 s for a minute and more: 12 samples cover the window. */
	for (i = 0; i < 14; i++)
		push(&h, i * 5.0, (i + 1) * 5.0, i, false);
	history_cells(&h, 0, cells, 60);
	ok = true;
	for (i = 0; i < 60; i++)
		ok = ok && near(cells[i], 2 + i / 5);
	CHECK(ok, "12 samples over 60 cells: each sample spans five");
	history_free(&h);

	CHECK(history_init(&h, ids, 1, 1), "a history at 1 s");
	push(&h, 0, 1, 5, false);
	push(&h, 1, 2, 0, false);
	history_cells(&h, 0, cells, 60);
	CHECK(cells[57] == HISTORY_NO_DATA && near(cells[58], 5) &&
		      near(cells[59], 0),
	      "two samples: the cells before them are no data, zero stays zero");
	push(&h, 2, 3, 1e9, true);
	push(&h, 3, 4, 5, false);
	history_cells(&h, 0, cells, 60);
	CHECK(cells[58] == HISTORY_GAP && near(cells[57], 0) &&
		      near(cells[59], 5),
	      "a gap sample is a gap cell, its figures unused");
	history_cells(&h, 0, cells, 20);
	CHECK(cells[19] == HISTORY_GAP,
	      "a wide cell that a gap touches is a gap");
	history_free(&h);
}

static void test_glyphs(void)
{
	double cells[6] = { HISTORY_NO_DATA, 0, 1, 50, 100, HISTORY_GAP };
	char line[64];

	CHECK(spark_level(0, 100) == 0 && spark_level(0.001, 100) == 1 &&
		      spark_level(100, 100) == SPARK_LEVELS - 1 &&
		      spark_level(50, 100) == 4,
	      "levels: zero alone at 0, any rate above it, the row's max on top");
	CHECK(spark_level(5, 0) == SPARK_LEVELS - 1 && spark_level(0, 0) == 0,
	      "levels without a max do not divide by zero");
	spark_render(line, sizeof(line), cells, 6, false);
	CHECK(strcmp(line, " _.+@x") == 0,
	      "ASCII: blank before data, '_' for zero, gap 'x', scaled to the row");
	spark_render(line, sizeof(line), cells, 6, true);
	CHECK(strcmp(line, " \u2581\u2582\u2585\u2588x") == 0,
	      "UTF-8: U+2581 for zero, U+2588 for the row's max");
	spark_render(line, 6, cells, 6, true);
	CHECK(strcmp(line, " \u2581") == 0,
	      "a short buffer ends at a whole glyph");
	CHECK(spark_term_has_blocks("xterm-256color") &&
		      spark_term_has_blocks("tmux-256color") &&
		      spark_term_has_blocks("vte-256color") &&
		      spark_term_has_blocks(NULL),
	      "terminal emulators show block characters");
	CHECK(!spark_term_has_blocks("linux") &&
		      !spark_term_has_blocks("linux-16color") &&
		      !spark_term_has_blocks("vt100") &&
		      !spark_term_has_blocks("vt220") &&
		      !spark_term_has_blocks("cons25"),
	      "the Linux console, DEC VTs and BSD consoles get ASCII");
}

void test_history(void)
{
	test_ring();
	test_glyphs();
}
