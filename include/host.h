/* Finding out whether the hypervisor below provides the leaves. */
#ifndef EXITSTAT_HOST_H
#define EXITSTAT_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"

enum host_verdict {
	HOST_READY,	    /* the leaves answer as the contract says */
	HOST_NO_HYPERVISOR, /* CPUID.1:ECX[31] is clear */
	HOST_NO_INTERFACE,  /* a hypervisor without the leaves */
};

struct host_info {
	enum host_verdict verdict;
	char vendor[13];     /* 0x40000000 signature, printable ASCII */
	uint32_t max_hv_leaf;
	bool wide_counts;    /* EXST extension present */
	bool per_vcpu;	     /* the figures of one vCPU can be read */
	const char *failure; /* which probe failed, for HOST_NO_INTERFACE */
};

void host_detect(struct collector *c, struct host_info *host);

/* The one line that says why the host can't be used (no newline). */
void host_describe_failure(const struct host_info *host, char *buf,
			   size_t len);

#endif
