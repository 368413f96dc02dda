/* exitstat --watch and --batch: figures over time. */
#ifndef EXITSTAT_WATCH_H
#define EXITSTAT_WATCH_H

#include "cli.h"
#include "cpus.h"
#include "host.h"
#include "report.h"
#include "snapshot.h"

struct hostview;

/*
 * Runs until q, a signal or --iterations; returns an exit status.  The
 * snapshots come from the hostview with --host (NULL otherwise).
 */
int watch_run(const struct settings *s, struct collector *c,
	      const struct host_info *host, const struct report_style *style,
	      const uint16_t *reasons, size_t nreasons,
	      struct hostview *hostview, struct cpu_pin *pin);

#endif
