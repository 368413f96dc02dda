#include "tsc.h"

#include <time.h>

#define CALIBRATION_NS 50000000ull

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC_RAW, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t calibrate(void)
{
	uint64_t t0, t1, c0, c1;

	t0 = now_ns();
	c0 = __builtin_ia32_rdtsc();
	do
		t1 = now_ns();
	while (t1 != 0 && t1 - t0 < CALIBRATION_NS);
	c1 = __builtin_ia32_rdtsc();
	if (t0 == 0 || t1 <= t0 || c1 <= c0)
		return 0;
	return (uint64_t)((double)(c1 - c0) * 1e9 / (double)(t1 - t0));
}

uint64_t tsc_rate_detect(struct collector *c, const struct host_info *host,
			 const char **source)
{
	struct cpuid_regs r;
	uint32_t max_basic;

	collector_query(c, 0, 0, &r);
	max_basic = r.eax;
	if (max_basic >= 0x15) {
		/* TSC = crystal (ecx) * ebx / eax; zero fields mean unknown. */
		collector_query(c, 0x15, 0, &r);
		if (r.eax && r.ebx && r.ecx) {
			*source = "CPUID leaf 0x15";
			return (uint64_t)r.ecx * r.ebx / r.eax;
		}
	}
	if (max_basic >= 0x16) {
		collector_query(c, 0x16, 0, &r);
		if (r.eax & 0xffff) {
			*source = "CPUID leaf 0x16";
			return (uint64_t)(r.eax & 0xffff) * 1000000ull;
		}
	}
	if (host->max_hv_leaf >= 0x40000010 && host->max_hv_leaf < 0x40010000) {
		collector_query(c, 0x40000010, 0, &r);
		if (r.eax) {
			*source = "CPUID leaf 0x40000010";
			return (uint64_t)r.eax * 1000ull;
		}
	}
	*source = "calibration against CLOCK_MONOTONIC_RAW";
	return calibrate();
}
