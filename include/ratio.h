/* Exact comparison of two ratios of 64-bit counts, on any word size. */
#ifndef EXITSTAT_RATIO_H
#define EXITSTAT_RATIO_H

#include <stdint.h>

/*
 * Compares a/b with c/d for b, d > 0: -1, 0 or 1 as a/b is less than,
 * equal to or greater than c/d.  Exact for every 64-bit value (a double
 * or long double would round two averages that differ in the 64th bit
 * into equal ones), and without unsigned __int128, which 32-bit targets
 * lack.
 */
int ratio_compare(uint64_t a, uint64_t b, uint64_t c, uint64_t d);

#endif
