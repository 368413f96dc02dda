#include "table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void table_init(struct table *t)
{
	memset(t, 0, sizeof(*t));
}

void table_add_column(struct table *t, const char *header, bool right)
{
	if (t->columns == TABLE_MAX_COLUMNS)
		return;
	t->headers[t->columns] = header;
	t->right_aligned[t->columns] = right;
	t->columns++;
}

bool table_add_row(struct table *t)
{
	if (t->rows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		void *grown = realloc(t->cells, cap * sizeof(*t->cells));

		if (!grown) {
			t->failed = true;
			return false;
		}
		t->cells = grown;
		t->cap = cap;
	}
	memset(t->cells[t->rows], 0, sizeof(t->cells[0]));
	t->rows++;
	t->filled = 0;
	return true;
}

bool table_cell(struct table *t, const char *format, ...)
{
	va_list ap;
	char *text;
	int len;

	if (t->rows == 0 || t->filled == t->columns) {
		t->failed = true;
		return false;
	}
	va_start(ap, format);
	len = vsnprintf(NULL, 0, format, ap);
	va_end(ap);
	if (len < 0 || !(text = malloc((size_t)len + 1))) {
		t->failed = true;
		return false;
	}
	va_start(ap, format);
	vsnprintf(text, (size_t)len + 1, format, ap);
	va_end(ap);
	t->cells[t->rows - 1][t->filled++] = text;
	return true;
}

static const char *cell_text(const struct table *t, size_t r, size_t c)
{
	return t->cells[r][c] ? t->cells[r][c] : "";
}

static void print_cell(FILE *out, const char *text, size_t width, bool right,
		       bool last)
{
	if (right)
		fprintf(out, "%*s", (int)width, text);
	else if (last)
		fputs(text, out);
	else
		fprintf(out, "%-*s", (int)width, text);
}

void table_print(const struct table *t, FILE *out)
{
	size_t width[TABLE_MAX_COLUMNS];
	size_t c, r;

	for (c = 0; c < t->columns; c++) {
		width[c] = strlen(t->headers[c]);
		for (r = 0; r < t->rows; r++) {
			size_t len = strlen(cell_text(t, r, c));

			if (len > width[c])
				width[c] = len;
		}
	}
	for (c = 0; c < t->columns; c++) {
		if (c)
			fputs("  ", out);
		print_cell(out, t->headers[c], width[c], t->right_aligned[c],
			   c + 1 == t->columns);
	}
	fputc('\n', out);
	for (r = 0; r < t->rows; r++) {
		for (c = 0; c < t->columns; c++) {
			if (c)
				fputs("  ", out);
			print_cell(out, cell_text(t, r, c), width[c],
				   t->right_aligned[c], c + 1 == t->columns);
		}
		fputc('\n', out);
	}
}

void table_free(struct table *t)
{
	size_t r, c;

	for (r = 0; r < t->rows; r++)
		for (c = 0; c < TABLE_MAX_COLUMNS; c++)
			free(t->cells[r][c]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
