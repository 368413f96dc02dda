/* Time to three significant figures, as perf stat prints it. */
#ifndef EXITSTAT_UNITS_H
#define EXITSTAT_UNITS_H

#include <stddef.h>

/*
 * value to three significant figures without an exponent: 0.0000136,
 * 1.36, 136, 13600.  Fixed units must not turn small times into 0.000.
 */
void format_3sig(char *buf, size_t len, double value);

/* seconds in ns, us, ms or s, whichever gives 1 to 999: "8.15 us". */
void format_auto_seconds(char *buf, size_t len, double seconds);

#endif
