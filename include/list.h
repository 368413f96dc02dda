/* exitstat --list: the exit reasons the client knows, and the host's word. */
#ifndef EXITSTAT_LIST_H
#define EXITSTAT_LIST_H

#include <stdio.h>

#include "host.h"
#include "report.h"
#include "snapshot.h"

/*
 * Every reason number below exit_reason_named_limit(): its name, the
 * other spellings --reason accepts, the SDM's words, and what the host
 * says of it (handled, unhandled, undefined, or unknown when the host
 * cannot tell or there is no host).  One CPUID per reason, and none
 * without a host.  Returns an exit status.
 */
int list_run(FILE *out, struct collector *c, const struct host_info *host,
	     enum out_format format);

#endif
