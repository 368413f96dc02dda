#include "percpu.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "delta.h"
#include "exit_codes.h"
#include "figures.h"
#include "leaves.h"
#include "tsc.h"

/* a + b, or UINT64_MAX when that does not fit (as figures_settle does). */
static uint64_t add_saturated(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static void add_row(struct reason_stat *to, const struct reason_stat *from)
{
	to->exits = add_saturated(to->exits, from->exits);
	to->cycles = add_saturated(to->cycles, from->cycles);
	to->recent = add_saturated(to->recent, from->recent);
	to->recent_cycles = add_saturated(to->recent_cycles,
					  from->recent_cycles);
}

/* The status the sum shows: counted on any vCPU is counted. */
static enum reason_status sum_status(enum reason_status a,
				     enum reason_status b)
{
	static const int rank[] = {
		[REASON_COUNTED] = 4, [REASON_IDLE] = 3, [REASON_ZERO] = 2,
		[REASON_UNHANDLED] = 1, [REASON_UNDEFINED] = 0,
	};

	return rank[a] >= rank[b] ? a : b;
}

bool percpu_sum(const struct percpu_column *columns, size_t n,
		struct snapshot *sum)
{
	size_t c, i;

	memset(sum, 0, sizeof(*sum));
	if (n == 0)
		return false;
	if (!snapshot_copy(&columns[0].figures, sum))
		return false;
	for (c = 1; c < n; c++) {
		const struct snapshot *col = &columns[c].figures;
		struct reason_stat total = { 0 }, part = { 0 };

		for (i = 0; i < sum->count && i < col->count; i++) {
			add_row(&sum->reasons[i], &col->reasons[i]);
			sum->reasons[i].status = sum_status(
				sum->reasons[i].status, col->reasons[i].status);
		}
		total.exits = sum->total_exits;
		total.cycles = sum->total_cycles;
		total.recent = sum->total_recent;
		total.recent_cycles = sum->total_recent_cycles;
		part.exits = col->total_exits;
		part.cycles = col->total_cycles;
		part.recent = col->total_recent;
		part.recent_cycles = col->total_recent_cycles;
		add_row(&total, &part);
		sum->total_exits = total.exits;
		sum->total_cycles = total.cycles;
		sum->total_recent = total.recent;
		sum->total_recent_cycles = total.recent_cycles;
		sum->other_recent = add_saturated(sum->other_recent,
						  col->other_recent);
		sum->other_recent_cycles = add_saturated(
			sum->other_recent_cycles, col->other_recent_cycles);
		sum->reset = sum->reset || col->reset;
	}
	sum->one_vcpu = false;
	sum->vcpu = 0;
	/* The other row: the sum of the columns' (see figures_settle). */
	figures_settle(sum);
	return true;
}

const struct reason_stat *percpu_cell(const struct percpu_column *column,
				      uint32_t reason)
{
	size_t i;

	for (i = 0; i < column->figures.count; i++)
		if (column->figures.reasons[i].reason == reason)
			return &column->figures.reasons[i];
	return NULL;
}

void percpu_table_free(struct percpu_table *t)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		snapshot_free(&t->columns[i].figures);
	free(t->columns);
	snapshot_free(&t->sum);
	memset(t, 0, sizeof(*t));
}

int vcpu_prepare(const struct settings *s, struct cpu_pin *pin)
{
	char allowed[256];
	uint32_t first;

	memset(pin, 0, sizeof(*pin));
	if (!s->per_cpu && !s->cpu_given)
		return EXITSTAT_OK;
	if (!cpu_pin_save(pin)) {
		perror("exitstat: cannot read the CPU affinity");
		return EXITSTAT_FAILURE;
	}
	cpu_pin_describe(pin, allowed, sizeof(allowed));
	if (s->cpu_given && !cpu_pin_allows(pin, s->cpu)) {
		fprintf(stderr,
			"exitstat: --cpu %u: CPU %u is not online or not one this process may run on (%s) (see exitstat --help)\n",
			s->cpu, s->cpu, allowed);
		return EXITSTAT_USAGE;
	}
	if (s->cpu_given)
		first = s->cpu;
	else if (cpu_pin_allowed(pin, &first, 1) != 1)
		return EXITSTAT_FAILURE; /* an empty mask: cannot happen */
	if (!cpu_pin_to(pin, first)) {
		fprintf(stderr, "exitstat: cannot run on CPU %u: %s\n", first,
			strerror(errno));
		cpu_pin_restore(pin);
		return EXITSTAT_FAILURE;
	}
	return EXITSTAT_OK;
}

