#include <string.h>

#include "exit_reasons.h"
#include "unit.h"

static int lookup_is(const char *name, uint32_t want)
{
	uint32_t got = 9999;

	return exit_reason_lookup(name, &got) && got == want;
}

void test_reasons(void)
{
	static const uint32_t undefined[] = { 35, 38, 42, 71, 82, 83, 86, 1000 };
	uint32_t r, named = 0;
	size_t i;

	for (r = 0; r < 76; r++)
		if (exit_reason_name(r))
			named++;
	CHECK(named == 72, "0-75 has 72 named reasons");
	for (i = 0; i < sizeof(undefined) / sizeof(undefined[0]); i++)
		CHECK(exit_reason_name(undefined[i]) == NULL,
		      "undefined reasons have no name");
	CHECK(strcmp(exit_reason_name(10), "CPUID") == 0, "name of 10");
	CHECK(strcmp(exit_reason_name(48), "EPT_VIOLATION") == 0, "name of 48");
	CHECK(strcmp(exit_reason_name(75), "NOTIFY") == 0, "name of 75");
	CHECK(strcmp(exit_reason_name(76), "SEAMCALL") == 0, "name of 76");
	CHECK(strcmp(exit_reason_name(77), "TDCALL") == 0, "name of 77");
	CHECK(strcmp(exit_reason_name(78), "RDMSRLIST") == 0, "name of 78");
	CHECK(strcmp(exit_reason_name(79), "WRMSRLIST") == 0, "name of 79");
	CHECK(strcmp(exit_reason_name(85), "MSR_WRITE_IMM") == 0, "name of 85");
	CHECK(exit_reason_summary(10) != NULL && exit_reason_summary(35) == NULL,
	      "summaries follow names");

	CHECK(lookup_is("cpuid", 10), "lookup lower case");
	CHECK(lookup_is("CPUID", 10), "lookup upper case");
	CHECK(lookup_is("Ept_Violation", 48), "lookup mixed case");
	CHECK(lookup_is("EXIT_REASON_HLT", 12), "lookup with Linux prefix");
	CHECK(lookup_is("exit_reason_io_instruction", 30),
	      "lookup prefix lower case");
	CHECK(lookup_is("rdmsr", 31), "lookup SDM instruction alias");
	CHECK(lookup_is("VMOFF", 26), "lookup old Linux name");
	CHECK(lookup_is("tdcall", 77), "lookup past 75");
	CHECK(!lookup_is("", 0), "lookup empty");
	CHECK(!lookup_is("EXIT_REASON_", 0), "lookup bare prefix");
	CHECK(!lookup_is("cpuidx", 10), "lookup near miss");
	for (named = 0, r = 0; r < 86; r++) {
		const char *name = exit_reason_name(r);
		uint32_t back = 9999;

		if (name && exit_reason_lookup(name, &back) && back == r)
			named++;
	}
	CHECK(named == 80, "every name looks up to its own number");
}
