#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "table.h"
#include "unit.h"

/* Runs fn into a memory stream and returns what it wrote (caller frees). */
#define CAPTURE(buf, call)                                                  \
	do {                                                                \
		size_t len_;                                                \
		FILE *out = open_memstream(&(buf), &len_);                  \
		call;                                                       \
		fclose(out);                                                \
	} while (0)

static int order_is(struct reason_stat *rows, size_t n, enum sort_key key,
		    const uint32_t *want)
{
	size_t i;

	report_sort(rows, n, key);
	for (i = 0; i < n; i++)
		if (rows[i].reason != want[i])
			return 0;
	return 1;
}

static void test_sorting(void)
{
	struct reason_stat rows[] = {
		{ .reason = 48, .exits = 10, .cycles = 1000 }, /* avg 100 */
		{ .reason = 10, .exits = 50, .cycles = 2500 }, /* avg 50 */
		{ .reason = 35 },			       /* none */
		{ .reason = 12, .exits = 10, .cycles = 5000 }, /* avg 500 */
		{ .reason = 1, .exits = 1, .cycles = 300 },    /* avg 300 */
	};
	static const uint32_t by_count[] = { 10, 12, 48, 1, 35 };
	static const uint32_t by_time[] = { 12, 10, 48, 1, 35 };
	static const uint32_t by_avg[] = { 12, 1, 48, 10, 35 };
	static const uint32_t by_reason[] = { 1, 10, 12, 35, 48 };
	/* Names: CPUID, EPT_VIOLATION, EXTERNAL_INTERRUPT, HLT; 35 has none. */
	static const uint32_t by_name[] = { 10, 48, 1, 12, 35 };
	const size_t n = sizeof(rows) / sizeof(rows[0]);

	CHECK(order_is(rows, n, SORT_COUNT, by_count), "sort by count, ties by reason");
	CHECK(order_is(rows, n, SORT_TIME, by_time), "sort by time");
	CHECK(order_is(rows, n, SORT_AVG, by_avg), "sort by average, none last");
	CHECK(order_is(rows, n, SORT_REASON, by_reason), "sort by reason");
	CHECK(order_is(rows, n, SORT_NAME, by_name), "sort by name, unnamed last");
}

static void test_json_string(void)
{
	char *buf = NULL;

	CAPTURE(buf, json_string(out, "a\"b\\c\n\x01\x7f\xff"));
	CHECK(buf && strcmp(buf, "\"a\\\"b\\\\c\\u000a\\u0001\\u007f\\u00ff\"") == 0,
	      "JSON strings escape quotes, controls and high bytes");
	free(buf);
}

static void test_table(void)
{
	static const char long_text[] =
		"18446744073709551616000000000.000 and then some more";
	char *buf = NULL, want[256];
	struct table t;

	table_init(&t);
	table_add_column(&t, "N", true);
	table_add_column(&t, "NAME", false);
	table_add_row(&t);
	table_cell(&t, "%d", 10);
	table_cell(&t, "CPUID");
	table_add_row(&t);
	table_cell(&t, "4294967296");
	table_cell(&t, "X");
	CAPTURE(buf, table_print(&t, out));
	table_free(&t);
	CHECK(buf && strcmp(buf, "         N  NAME\n"
				 "        10  CPUID\n"
				 "4294967296  X\n") == 0,
	      "table columns fit the widest cell");
	free(buf);

	/* Cells used to be cut at 31 characters without a word. */
	table_init(&t);
	table_add_column(&t, "TIME", true);
	table_add_column(&t, "NAME", false);
	table_add_row(&t);
	table_cell(&t, "%s", long_text);
	table_cell(&t, "%s", long_text);
	CHECK(!table_cell(&t, "x") && t.failed,
	      "a cell past the last column is refused, not dropped silently");
	CAPTURE(buf, table_print(&t, out));
	table_free(&t);
	snprintf(want, sizeof(want), "%*s  NAME\n%s  %s\n",
		 (int)strlen(long_text), "TIME", long_text, long_text);
	CHECK(buf && strcmp(buf, want) == 0,
	      "table cells longer than 31 characters are printed whole");
	free(buf);
}

static void test_units(void)
{
	struct report_style style = { .unit = UNIT_US, .tsc_hz = 2000000000 };

	CHECK(cycles_in_unit(3000, &style) == 1.5, "cycles to microseconds");
	style.unit = UNIT_S;
	CHECK(cycles_in_unit(4000000000ull, &style) == 2.0, "cycles to seconds");
	style.unit = UNIT_CYCLES;
	CHECK(cycles_in_unit(12345, &style) == 12345.0, "cycles stay cycles");
}

void test_report(void)
{
	test_sorting();
	test_json_string();
	test_table();
	test_units();
}
