#include "metrics.h"

#include <inttypes.h>

#include "exit_reasons.h"

/* A label value: backslash, double quote and newline are escaped. */
static void label_value(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void family(FILE *out, const char *name, const char *type,
		   const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void by_reason(FILE *out, const char *name, const struct snapshot *snap,
		      bool cycles)
{
	size_t i;

	for (i = 0; i < snap->count; i++) {
		const struct reason_stat *st = &snap->reasons[i];
		const char *reason_name = exit_reason_name(st->reason);

		fprintf(out, "%s{reason=\"%" PRIu32 "\",name=", name,
			st->reason);
		/* An empty label is the same as none for a reason without a name. */
		label_value(out, reason_name ? reason_name : "");
		fprintf(out, "} %" PRIu64 "\n", cycles ? st->cycles : st->exits);
	}
	/*
	 * What the total holds beyond the reasons read (exit codes the host
	 * files under no reason, or reasons not asked for), so that the
	 * series of a family add up to its all_ counterpart, as in the
	 * table.
	 */
	if (snap->other_exits || snap->other_cycles)
		fprintf(out, "%s{reason=\"other\",name=\"other\"} %" PRIu64 "\n",
			name, cycles ? snap->other_cycles : snap->other_exits);
}

void metrics_print(FILE *out, const struct host_info *host,
		   const struct snapshot *snap,
		   const struct report_style *style)
{
	family(out, "exitstat_exits_total", "counter",
	       "VM exits of this virtual machine since it started, by basic exit reason, as counted by its host; reason other holds the rest of the total.");
	by_reason(out, "exitstat_exits_total", snap, false);
	family(out, "exitstat_exit_cycles_total", "counter",
	       "Host TSC cycles spent handling this virtual machine's exits since it started, by basic exit reason; reason other holds the rest of the total.");
	by_reason(out, "exitstat_exit_cycles_total", snap, true);

	family(out, "exitstat_all_exits_total", "counter",
	       "Every VM exit of this virtual machine since it started, whatever its reason.");
	fprintf(out, "exitstat_all_exits_total %" PRIu64 "\n", snap->total_exits);
	family(out, "exitstat_all_exit_cycles_total", "counter",
	       "Host TSC cycles spent handling every exit of this virtual machine since it started.");
	fprintf(out, "exitstat_all_exit_cycles_total %" PRIu64 "\n",
		snap->total_cycles);

	if (style->tsc_hz) {
		family(out, "exitstat_tsc_hertz", "gauge",
		       "The host TSC rate: cycles per second, to turn cycles into host CPU time.");
		fputs("exitstat_tsc_hertz{source=", out);
		label_value(out, tsc_source_name(style));
		fprintf(out, "} %" PRIu64 "\n", style->tsc_hz);
	}
	family(out, "exitstat_host_info", "gauge",
	       "Always 1: the hypervisor's signature and the width of its counters (32-bit counters wrap).");
	fputs("exitstat_host_info{vendor=", out);
	label_value(out, host->vendor);
	fprintf(out, ",count_bits=\"%d\"} 1\n", snap->wide_counts ? 64 : 32);
}
