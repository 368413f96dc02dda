#include <stdint.h>

#include "ratio.h"
#include "report.h"
#include "unit.h"

/* A small xorshift: the same "random" pairs on every run. */
static uint64_t next_value(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#ifdef __SIZEOF_INT128__
static int wide_compare(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	unsigned __int128 left = (unsigned __int128)a * d;
	unsigned __int128 right = (unsigned __int128)c * b;

	return left < right ? -1 : left > right;
}
#endif

void test_ratio(void)
{
	const uint64_t max = UINT64_MAX;
	struct reason_stat rows[3] = {
		{ .reason = 1, .exits = max - 1, .cycles = max },
		{ .reason = 2, .exits = max - 2, .cycles = max - 1 },
		{ .reason = 3, .exits = 0, .cycles = max },
	};
	uint64_t state = 0x9e3779b97f4a7c15u;
	int i, agree = 1;

	CHECK(ratio_compare(1, 3, 2, 6) == 0, "1/3 equals 2/6");
	CHECK(ratio_compare(1, 3, 1, 2) == -1 && ratio_compare(1, 2, 1, 3) == 1,
	      "1/3 is less than 1/2");
	CHECK(ratio_compare(max, 1, max, 1) == 0 &&
		      ratio_compare(max, 1, max - 1, 1) == 1 &&
		      ratio_compare(0, max, 0, 1) == 0,
	      "ratios at the ends of the 64-bit range");
	CHECK(ratio_compare((uint64_t)1 << 63, (uint64_t)1 << 62, 2, 1) == 0,
	      "2^63/2^62 equals 2/1");
	/* 1 + 1/(2^64-2) against 1 + 1/(2^64-3): a long double sees 1 and 1. */
	CHECK(ratio_compare(max, max - 1, max - 1, max - 2) == -1 &&
		      ratio_compare(max - 1, max - 2, max, max - 1) == 1,
	      "averages that differ only past a long double's precision");
	CHECK(ratio_compare(max, max, 1, 1) == 0 &&
		      ratio_compare(max - 1, max, max, max) == -1,
	      "ratios near 1 at the top of the range");
#ifdef __SIZEOF_INT128__
	for (i = 0; i < 100000; i++) {
		uint64_t a = next_value(&state), b = next_value(&state) | 1;
		uint64_t c = next_value(&state), d = next_value(&state) | 1;

		/* Half the pairs small, so equal and near ratios turn up too. */
		if (i & 1) {
			a >>= 40, b >>= 52, c >>= 40, d >>= 52;
			b |= 1, d |= 1;
		}
		if (ratio_compare(a, b, c, d) != wide_compare(a, b, c, d))
			agree = 0;
	}
	CHECK(agree, "agrees with 128-bit arithmetic on 100000 pairs");
#else
	(void)next_value(&state);
	(void)i;
	CHECK(agree, "no 128-bit type here to cross-check with");
#endif
	report_sort(rows, 3, SORT_AVG);
	CHECK(rows[0].reason == 2 && rows[1].reason == 1 && rows[2].reason == 3,
	      "--sort avg orders averages 1 + 1/(2^64-3) > 1 + 1/(2^64-2), no exits last");
}
