#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "command.h"
#include "delta.h"
#include "exit_codes.h"
#include "host.h"
#include "leaves.h"
#include "list.h"
#include "report.h"
#include "snapshot.h"
#include "tsc.h"
#include "watch.h"

static void oom(void)
{
	fputs("exitstat: out of memory\n", stderr);
}

/* Which reasons to read, in the order to read them. */
static const uint16_t *reasons_to_read(const struct settings *s,
				       uint16_t scan[SCAN_REASONS], size_t *n)
{
	uint16_t r;

	if (s->mode == MODE_REASONS) {
		*n = s->reasons->count;
		return s->reasons->list;
	}
	for (r = 0; r < SCAN_REASONS; r++)
		scan[r] = r;
	*n = SCAN_REASONS;
	return scan;
}

#define NOTE_VM_WIDE \
	"figures are VM-wide: every process and vCPU of this VM, not the command alone"

/* exitstat -- COMMAND: the exits during the command, on stderr. */
static int run_command(const struct settings *s, struct collector *c,
		       const struct host_info *host, struct report_style *style,
		       const uint16_t *list, size_t n)
{
	struct snapshot before, after, during;
	char self_note[96];
	const char *notes[] = { NOTE_VM_WIDE, self_note, NULL };
	size_t i;
	int status;

	if (!snapshot_take(c, list, n, host->wide_counts, &before)) {
		oom();
		return EXITSTAT_FAILURE;
	}
	status = s->command ? command_run(s->command, &style->seconds) : 0;
	if (!snapshot_take(c, list, n, host->wide_counts, &after) ||
	    !snapshot_delta(&before, &after, s->include_self, &during)) {
		oom();
		snapshot_free(&before);
		snapshot_free(&after);
		return EXITSTAT_FAILURE;
	}
	snprintf(self_note, sizeof(self_note),
		 "exitstat's own %" PRIu64 " CPUID exits are %s",
		 after.self_at_total_read - before.self_at_total_read,
		 s->include_self ? "included" : "left out");
	/* The command's run is the one interval: its rate orders by its exits. */
	for (i = 0; i < during.count; i++)
		during.reasons[i].recent = during.reasons[i].exits;
	if (s->mode == MODE_SUMMARY)
		snapshot_keep_counted(&during);
	if (s->sort_given || s->mode != MODE_REASONS)
		report_sort(during.reasons, during.count, s->sort);
	if (status != EXITSTAT_CMD_NOTFOUND && status != EXITSTAT_CMD_NOEXEC)
		report_snapshot(stderr, host, &during, style, notes);
	snapshot_free(&before);
	snapshot_free(&after);
	snapshot_free(&during);
	return status;
}

/* Reads and prints what the settings ask for; returns an exit status. */
static int run_report(const struct settings *s, struct collector *c,
		      const struct host_info *host)
{
	struct report_style style = {
		.format = s->format, .sort = s->sort, .unit = s->unit,
		.tsc_hz = s->tsc_hz,
	};
	uint16_t scan[SCAN_REASONS];
	struct snapshot snap;
	const uint16_t *list;
	size_t n;

	/*
	 * Time needs the TSC rate, and so does the share of a host CPU that
	 * figures over an interval give; Prometheus gets it as a gauge.
	 */
	if (style.tsc_hz == 0 &&
	    (style.unit != UNIT_CYCLES || s->watch || s->command ||
	     s->format == FORMAT_PROMETHEUS)) {
		style.tsc_hz = tsc_rate_detect(c, host, &style.tsc_source);
		if (style.tsc_hz == 0 && style.unit != UNIT_CYCLES) {
			fputs("exitstat: cannot find the TSC rate; give it with --tsc-hz\n",
			      stderr);
			return EXITSTAT_FAILURE;
		}
	}
	list = reasons_to_read(s, scan, &n);
	if (s->watch)
		return watch_run(s, c, host, &style, list, n);
	if (s->command)
		return run_command(s, c, host, &style, list, n);
	if (!snapshot_take(c, list, n, host->wide_counts, &snap)) {
		oom();
		return EXITSTAT_FAILURE;
	}
	if (s->mode == MODE_SUMMARY)
		snapshot_keep_counted(&snap);
	if (s->sort_given || s->mode != MODE_REASONS)
		report_sort(snap.reasons, snap.count, s->sort);
	if (!s->raw)
		report_snapshot(stdout, host, &snap, &style, NULL);
	snapshot_free(&snap);
	return EXITSTAT_OK;
}

static int finish_output(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	/* A reader that went away (exitstat | head) is not an error to report. */
	if (errno != EPIPE)
		perror("exitstat: write error");
	return status == EXITSTAT_OK ? EXITSTAT_FAILURE : status;
}

int main(int argc, char **argv)
{
	struct settings settings;
	struct host_info host;
	struct collector collector;
	char why[160];
	int status;

	switch (cli_parse(argc, argv, &settings)) {
	case CLI_RUN:
		break;
	case CLI_DONE:
		settings_free(&settings);
		return finish_output(EXITSTAT_OK);
	case CLI_USAGE:
		settings_free(&settings);
		return EXITSTAT_USAGE;
	case CLI_NOMEM:
		settings_free(&settings);
		oom();
		return EXITSTAT_FAILURE;
	}

	collector_init(&collector, settings.raw);
	host_detect(&collector, &host);
	if (settings.list) {
		/* The list is the client's own knowledge: no host is no error. */
		status = list_run(stdout, &collector, &host, settings.format);
		collector_free(&collector);
		settings_free(&settings);
		return finish_output(status);
	}
	if (host.verdict == HOST_READY || settings.raw)
		status = run_report(&settings, &collector, &host);
	else
		status = EXITSTAT_OK;
	if (settings.raw) {
		if (collector.log_failed) {
			oom();
			status = EXITSTAT_FAILURE;
		} else {
			report_raw(stdout, &collector, settings.format);
		}
	}
	if (host.verdict != HOST_READY && status == EXITSTAT_OK) {
		host_describe_failure(&host, why, sizeof(why));
		fprintf(stderr, "exitstat: %s\n", why);
		status = EXITSTAT_NO_INTERFACE;
	}
	collector_free(&collector);
	settings_free(&settings);
	return finish_output(status);
}
