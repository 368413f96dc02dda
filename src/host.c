#include "host.h"

#include <stdio.h>
#include <string.h>

#include "leaves.h"

/* Any reason the SDM leaves undefined will do; 35 has been for decades. */
#define PROBE_UNDEFINED_REASON 35u
#define PROBE_CPUID_REASON 10u

static void read_vendor(const struct cpuid_regs *r, char out[13])
{
	uint32_t words[3] = { r->ebx, r->ecx, r->edx };
	size_t i;

	memcpy(out, words, 12);
	out[12] = '\0';
	/* The signature comes from the host: show it, don't trust it. */
	for (i = 0; i < 12 && out[i]; i++)
		if (out[i] < 0x20 || out[i] > 0x7e)
			out[i] = '?';
	while (i > 0 && out[i - 1] == ' ')
		out[--i] = '\0';
}

void host_detect(struct collector *c, struct host_info *host)
{
	struct cpuid_regs r, first, second;

	memset(host, 0, sizeof(*host));
	collector_query(c, 1, 0, &r);
	if (!(r.ecx & (1u << 31))) {
		host->verdict = HOST_NO_HYPERVISOR;
		return;
	}
	collector_query(c, 0x40000000, 0, &r);
	host->max_hv_leaf = r.eax;
	read_vendor(&r, host->vendor);

	host->verdict = HOST_NO_INTERFACE;
	collector_query(c, LEAF_REASON_EXITS, PROBE_UNDEFINED_REASON, &r);
	if (r.eax || r.ebx || r.ecx || r.edx != LEAF_UNDEFINED_MARK) {
		host->failure = "an undefined reason is not marked undefined";
		return;
	}
	/* The second read is itself an exit of reason 10, so it must grow. */
	collector_query(c, LEAF_REASON_EXITS, PROBE_CPUID_REASON, &first);
	collector_query(c, LEAF_REASON_EXITS, PROBE_CPUID_REASON, &second);
	if (second.eax == first.eax) {
		host->failure = "the CPUID exit count does not grow";
		return;
	}
	collector_query(c, LEAF_TOTAL_EXITS, 0, &r);
	host->wide_counts = r.edx == LEAF_EXT_SIGNATURE;
	/* The feature bit means nothing without the signature. */
	host->per_vcpu = host->wide_counts && (r.ecx & LEAF_FEATURE_PER_VCPU);
	host->verdict = HOST_READY;
}

void host_describe_failure(const struct host_info *host, char *buf,
			   size_t len)
{
	if (host->verdict == HOST_NO_HYPERVISOR)
		snprintf(buf, len,
			 "not running under a hypervisor (CPUID.1:ECX[31] is clear)");
	else
		snprintf(buf, len,
			 "hypervisor '%s' does not provide the exit-statistics CPUID leaves (%s)",
			 host->vendor[0] ? host->vendor : "unnamed",
			 host->failure);
}
