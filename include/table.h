/* Plain-text tables whose columns fit their widest cell. */
#ifndef EXITSTAT_TABLE_H
#define EXITSTAT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TABLE_MAX_COLUMNS 12
#define TABLE_CELL 32

struct table {
	size_t columns;
	const char *headers[TABLE_MAX_COLUMNS];
	bool right_aligned[TABLE_MAX_COLUMNS];
	size_t rows, cap;
	char (*cells)[TABLE_MAX_COLUMNS][TABLE_CELL];
};

void table_init(struct table *t);
void table_add_column(struct table *t, const char *header, bool right);
/* Adds an empty row and returns its cells, or NULL when out of memory. */
char (*table_add_row(struct table *t))[TABLE_CELL];
void table_print(const struct table *t, FILE *out);
void table_free(struct table *t);

#endif
