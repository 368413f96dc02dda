/*
 * exitstat --host: the figures of the VMs on this KVM host, read from
 * their debugfs exit_stats files and summed into the same snapshot the
 * CPUID leaves give a guest, so that every report and view shows them.
 */
#ifndef EXITSTAT_HOSTVIEW_H
#define EXITSTAT_HOSTVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostfile.h"
#include "snapshot.h"

/* Where KVM's debugfs directory is, unless EXITSTAT_KVM_DEBUGFS says. */
#define HOSTVIEW_DEFAULT_ROOT "/sys/kernel/debug/kvm"
#define HOSTVIEW_ROOT_ENV "EXITSTAT_KVM_DEBUGFS"

/* "PID-FD", the name of a VM's directory. */
#define VM_NAME_LEN 24

/* Which VMs a report's figures are the sum of, for its header. */
struct vm_scope {
	bool all;     /* every VM; else those of process pid */
	uint32_t pid;
	size_t count; /* VMs summed */
	const char (*names)[VM_NAME_LEN]; /* in order of pid, then fd */
};

/*
 * "all VMs, 2 summed: 1234-11 1250-12", "the VM of process 1234: ...":
 * the names while they fit in len, then " ...".
 */
void vm_scope_describe(const struct vm_scope *scope, char *buf, size_t len);

struct hostview {
	const char *root;
	struct vm_scope scope; /* of the last snapshot taken */
	const uint16_t *reasons; /* to report, as the reader's list */
	size_t nreasons;
	bool primed;
	/* The VMs of the last snapshot and their files as read then. */
	size_t nvms, cap;
	char (*names)[VM_NAME_LEN];
	struct hostfile *files;
	char error[512]; /* why the last take failed, one line */
};

/* The root is the environment's or the default. */
void hostview_init(struct hostview *hv, bool all, uint32_t pid,
		   const uint16_t *reasons, size_t nreasons);
void hostview_free(struct hostview *hv);

/*
 * Reads the selected VMs' files and sums them.  The snapshot is marked
 * reset when the set of VMs changed since the last one, or a VM's
 * counters went back.  Returns EXITSTAT_OK, EXITSTAT_FAILURE (out of
 * memory) or EXITSTAT_NO_INTERFACE with the reason in hv->error.
 */
int hostview_take(struct hostview *hv, struct snapshot *out);

#endif
