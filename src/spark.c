#include "spark.h"

#include <ctype.h>
#include <string.h>

#include "history.h"

int spark_level(double value, double max)
{
	double scaled;
	int level;

	if (!(value > 0))
		return 0;
	if (!(max >= value))
		return SPARK_LEVELS - 1;
	/* Rounded up: the smallest rate still stands above zero. */
	scaled = value / max * (SPARK_LEVELS - 1);
	level = (int)scaled;
	if (level < scaled)
		level++;
	if (level < 1)
		level = 1;
	return level > SPARK_LEVELS - 1 ? SPARK_LEVELS - 1 : level;
}

const char *spark_glyph(int level, bool utf8)
{
	static const char *const blocks[SPARK_LEVELS] = {
		"\u2581", "\u2582", "\u2583", "\u2584",
		"\u2585", "\u2586", "\u2587", "\u2588",
	};
	/* By how much of the cell each character inks, '_' a bare floor. */
	static const char *const ascii[SPARK_LEVELS] = {
		"_", ".", ":", "=", "+", "*", "#", "@",
	};

	if (level < 0)
		level = 0;
	if (level >= SPARK_LEVELS)
		level = SPARK_LEVELS - 1;
	return utf8 ? blocks[level] : ascii[level];
}

void spark_render(char *buf, size_t len, const double *cells, int n,
		  bool utf8)
{
	const char *glyph;
	double max = 0;
	size_t used = 0, size;
	int i;

	if (len == 0)
		return;
	for (i = 0; i < n; i++)
		if (cells[i] > max)
			max = cells[i];
	for (i = 0; i < n; i++) {
		if (cells[i] == HISTORY_GAP)
			glyph = SPARK_GAP_GLYPH;
		else if (cells[i] < 0)
			glyph = SPARK_NO_DATA_GLYPH;
		else
			glyph = spark_glyph(spark_level(cells[i], max), utf8);
		size = strlen(glyph);
		if (used + size >= len)
			break;
		memcpy(buf + used, glyph, size);
		used += size;
	}
	buf[used] = '\0';
}

bool spark_term_has_blocks(const char *term)
{
	if (!term)
		return true;
	if (strncmp(term, "linux", 5) == 0 || strncmp(term, "cons", 4) == 0)
		return false;
	/* vt100, vt220, vt52: not vte, a terminal with every character. */
	return !(term[0] == 'v' && term[1] == 't' &&
		 isdigit((unsigned char)term[2]));
}
