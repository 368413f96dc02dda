#include "unit.h"

int unit_passed, unit_failed;

int main(void)
{
	test_parse();
	test_reasons();
	test_decode();
	test_report();
	test_delta();
	test_ratio();
	test_view();
	test_time_figures();
	test_hostfile();
	test_percpu();
	test_percpu_panel();
	test_history();
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}
