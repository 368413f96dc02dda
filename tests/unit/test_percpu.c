#include <stdlib.h>
#include <string.h>

#include "cpus.h"
#include "figures.h"
#include "percpu.h"
#include "unit.h"

/* A settled column of reasons 10, 30 and 48 and its total. */
static void column(struct percpu_column *col, struct reason_stat *rows,
		   uint64_t r10, uint64_t r30, uint64_t r48, uint64_t total,
		   enum reason_status s48)
{
	memset(col, 0, sizeof(*col));
	rows[0] = (struct reason_stat){ .reason = 10, .exits = r10,
					.cycles = r10 * 7, .recent = r10 / 2,
					.status = REASON_COUNTED };
	rows[1] = (struct reason_stat){ .reason = 30, .exits = r30,
					.cycles = r30 * 11, .recent = r30 / 2,
					.status = r30 ? REASON_COUNTED : REASON_IDLE };
	rows[2] = (struct reason_stat){ .reason = 48, .exits = r48,
					.cycles = r48 * 13, .status = s48 };
	col->figures.wide_counts = true;
	col->figures.count = 3;
	col->figures.reasons = rows;
	col->figures.total_exits = total;
	col->figures.total_cycles = r10 * 7 + r30 * 11 + r48 * 13 + 1000;
	col->figures.total_recent = total / 2;
	figures_settle(&col->figures);
	col->figures.other_recent = col->figures.other_exits / 2;
}

static void test_sum(void)
{
	struct reason_stat rows[3][3];
	struct percpu_column cols[3];
	struct snapshot sum;
	uint64_t exits = 0, cycles = 0, other = 0, other_cycles = 0;
	size_t r, c;
	bool rows_add_up = true, parts_add_up;

	column(&cols[0], rows[0], 5000, 700, 0, 5800, REASON_UNHANDLED);
	column(&cols[1], rows[1], 3000, 0, 20, 3100, REASON_COUNTED);
	column(&cols[2], rows[2], 10, 0, 0, 10, REASON_IDLE);
	CHECK(percpu_sum(cols, 3, &sum), "percpu_sum: three columns");
	for (r = 0; r < 3; r++) {
		uint64_t e = 0, y = 0, recent = 0;

		for (c = 0; c < 3; c++) {
			e += cols[c].figures.reasons[r].exits;
			y += cols[c].figures.reasons[r].cycles;
			recent += cols[c].figures.reasons[r].recent;
		}
		rows_add_up = rows_add_up && sum.reasons[r].exits == e &&
			      sum.reasons[r].cycles == y &&
			      sum.reasons[r].recent == recent &&
			      sum.reasons[r].reason == rows[0][r].reason;
	}
	CHECK(rows_add_up, "percpu_sum: every reason is the sum of its cells");
	for (c = 0; c < 3; c++) {
		exits += cols[c].figures.total_exits;
		cycles += cols[c].figures.total_cycles;
		other += cols[c].figures.other_exits;
		other_cycles += cols[c].figures.other_cycles;
	}
	CHECK(sum.total_exits == exits && sum.total_cycles == cycles &&
		      sum.total_exits == 8910,
	      "percpu_sum: the total is the sum of the columns' totals");
	CHECK(sum.other_exits == other && sum.other_cycles == other_cycles &&
		      sum.other_exits == 100 + 80,
	      "percpu_sum: other is the sum of the columns' other rows");
	parts_add_up = sum.reasons[0].exits + sum.reasons[1].exits +
			       sum.reasons[2].exits + sum.other_exits ==
		       sum.total_exits;
	CHECK(parts_add_up, "percpu_sum: the sum's rows add up to its total");
	CHECK(sum.total_recent == 2900 + 1550 + 5 &&
		      sum.other_recent == 50 + 40,
	      "percpu_sum: the last interval's figures add up too");
	CHECK(sum.reasons[2].status == REASON_COUNTED &&
		      sum.reasons[1].status == REASON_COUNTED,
	      "percpu_sum: counted on one vCPU is counted in the sum");
	CHECK(!sum.one_vcpu, "percpu_sum: the sum is no one vCPU's");
	figures_present(&sum, MODE_SUMMARY, true, SORT_COUNT);
	CHECK(sum.count == 3 && sum.reasons[2].reason == 48,
	      "percpu_sum: a reason with exits on one vCPU only is shown");
	snapshot_free(&sum);

	rows[0][0].exits = UINT64_MAX - 1;
	rows[1][0].exits = 5;
	CHECK(percpu_sum(cols, 2, &sum) && sum.reasons[0].exits == UINT64_MAX,
	      "percpu_sum: a sum past 2^64 saturates, never wraps");
	snapshot_free(&sum);
	CHECK(!percpu_sum(cols, 0, &sum), "percpu_sum: no columns, no sum");
}

static void test_cell(void)
{
	struct reason_stat rows[3];
	struct percpu_column col;

	column(&col, rows, 1, 2, 3, 6, REASON_COUNTED);
	CHECK(percpu_cell(&col, 30) == &rows[1], "percpu_cell finds a reason");
	CHECK(percpu_cell(&col, 12) == NULL,
	      "percpu_cell: a reason not read is NULL");
}

static void test_describe(void)
{
	struct cpu_pin pin;
	uint32_t cpus[8];
	char buf[64];

	memset(&pin, 0, sizeof(pin));
	pin.original[0] = 0xfull | 1ull << 6 | 1ull << 8 | 1ull << 9;
	pin.original[1] = 1ull; /* CPU 64 */
	cpu_pin_describe(&pin, buf, sizeof(buf));
	CHECK(strcmp(buf, "0-3,6,8-9,64") == 0, "cpu_pin_describe: ranges");
	CHECK(cpu_pin_allowed(&pin, cpus, 8) == 8 && cpus[4] == 6 &&
		      cpus[7] == 64,
	      "cpu_pin_allowed: ascending");
	CHECK(cpu_pin_allowed(&pin, cpus, 2) == 2, "cpu_pin_allowed: max");
	CHECK(cpu_pin_allows(&pin, 64) && !cpu_pin_allows(&pin, 5) &&
		      !cpu_pin_allows(&pin, CPUS_MAX),
	      "cpu_pin_allows");
	cpu_pin_describe(&pin, buf, 6);
	CHECK(strcmp(buf, "0-3,6") == 0,
	      "cpu_pin_describe: a short buffer keeps whole items");
}

void test_percpu(void)
{
	test_sum();
	test_cell();
	test_describe();
}
