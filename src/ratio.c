#include "ratio.h"

/* The 128-bit product x*y as hi:lo, from four 32x32-bit products. */
static void multiply_wide(uint64_t x, uint64_t y, uint64_t *hi, uint64_t *lo)
{
	const uint64_t x_lo = x & 0xffffffffu, x_hi = x >> 32;
	const uint64_t y_lo = y & 0xffffffffu, y_hi = y >> 32;
	const uint64_t low = x_lo * y_lo;
	const uint64_t cross1 = x_hi * y_lo;
	const uint64_t cross2 = x_lo * y_hi;
	/* Each term is below 2^32, so the sum cannot overflow 64 bits. */
	const uint64_t middle = (low >> 32) + (cross1 & 0xffffffffu) +
				(cross2 & 0xffffffffu);

	*lo = (middle << 32) | (low & 0xffffffffu);
	*hi = x_hi * y_hi + (cross1 >> 32) + (cross2 >> 32) + (middle >> 32);
}

int ratio_compare(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	uint64_t left_hi, left_lo, right_hi, right_lo;

	/* a/b vs c/d is a*d vs c*b, both positive denominators. */
	multiply_wide(a, d, &left_hi, &left_lo);
	multiply_wide(c, b, &right_hi, &right_lo);
	if (left_hi != right_hi)
		return left_hi < right_hi ? -1 : 1;
	if (left_lo != right_lo)
		return left_lo < right_lo ? -1 : 1;
	return 0;
}
