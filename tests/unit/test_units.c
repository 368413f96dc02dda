#include <string.h>

#include "units.h"
#include "unit.h"

static int three(double value, const char *want)
{
	char buf[32];

	format_3sig(buf, sizeof(buf), value);
	if (strcmp(buf, want) != 0)
		printf("    format_3sig(%g) = %s, want %s\n", value, buf, want);
	return strcmp(buf, want) == 0;
}

static int scaled(double seconds, const char *want)
{
	char buf[32];

	format_auto_seconds(buf, sizeof(buf), seconds);
	if (strcmp(buf, want) != 0)
		printf("    format_auto_seconds(%g) = %s, want %s\n", seconds,
		       buf, want);
	return strcmp(buf, want) == 0;
}

void test_time_figures(void)
{
	CHECK(three(0.0000136, "0.0000136"), "3 figures: small times are not 0.000");
	CHECK(three(1.3649, "1.36"), "3 figures: 1.36");
	CHECK(three(13.65, "13.7") || three(13.65, "13.6"), "3 figures: 13.7");
	CHECK(three(136.4, "136"), "3 figures: 136");
	CHECK(three(78187.49, "78200"), "3 figures: no decimals above 100");
	CHECK(three(9.996, "10.0"), "3 figures: rounding up a place");
	CHECK(three(0, "0"), "3 figures: zero");
	CHECK(scaled(8.1834e-6, "8.18 us"), "auto: microseconds");
	CHECK(scaled(300e-9, "300 ns"), "auto: nanoseconds");
	CHECK(scaled(0.0412, "41.2 ms"), "auto: milliseconds");
	CHECK(scaled(78.187, "78.2 s"), "auto: seconds");
	CHECK(scaled(999.7e-9, "1.00 us"), "auto: 999.7 ns rounds up to the next unit");
	CHECK(scaled(0.4e-9, "0.400 ns"), "auto: below a nanosecond");
	CHECK(scaled(0, "0 s"), "auto: zero");
}
