/*
 * The Prometheus text exposition format (version 0.0.4), as read by
 * node_exporter's textfile collector and by Prometheus itself.
 */
#ifndef EXITSTAT_METRICS_H
#define EXITSTAT_METRICS_H

#include <stdio.h>

#include "host.h"
#include "report.h"
#include "snapshot.h"

/*
 * Counters since VM start (the report's figures: figures_settle() must
 * have run): exits and cycles by reason, labelled with the reason's
 * number and name, and the other row as reason "other" when it holds
 * anything, so that each family adds up to its total; then the totals,
 * the TSC rate (when known) and an info metric naming the host.
 */
void metrics_print(FILE *out, const struct host_info *host,
		   const struct snapshot *snap,
		   const struct report_style *style);

#endif
