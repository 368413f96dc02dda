#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "command.h"
#include "delta.h"
#include "exit_codes.h"
#include "figures.h"
#include "host.h"
#include "hostview.h"
#include "leaves.h"
#include "list.h"
#include "percpu.h"
#include "report.h"
#include "snapshot.h"
#include "tsc.h"
#include "watch.h"

static void oom(void)
{
	fputs("exitstat: out of memory\n", stderr);
}

/*
 * The one rule of every mode: figures since a baseline, the client's own
 * CPUIDs since then left out unless --include-self.  Prints them.
 */
static bool report_since(const struct settings *s,
			 const struct host_info *host,
			 struct report_style *style,
			 const struct snapshot *baseline,
			 const struct snapshot *cur, FILE *out,
			 const char *const *notes)
{
	struct snapshot figures;
	size_t i;

	if (!snapshot_delta(baseline, cur, s->include_self, &figures))
		return false;
	/* One interval: the rates are over the whole span. */
	figures_settle(&figures);
	for (i = 0; i < figures.count; i++) {
		figures.reasons[i].recent = figures.reasons[i].exits;
		figures.reasons[i].recent_cycles = figures.reasons[i].cycles;
	}
	figures.total_recent = figures.total_exits;
	figures.other_recent = figures.other_exits;
	figures.total_recent_cycles = figures.total_cycles;
	figures.other_recent_cycles = figures.other_cycles;
	figures_present(&figures, s->mode,
			s->sort_given || s->mode != MODE_REASONS, s->sort);
	style->include_self = s->include_self;
	style->self_exits = cur->self_at_total_read -
			    baseline->self_at_total_read;
	style->self_cost = cur->self_cost;
	report_snapshot(out, host, &figures, style, notes);
	snapshot_free(&figures);
	return true;
}

#define NOTE_VM_WIDE \
	"figures are VM-wide: every process and vCPU of this VM, not the command alone"

/* exitstat -- COMMAND: the exits during the command, on stderr. */
static int run_command(const struct settings *s, struct reader *r,
		       const struct host_info *host, struct report_style *style)
{
	const char *notes[] = { NOTE_VM_WIDE, NULL };
	char scope[160];
	struct snapshot before, after;
	bool exec_failed = false, printed;
	int status;

	if (!snapshot_take(r, &before)) {
		oom();
		return EXITSTAT_FAILURE;
	}
	status = command_run(s->command, &style->seconds, &exec_failed);
	if (!snapshot_take(r, &after)) {
		oom();
		snapshot_free(&before);
		return EXITSTAT_FAILURE;
	}
	style->since = SINCE_COMMAND;
	if (s->cpu_given) {
		vcpu_scope(s->cpu, &after, style, scope, sizeof(scope));
		notes[0] = scope;
	}
	if (after.reset) {
		/* Only what came after the reset can be told. */
		snapshot_free(&before);
		if (!snapshot_zero_like(&after, after.started_at, &before)) {
			oom();
			snapshot_free(&after);
			return EXITSTAT_FAILURE;
		}
		style->since = SINCE_COUNTER_RESET;
		style->counter_reset = true;
	}
	printed = exec_failed ||
		  report_since(s, host, style, &before, &after, stderr, notes);
	snapshot_free(&before);
	snapshot_free(&after);
	if (!printed) {
		oom();
		return EXITSTAT_FAILURE;
	}
	return status;
}

/*
 * exitstat --host: the same reports over the VMs' debugfs files, with
 * nothing of exitstat's own to take out.
 */
