#include <stdlib.h>
#include <string.h>

#include "cpus.h"
#include "figures.h"
#include "percpu_panel.h"
#include "unit.h"

/*
 * The panel on plain lines with as many columns as CPUs there can be:
 * every column and TOTAL on every line, none cut.
 */
static void test_every_column(void)
{
	struct percpu_column *cols = calloc(CPUS_MAX, sizeof(*cols));
	struct reason_stat *rows = calloc(CPUS_MAX, sizeof(*rows));
	struct percpu_table t = { .count = CPUS_MAX, .columns = cols };
	struct view_model m = { .show_zero = true };
	struct sink k = { .curses = false };
	char *text = NULL, *line, *save = NULL, *field, *fsave;
	size_t len, c, lines = 0, full = 0;
	long size;
	double last = 0;

	if (!cols || !rows)
		goto done;
	for (c = 0; c < CPUS_MAX; c++) {
		rows[c] = (struct reason_stat){ .reason = 10, .exits = 2,
						.cycles = 20, .recent = 2,
						.status = REASON_COUNTED };
		cols[c].cpu = (uint32_t)c;
		cols[c].vcpu = (uint32_t)c;
		cols[c].figures.wide_counts = true;
		cols[c].figures.count = 1;
		cols[c].figures.reasons = &rows[c];
		cols[c].figures.total_exits = 2;
		cols[c].figures.total_cycles = 20;
		cols[c].figures.total_recent = 2;
		figures_settle(&cols[c].figures);
	}
	CHECK(percpu_sum(cols, CPUS_MAX, &t.sum), "panel: the sum of 1024 columns");
	k.plain = tmpfile();
	if (!k.plain)
		goto done;
	percpu_panel_draw(&k, &m, &t, 1.0);
	size = ftell(k.plain);
	rewind(k.plain);
	text = size > 0 ? calloc((size_t)size + 1, 1) : NULL;
	len = text ? fread(text, 1, (size_t)size, k.plain) : 0;
	fclose(k.plain);
	if (!text || len != (size_t)size)
		goto done;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n = 0;

		lines++;
		for (field = strtok_r(line, " ", &fsave); field;
		     field = strtok_r(NULL, " ", &fsave)) {
			n++;
			last = strtod(field, NULL);
		}
		/* REASON NAME, a column per CPU, TOTAL; vcpu has no TOTAL. */
		if (n == (lines == 2 ? 1 + CPUS_MAX : 3 + CPUS_MAX))
			full++;
	}
	CHECK(lines == 4 && full == 4,
	      "panel: 1024 CPU columns and TOTAL on every plain line");
	CHECK(last == 2.0 * CPUS_MAX,
	      "panel: the total row's TOTAL is the sum of 1024 columns");
	free(t.sum.reasons);
done:
	free(text);
	free(rows);
	free(cols);
}

void test_percpu_panel(void)
{
	test_every_column();
}
