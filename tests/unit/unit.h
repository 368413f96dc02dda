/* A minimal test harness: one PASS or FAIL line per check. */
#ifndef EXITSTAT_UNIT_H
#define EXITSTAT_UNIT_H

#include <stdio.h>

extern int unit_passed, unit_failed;

#define CHECK(cond, name)                                                   \
	do {                                                                \
		if (cond) {                                                 \
			unit_passed++;                                      \
			printf("PASS unit: %s\n", name);                    \
		} else {                                                    \
			unit_failed++;                                      \
			printf("FAIL unit: %s (%s:%d: %s)\n", name, __FILE__,  \
			       __LINE__, #cond);                            \
		}                                                           \
	} while (0)

void test_parse(void);
void test_reasons(void);
void test_decode(void);
void test_report(void);
void test_delta(void);
void test_ratio(void);
void test_view(void);
void test_time_figures(void);
void test_hostfile(void);
void test_percpu(void);
void test_percpu_panel(void);
void test_history(void);

#endif