void vcpu_scope(uint32_t cpu, const struct snapshot *snap,
		struct report_style *style, char *note, size_t len)
{
	style->one_vcpu = true;
	style->cpu = cpu;
	style->vcpu = snap->vcpu;
	snprintf(note, len,
		 "figures of vCPU %" PRIu32 " alone, read on CPU %" PRIu32
		 ": every process that ran there, not the VM",
		 snap->vcpu, cpu);
}

void vcpu_describe_missing(const struct host_info *host, char *buf,
			   size_t len)
{
	snprintf(buf, len,
		 "hypervisor '%s' does not give the figures of one vCPU (%s): --per-cpu and --cpu need it",
		 host->vendor[0] ? host->vendor : "unnamed",
		 host->wide_counts ? "no per-vCPU bit in ECX of 0x4ffffffc"
				   : "no EXST extension");
}

/* Reads one column: its own reader, and its own count of CPUIDs. */
struct sampler {
	uint32_t cpu;
	struct collector own;
	struct collector *collector;
	struct reader reader;
	bool ready;
};

static void samplers_free(struct sampler *sam, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (sam[i].ready)
			reader_free(&sam[i].reader);
		collector_free(&sam[i].own);
	}
	free(sam);
}

/*
 * The first column counts its CPUIDs in c, which issued every CPUID so far
 * on that CPU: a baseline at 0 then takes them all out, as in a report of
 * the VM.  The others start at 0 on CPUs that saw none of the client's.
 */
static struct sampler *samplers_new(struct collector *c, const uint32_t *cpus,
				    size_t n, const uint16_t *list,
				    size_t nlist, bool wide)
{
	struct sampler *sam = calloc(n, sizeof(*sam));
	size_t i;

	if (!sam)
		return NULL;
	for (i = 0; i < n; i++) {
		sam[i].cpu = cpus[i];
		collector_init(&sam[i].own, false);
		sam[i].collector = i ? &sam[i].own : c;
		if (!reader_init(&sam[i].reader, sam[i].collector, list, nlist,
				 wide)) {
			samplers_free(sam, i + 1);
			return NULL;
		}
		sam[i].ready = true;
		reader_select_vcpu(&sam[i].reader);
	}
	return sam;
}

/* One snapshot per column, each on its CPU; the affinity put back after. */
static int take_all(struct sampler *sam, size_t n, struct cpu_pin *pin,
		    struct snapshot *out)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!cpu_pin_to(pin, sam[i].cpu)) {
			fprintf(stderr, "exitstat: cannot run on CPU %u: %s\n",
				sam[i].cpu, strerror(errno));
			break;
		}
		if (!snapshot_take(&sam[i].reader, &out[i])) {
			fputs("exitstat: out of memory\n", stderr);
			break;
		}
	}
	cpu_pin_restore(pin);
	if (i == n)
		return EXITSTAT_OK;
	for (j = 0; j < i; j++)
		snapshot_free(&out[j]);
	return EXITSTAT_FAILURE;
}

static void snapshots_free(struct snapshot *snaps, size_t n)
{
	size_t i;

	if (!snaps)
		return;
	for (i = 0; i < n; i++)
		snapshot_free(&snaps[i]);
	free(snaps);
}

/* Which reasons to read, in the order to read them (as main.c's). */
static const uint16_t *reasons_to_read(const struct settings *s,
				       uint16_t scan[READ_REASONS], size_t *n)
{
	uint16_t r;

	if (s->mode == MODE_REASONS) {
		*n = s->reasons->count;
		return s->reasons->list;
	}
	for (r = 0; r < READ_REASONS; r++)
		scan[r] = r;
	*n = READ_REASONS;
	return scan;
}

/*
 * The figures of every column since its baseline, by the rule of every
 * mode (snapshot_delta), their sum, and the rows to show.
 */
static bool build_table(const struct settings *s, struct snapshot *base,
			const struct snapshot *cur, size_t n,
			struct percpu_table *t, bool command)
{
	size_t i, j;

	t->columns = calloc(n, sizeof(*t->columns));
	if (!t->columns)
		return false;
	for (i = 0; i < n; i++) {
		struct percpu_column *col = &t->columns[i];
		struct snapshot *fig = &col->figures;

		if (!snapshot_delta(&base[i], &cur[i], s->include_self, fig))
			return false;
		t->count++;
		figures_settle(fig);
		/* One interval: the rates are over the whole span. */
		for (j = 0; j < fig->count; j++) {
			fig->reasons[j].recent = fig->reasons[j].exits;
			fig->reasons[j].recent_cycles = fig->reasons[j].cycles;
		}
		fig->total_recent = fig->total_exits;
		fig->other_recent = fig->other_exits;
		fig->total_recent_cycles = fig->total_cycles;
		fig->other_recent_cycles = fig->other_cycles;
		col->cpu = 0;
		col->vcpu = cur[i].vcpu;
		col->self_exits = cur[i].self_at_total_read -
				  base[i].self_at_total_read;
	}
	(void)command;
	if (!percpu_sum(t->columns, n, &t->sum))
		return false;
	figures_present(&t->sum, s->mode, s->sort_given || s->mode != MODE_REASONS,
			s->sort);
	return true;
}