static int run_host(const struct settings *s, struct collector *c,
		    const struct host_info *host, struct report_style *style,
		    const uint16_t *list, size_t n)
{
	struct snapshot snap, vm_start;
	struct hostview hv;
	bool printed;
	int status;

	hostview_init(&hv, s->host_all, s->host_pid, list, n);
	style->vms = &hv.scope;
	if (s->watch) {
		status = watch_run(s, c, host, style, list, n, &hv, NULL);
		hostview_free(&hv);
		return status;
	}
	status = hostview_take(&hv, &snap);
	if (status != EXITSTAT_OK) {
		if (status == EXITSTAT_FAILURE)
			oom();
		else
			fprintf(stderr, "exitstat: %s\n", hv.error);
		hostview_free(&hv);
		return status;
	}
	printed = snapshot_zero_like(&snap, 0, &vm_start) &&
		  report_since(s, host, style, &vm_start, &snap, stdout, NULL);
	snapshot_free(&vm_start);
	snapshot_free(&snap);
	hostview_free(&hv);
	if (!printed) {
		oom();
		return EXITSTAT_FAILURE;
	}
	return EXITSTAT_OK;
}

/* Reads and prints what the settings ask for; returns an exit status. */
static int run_report(const struct settings *s, struct collector *c,
		      const struct host_info *host, struct cpu_pin *pin)
{
	struct report_style style = {
		.format = s->format, .sort = s->sort, .unit = s->unit,
		.tsc_hz = s->tsc_hz,
	};
	uint16_t scan[READ_REASONS];
	const char *notes[] = { NULL, NULL };
	char scope[160];
	struct snapshot snap, vm_start;
	struct reader reader;
	const uint16_t *list;
	bool printed;
	size_t n;
	int status;

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
	if (s->host)
		return run_host(s, c, host, &style, list, n);
	if (s->watch)
		return watch_run(s, c, host, &style, list, n, NULL, pin);
	if (!reader_init(&reader, c, list, n, host->wide_counts)) {
		oom();
		return EXITSTAT_FAILURE;
	}
	if (s->cpu_given)
		reader_select_vcpu(&reader);
	if (s->command) {
		status = run_command(s, &reader, host, &style);
		reader_free(&reader);
		return status;
	}
	if (!snapshot_take(&reader, &snap)) {
		reader_free(&reader);
		oom();
		return EXITSTAT_FAILURE;
	}
	reader_free(&reader);
	if (s->cpu_given) {
		vcpu_scope(s->cpu, &snap, &style, scope, sizeof(scope));
		notes[0] = scope;
	}
	printed = s->raw || (snapshot_zero_like(&snap, 0, &vm_start) &&
			     report_since(s, host, &style, &vm_start, &snap,
					  stdout, notes));
	if (!s->raw)
		snapshot_free(&vm_start);
	snapshot_free(&snap);
	if (!printed) {
		oom();
		return EXITSTAT_FAILURE;
	}
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
	struct cpu_pin pin;
	char why[200];
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

	/* --cpu, --per-cpu: every CPUID on a known vCPU, the probes too. */
	status = vcpu_prepare(&settings, &pin);
	if (status != EXITSTAT_OK) {
		settings_free(&settings);
		return status;
	}
	collector_init(&collector, settings.raw);
	if (settings.host) {
		/*
		 * KVM's own debugfs: no hypervisor below to probe, and the
		 * figures are 64-bit.  CPUID only for the TSC rate.
		 */
		memset(&host, 0, sizeof(host));
		host.verdict = HOST_READY;
		host.wide_counts = true;
		snprintf(host.vendor, sizeof(host.vendor), "KVMKVMKVM");
	} else {
		host_detect(&collector, &host);
	}
	if (settings.list) {
		/* The list is the client's own knowledge: no host is no error. */
		status = list_run(stdout, &collector, &host, settings.format);
		collector_free(&collector);
		settings_free(&settings);
		return finish_output(status);
	}
	if (host.verdict == HOST_READY && (settings.per_cpu || settings.cpu_given) &&
	    !host.per_vcpu) {
		vcpu_describe_missing(&host, why, sizeof(why));
		fprintf(stderr, "exitstat: %s\n", why);
		status = EXITSTAT_NO_INTERFACE;
	} else if (host.verdict == HOST_READY && settings.per_cpu &&
		   !settings.watch) {
		status = percpu_run(&settings, &collector, &host, &pin);
	} else if (host.verdict == HOST_READY || settings.raw) {
		status = run_report(&settings, &collector, &host, &pin);
	} else {
		status = EXITSTAT_OK;
	}
	cpu_pin_restore(&pin);
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
