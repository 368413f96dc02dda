#include "units.h"

#include <stdio.h>
#include <stdlib.h>

/* Rounded to three significant figures first, so 999.7 becomes 1000. */
static double round_3sig(double value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.2e", value);
	return strtod(buf, NULL);
}

static int decimals_for_3sig(double rounded)
{
	int decimals = 2;

	/* Each place below 100 needs one more decimal, up to a sane limit. */
	if (rounded <= 0 || rounded >= 100)
		return 0;
	for (; rounded < 10 && decimals < 20; rounded *= 10)
		decimals++;
	return decimals - 1;
}

void format_3sig(char *buf, size_t len, double value)
{
	double rounded = round_3sig(value);

	snprintf(buf, len, "%.*f", decimals_for_3sig(rounded), rounded);
}

void format_auto_seconds(char *buf, size_t len, double seconds)
{
	static const struct {
		double below, scale;
		const char *name;
	} units[] = {
		{ 1e-6, 1e9, "ns" },
		{ 1e-3, 1e6, "us" },
		{ 1, 1e3, "ms" },
	};
	double rounded = round_3sig(seconds), scaled;
	size_t i;

	if (rounded <= 0) {
		snprintf(buf, len, "0 s");
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (rounded < units[i].below) {
			scaled = round_3sig(seconds * units[i].scale);
			snprintf(buf, len, "%.*f %s", decimals_for_3sig(scaled),
				 scaled, units[i].name);
			return;
		}
	}
	snprintf(buf, len, "%.*f s", decimals_for_3sig(rounded), rounded);
}