#define NOTE_SUM "TOTAL is the sum of the CPUs' columns, each read on its CPU in turn"
#define NOTE_PART "only the CPUs this process may run on are read: TOTAL is not the VM's"
#define NOTE_COMMAND "figures are each vCPU's: every process that ran there, not the command alone"

int percpu_run(const struct settings *s, struct collector *c,
	       const struct host_info *host, struct cpu_pin *pin)
{
	struct report_style style = {
		.format = s->format, .sort = s->sort, .unit = s->unit,
		.tsc_hz = s->tsc_hz, .include_self = s->include_self,
		.since = s->command ? SINCE_COMMAND : SINCE_VM_START,
	};
	const char *notes[4] = { NULL };
	uint32_t cpus[CPUS_MAX];
	uint16_t scan[READ_REASONS];
	struct snapshot *base = NULL, *cur = NULL;
	struct percpu_table table = { 0 };
	struct sampler *sam = NULL;
	const uint16_t *list;
	size_t n, nlist, i, nnotes = 0;
	bool exec_failed = false;
	int status = EXITSTAT_FAILURE, taken;
	long online;

	if (style.tsc_hz == 0 && (style.unit != UNIT_CYCLES || s->command)) {
		style.tsc_hz = tsc_rate_detect(c, host, &style.tsc_source);
		if (style.tsc_hz == 0 && style.unit != UNIT_CYCLES) {
			fputs("exitstat: cannot find the TSC rate; give it with --tsc-hz\n",
			      stderr);
			return EXITSTAT_FAILURE;
		}
	}
	list = reasons_to_read(s, scan, &nlist);
	n = cpu_pin_allowed(pin, cpus, CPUS_MAX);
	sam = samplers_new(c, cpus, n, list, nlist, host->wide_counts);
	base = calloc(n, sizeof(*base));
	cur = calloc(n, sizeof(*cur));
	if (!sam || !base || !cur)
		goto oom;
	if (s->command) {
		if ((taken = take_all(sam, n, pin, base)) != EXITSTAT_OK)
			goto out;
		/* Unpinned: the command runs where it would have. */
		status = command_run(s->command, &style.seconds, &exec_failed);
		if ((taken = take_all(sam, n, pin, cur)) != EXITSTAT_OK) {
			status = taken;
			goto out;
		}
		for (i = 0; i < n; i++) {
			if (!cur[i].reset)
				continue;
			/* Only what came after the reset can be told. */
			snapshot_free(&base[i]);
			if (!snapshot_zero_like(&cur[i], cur[i].started_at,
						&base[i]))
				goto oom;
			style.counter_reset = true;
		}
		if (exec_failed)
			goto out;
	} else {
		if ((status = take_all(sam, n, pin, cur)) != EXITSTAT_OK)
			goto out;
		for (i = 0; i < n; i++)
			if (!snapshot_zero_like(&cur[i], 0, &base[i]))
				goto oom;
	}
	if (!build_table(s, base, cur, n, &table, s->command != NULL))
		goto oom;
	for (i = 0; i < n; i++) {
		table.columns[i].cpu = cpus[i];
		style.self_exits += table.columns[i].self_exits;
	}
	style.self_cost = cur[0].self_cost;
	notes[nnotes++] = NOTE_SUM;
	online = sysconf(_SC_NPROCESSORS_ONLN);
	if (online > 0 && (size_t)online > n)
		notes[nnotes++] = NOTE_PART;
	if (s->command)
		notes[nnotes++] = NOTE_COMMAND;
	percpu_report(s->command ? stderr : stdout, host, &table, &style,
		      notes);
	if (!s->command)
		status = EXITSTAT_OK;
	goto out;
oom:
	fputs("exitstat: out of memory\n", stderr);
	status = EXITSTAT_FAILURE;
out:
	cpu_pin_restore(pin);
	percpu_table_free(&table);
	/* Snapshots not taken are all zeros: freeing them is a no-op. */
	snapshots_free(base, n);
	snapshots_free(cur, n);
	if (sam)
		samplers_free(sam, n);
	return status;
}
