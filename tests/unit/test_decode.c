#include <string.h>

#include "leaves.h"
#include "snapshot.h"
#include "unit.h"

static struct reason_stat decode(struct cpuid_regs exits,
				 struct cpuid_regs cycles, bool wide)
{
	return reason_stat_decode(10, &exits, &cycles, wide);
}

void test_decode(void)
{
	const struct cpuid_regs zero = { 0, 0, 0, 0 };
	const struct cpuid_regs undef = { 0, 0, 0, LEAF_UNDEFINED_MARK };
	struct reason_stat st;

	CHECK(join_u32(0x12, 0x3456789a) == 0x123456789aull, "join high/low");
	CHECK(join_u32(0xffffffff, 0xffffffff) == UINT64_MAX, "join max");
	CHECK(join_u32(0, 0xffffffff) == 0xffffffffull, "join low only");

	st = decode(undef, undef, false);
	CHECK(st.status == REASON_UNDEFINED && st.exits == 0 && st.cycles == 0,
	      "undefined reason");
	st = decode((struct cpuid_regs){ 5, 0, 0, 0 },
		    (struct cpuid_regs){ 0, 0x1, 0x2, 0 }, false);
	CHECK(st.status == REASON_COUNTED && st.exits == 5 &&
		      st.cycles == 0x100000002ull,
	      "counted, cycles joined from ebx:ecx");
	st = decode((struct cpuid_regs){ 5, 0xdeadbeef, 0, 0 }, zero, false);
	CHECK(st.exits == 5, "base contract ignores ebx of the count");
	st = decode((struct cpuid_regs){ 5, 2, 0, LEAF_EXT_SIGNATURE }, zero,
		    true);
	CHECK(st.exits == 0x200000005ull, "extension joins ebx:eax counts");
	st = decode((struct cpuid_regs){ 0xffffffff, 0, 0, 0 }, zero, false);
	CHECK(st.exits == 0xffffffffull, "32-bit count at its top");
	st = decode(zero, (struct cpuid_regs){ 0, 0, 7, 0 }, false);
	CHECK(st.status == REASON_COUNTED, "cycles alone make it counted");
	st = decode(zero, zero, false);
	CHECK(st.status == REASON_ZERO, "base contract: zeros are ambiguous");
	st = decode(zero, zero, true);
	CHECK(st.status == REASON_UNHANDLED, "extension: zeros are unhandled");
	st = decode((struct cpuid_regs){ 0, 0, 0, LEAF_EXT_SIGNATURE }, zero,
		    true);
	CHECK(st.status == REASON_IDLE, "extension: signature means handled");
	CHECK(strcmp(reason_status_name(REASON_UNDEFINED), "undefined") == 0 &&
		      strcmp(reason_status_name(REASON_UNHANDLED),
			     "unhandled") == 0,
	      "status names");
}
