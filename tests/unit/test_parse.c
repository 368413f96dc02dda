#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "unit.h"

static int u64_ok(const char *s, uint64_t min, uint64_t max, uint64_t want)
{
	const char *why;
	uint64_t v = 12345;

	return parse_u64(s, min, max, &v, &why) && v == want;
}

static int u64_fails(const char *s, uint64_t min, uint64_t max,
		     const char *want_why)
{
	const char *why = NULL;
	uint64_t v = 777;

	return !parse_u64(s, min, max, &v, &why) && v == 777 &&
	       strcmp(why, want_why) == 0;
}

static int seconds_ok(const char *s, double want)
{
	const char *why;
	double v = -1;

	return parse_seconds(s, 0.1, 3600, &v, &why) && v == want;
}

static int seconds_fail(const char *s, const char *want_why)
{
	const char *why = NULL;
	double v = -1;

	return !parse_seconds(s, 0.1, 3600, &v, &why) && v == -1 &&
	       strcmp(why, want_why) == 0;
}

/* Parses spec into a fresh set and compares it to want[0..n). */
static int spec_gives(const char *spec, const uint16_t *want, size_t n)
{
	struct reason_set *set = calloc(1, sizeof(*set));
	char err[128];
	int ok;

	ok = set && parse_reason_spec(spec, set, err, sizeof(err)) &&
	     set->count == n &&
	     (n == 0 || memcmp(set->list, want, n * sizeof(*want)) == 0);
	free(set);
	return ok;
}

static int spec_fails(const char *spec, const char *want_err)
{
	struct reason_set *set = calloc(1, sizeof(*set));
	char err[128] = "";
	int ok;

	if (!set)
		return 0;
	reason_set_add(set, 7);
	ok = !parse_reason_spec(spec, set, err, sizeof(err)) &&
	     set->count == 1 && set->list[0] == 7 &&
	     strcmp(err, want_err) == 0;
	if (!ok)
		printf("  got error '%s'\n", err);
	free(set);
	return ok;
}

/* Each leaves the set as it was and says why in these words. */
static const struct {
	const char *name, *spec, *err;
} bad_specs[] = {
	{ "spec empty", "", "empty reason list" },
	{ "spec empty item", "10,,12", "empty item in reason list" },
	{ "spec trailing comma", "10,", "empty item in reason list" },
	{ "spec unknown name", "abc", "unknown exit reason 'abc'" },
	{ "spec negative", "-1", "reason '-1' is invalid (0 to 65535)" },
	{ "spec 2^32", "4294967296",
	  "reason '4294967296' is out of range (0 to 65535)" },
	{ "spec 2^16", "65536", "reason '65536' is out of range (0 to 65535)" },
	{ "spec open range", "5-", "range '5-' needs both ends" },
	{ "spec backwards range", "10-5", "range 10-5 runs backwards" },
	{ "spec double range", "1-2-3", "reason '2-3' is invalid (0 to 65535)" },
	{ "spec bad item keeps set unchanged", "10,abc",
	  "unknown exit reason 'abc'" },
};

void test_parse(void)
{
	size_t i;

	CHECK(u64_ok("10", 0, 100, 10), "decimal");
	CHECK(u64_ok("0x1f", 0, 100, 31), "hex lower");
	CHECK(u64_ok("0X1F", 0, 100, 31), "hex upper");
	CHECK(u64_ok("0", 0, 100, 0), "zero");
	CHECK(u64_ok("18446744073709551615", 0, UINT64_MAX, UINT64_MAX),
	      "largest u64");
	CHECK(u64_fails("18446744073709551616", 0, UINT64_MAX, "out of range"),
	      "u64 overflow");
	CHECK(u64_fails("101", 0, 100, "out of range"), "above max");
	CHECK(u64_fails("0", 1, 100, "out of range"), "below min");
	CHECK(u64_fails("", 0, 100, "invalid"), "empty number");
	CHECK(u64_fails("0x", 0, 100, "invalid"), "bare 0x");
	CHECK(u64_fails("-1", 0, 100, "invalid"), "negative");
	CHECK(u64_fails("+1", 0, 100, "invalid"), "plus sign");
	CHECK(u64_fails(" 1", 0, 100, "invalid"), "leading blank");
	CHECK(u64_fails("1 ", 0, 100, "invalid"), "trailing blank");
	CHECK(u64_fails("12abc", 0, 100, "invalid"), "trailing text");
	CHECK(u64_fails("1f", 0, 100, "invalid"), "hex digits without 0x");

	CHECK(seconds_ok("1", 1.0), "seconds whole");
	CHECK(seconds_ok("0.5", 0.5), "seconds fraction");
	CHECK(seconds_ok(".5", 0.5), "seconds leading dot");
	CHECK(seconds_ok("2.", 2.0), "seconds trailing dot");
	CHECK(seconds_fail("0.05", "out of range"), "seconds below minimum");
	CHECK(seconds_fail("3601", "out of range"), "seconds above maximum");
	CHECK(seconds_fail(".", "invalid"), "seconds bare dot");
	CHECK(seconds_fail("", "invalid"), "seconds empty");
	CHECK(seconds_fail("1e3", "invalid"), "seconds exponent");
	CHECK(seconds_fail("-1", "invalid"), "seconds negative");
	CHECK(seconds_fail("nan", "invalid"), "seconds nan");
	CHECK(seconds_fail("inf", "invalid"), "seconds inf");
	CHECK(seconds_fail("0x1p1", "invalid"), "seconds hex float");

	{
		static const uint16_t r10[] = { 10 };
		static const uint16_t list[] = { 0, 1, 2, 3, 10, 48, 12 };
		static const uint16_t names[] = { 10, 48, 12, 31 };
		static const uint16_t dedup[] = { 12, 10 };
		static const uint16_t named_range[] = { 30, 31, 32 };
		static const uint16_t spaced[] = { 10, 12 };
		static const uint16_t top[] = { 65535 };

		CHECK(spec_gives("10", r10, 1), "spec number");
		CHECK(spec_gives("0xa", r10, 1), "spec hex");
		CHECK(spec_gives("0-3,10,0x30,12", list, 7), "spec list");
		CHECK(spec_gives("cpuid,EPT_VIOLATION,exit_reason_hlt,RdMsR",
				 names, 4),
		      "spec names");
		CHECK(spec_gives("12,10,12,10-10", dedup, 2), "spec dedup");
		CHECK(spec_gives("io_instruction-wrmsr", named_range, 3),
		      "spec named range");
		CHECK(spec_gives(" 10 , 12 ", spaced, 2), "spec blanks");
		CHECK(spec_gives("65535", top, 1), "spec largest reason");
	}
	for (i = 0; i < sizeof(bad_specs) / sizeof(bad_specs[0]); i++)
		CHECK(spec_fails(bad_specs[i].spec, bad_specs[i].err),
		      bad_specs[i].name);
}
