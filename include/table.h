/* Plain-text tables whose columns fit their widest cell. */
#ifndef EXITSTAT_TABLE_H
#define EXITSTAT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TABLE_MAX_COLUMNS 12

struct table {
	size_t columns;
	const char *headers[TABLE_MAX_COLUMNS];
	bool right_aligned[TABLE_MAX_COLUMNS];
	size_t rows, cap;
	char *(*cells)[TABLE_MAX_COLUMNS]; /* each sized to its text */
	size_t filled;			   /* cells set in the last row */
	bool failed;			   /* memory ran out on the way */
};

void table_init(struct table *t);
void table_add_column(struct table *t, const char *header, bool right);
/* Starts a row of empty cells; false when out of memory. */
bool table_add_row(struct table *t);
/*
 * Sets the last row's next cell, printf-style, as long as the text is:
 * never cut.  False (and the table marked failed) when out of memory or
 * past the last column.
 */
bool table_cell(struct table *t, const char *format, ...)
	__attribute__((format(printf, 2, 3)));
void table_print(const struct table *t, FILE *out);
void table_free(struct table *t);

#endif
