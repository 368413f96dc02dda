/*
 * Sparklines: a row of cells, one glyph each, for how a figure moved.
 * Block characters U+2581..U+2588 where the terminal shows them, ASCII
 * otherwise.
 */
#ifndef EXITSTAT_SPARK_H
#define EXITSTAT_SPARK_H

#include <stdbool.h>
#include <stddef.h>

/* Glyphs of a sparkline: level 0 is exactly zero, the others above it. */
#define SPARK_LEVELS 8

/* The glyphs drawn for a cell with no data yet and for a gap. */
#define SPARK_NO_DATA_GLYPH " "
#define SPARK_GAP_GLYPH "x"

/*
 * The level of value on a scale whose top is max: 0 for zero only, so
 * that any exit at all shows, up to SPARK_LEVELS - 1 for max.
 */
int spark_level(double value, double max);

/* The glyph of a level: a block in UTF-8, else one of "_.:=+*#@". */
const char *spark_glyph(int level, bool utf8);

/*
 * The cells of history_cells() as a line of glyphs, each cell scaled to
 * the largest of them; NUL-terminated, never cut inside a glyph.
 */
void spark_render(char *buf, size_t len, const double *cells, int n,
		  bool utf8);

/*
 * Whether a terminal of this type shows block characters: not the Linux
 * console (its fonts lack most of them), a DEC VT or a BSD console.
 */
bool spark_term_has_blocks(const char *term);

#endif
