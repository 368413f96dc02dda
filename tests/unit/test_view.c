#include <locale.h>
#include <string.h>

#include "unit.h"
#include "view.h"

/* Cells of a bar: each UTF-8 block is one cell but three bytes. */
static size_t cells_of(const char *text)
{
	size_t n = 0;

	for (; *text; text++)
		if (((unsigned char)*text & 0xc0) != 0x80)
			n++;
	return n;
}

void test_view(void)
{
	const char *bar_line = "x \u2588\u2588\u2588\u258c";
	char *saved = setlocale(LC_CTYPE, NULL);
	char before[64], bar[64], small[8];
	int width;
	bool same = true;

	snprintf(before, sizeof(before), "%s", saved ? saved : "C");
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		CHECK(0, "the C.UTF-8 locale is available");
		return;
	}
	CHECK(view_fit_cells(bar_line, 80) == strlen(bar_line),
	      "a line that fits is kept whole");
	CHECK(view_fit_cells(bar_line, 4) == 2 + 2 * 3,
	      "a UTF-8 line is cut after 4 cells, not 4 bytes");
	CHECK(view_fit_cells(bar_line, 3) == 2 + 3,
	      "a cut never ends inside a block character");
	CHECK(view_fit_cells("ASCII", 3) == 3, "ASCII: a cell is a byte");

	view_bar(bar, sizeof(bar), 0.45, 10, true);
	CHECK(cells_of(bar) == 5 && strncmp(bar, "\u2588\u2588\u2588\u2588", 12) == 0,
	      "a 45% share is 4.5 cells of a 10-cell bar");
	for (width = 1; width <= 20; width++) {
		view_bar(bar, sizeof(bar), 1.0, width, true);
		if (cells_of(bar) != (size_t)width)
			same = false;
	}
	CHECK(same, "a full bar is as many cells as its width");
	view_bar(small, sizeof(small), 1.0, 10, true);
	CHECK(strcmp(small, "\u2588\u2588") == 0,
	      "a short buffer ends the bar at a whole block");
	setlocale(LC_CTYPE, before);
}
