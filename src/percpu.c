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

/* One column: its own reader, and its own count of CPUIDs. */
struct column_reader {
	uint32_t cpu;
	struct collector collector;
	struct reader reader;
	bool ready;
	struct snapshot base, prev, cur;
};

struct percpu_sampler {
	struct collector *vm;
	struct cpu_pin *pin;
	size_t count;
	struct column_reader *columns;
	bool have_prev;
	double prev_at, cur_at;
	char error[160]; /* see percpu_sampler_error */
};

static void column_free(struct column_reader *col)
{
	if (col->ready)
		reader_free(&col->reader);
	collector_free(&col->collector);
	snapshot_free(&col->base);
	snapshot_free(&col->prev);
	snapshot_free(&col->cur);
}

void percpu_sampler_free(struct percpu_sampler *ps)
{
	size_t i;

	if (!ps)
		return;
	for (i = 0; i < ps->count; i++)
		column_free(&ps->columns[i]);
	if (ps->vm)
		ps->vm->also = NULL;
	free(ps->columns);
	free(ps);
}

/*
 * Each column counts its own CPUIDs, and vm counts them all.  vm's own
 * reads happen on the first CPU alone (vcpu_prepare() pinned the process
 * there for the probes, percpu_sampler_pin_first() for the live view's
 * reads), so the first column counts them too, those so far included.
 */
struct percpu_sampler *percpu_sampler_new(struct collector *vm,
					  struct cpu_pin *pin,
					  const uint16_t *list, size_t nlist,
					  bool wide)
{
	struct percpu_sampler *ps = calloc(1, sizeof(*ps));
	uint32_t *cpus = calloc(CPUS_MAX, sizeof(*cpus));
	size_t i, n;

	if (!ps || !cpus)
		goto fail;
	n = cpu_pin_allowed(pin, cpus, CPUS_MAX);
	ps->vm = vm;
	ps->pin = pin;
	ps->columns = calloc(n ? n : 1, sizeof(*ps->columns));
	if (!ps->columns)
		goto fail;
	for (i = 0; i < n; i++) {
		struct column_reader *col = &ps->columns[i];

		ps->count++;
		col->cpu = cpus[i];
		collector_init(&col->collector, false);
		col->collector.also = vm;
		if (!reader_init(&col->reader, &col->collector, list, nlist,
				 wide))
			goto fail;
		col->ready = true;
		reader_select_vcpu(&col->reader);
	}
	if (n) {
		ps->columns[0].collector.issued = vm->issued;
		vm->also = &ps->columns[0].collector;
	}
	free(cpus);
	return ps;
fail:
	free(cpus);
	percpu_sampler_free(ps);
	return NULL;
}

/* Moves to a column's CPU; EXITSTAT_NO_INTERFACE with why when it cannot. */
static int pin_column(struct percpu_sampler *ps, uint32_t cpu)
{
	int err;

	if (cpu_pin_to(ps->pin, cpu))
		return EXITSTAT_OK;
	err = errno;
	cpu_pin_restore(ps->pin);
	snprintf(ps->error, sizeof(ps->error),
		 "cannot run on CPU %" PRIu32 " any more (%s): its vCPU can no longer be read",
		 cpu, strerror(err));
	return EXITSTAT_NO_INTERFACE;
}

int percpu_sampler_pin_first(struct percpu_sampler *ps)
{
	return ps->count ? pin_column(ps, ps->columns[0].cpu) : EXITSTAT_OK;
}

const char *percpu_sampler_error(const struct percpu_sampler *ps)
{
	return ps->error;
}

/* After a reset of the host's counters: figures since then. */
static bool rebase_after_reset(struct column_reader *col, bool have_prev)
{
	snapshot_free(&col->base);
	if (!snapshot_zero_like(&col->cur, col->cur.started_at, &col->base))
		return false;
	if (have_prev) {
		snapshot_free(&col->prev);
		return snapshot_copy(&col->base, &col->prev);
	}
	return true;
}

int percpu_sampler_take(struct percpu_sampler *ps, double now)
{
	struct snapshot next;
	bool first = ps->columns && !ps->columns[0].cur.reasons;
	size_t i;

	int status;

	for (i = 0; i < ps->count; i++) {
		struct column_reader *col = &ps->columns[i];

		status = pin_column(ps, col->cpu);
		if (status != EXITSTAT_OK)
			return status;
		if (!snapshot_take(&col->reader, &next))
			goto oom;
		snapshot_free(&col->prev);
		col->prev = col->cur;
		col->cur = next;
		/* The first sample: figures since the VM started. */
		if (first && !snapshot_zero_like(&next, 0, &col->base))
			goto oom;
		if (next.reset && !rebase_after_reset(col, !first))
			goto oom;
	}
	cpu_pin_restore(ps->pin);
	ps->have_prev = !first;
	ps->prev_at = ps->cur_at;
	ps->cur_at = now;
	return EXITSTAT_OK;
oom:
	cpu_pin_restore(ps->pin);
	return EXITSTAT_FAILURE;
}

/* One line for a failed take, as main() words its own. */
static void say_take_failed(const struct percpu_sampler *ps, int status)
{
	if (status == EXITSTAT_NO_INTERFACE)
		fprintf(stderr, "exitstat: %s\n", ps->error);
	else if (status == EXITSTAT_FAILURE)
		fputs("exitstat: out of memory\n", stderr);
}

bool percpu_sampler_rebase(struct percpu_sampler *ps)
{
	size_t i;

	for (i = 0; i < ps->count; i++) {
		snapshot_free(&ps->columns[i].base);
		if (!snapshot_copy(&ps->columns[i].cur, &ps->columns[i].base))
			return false;
	}
	return true;
}

bool percpu_sampler_reset_seen(const struct percpu_sampler *ps)
{
	size_t i;

	for (i = 0; i < ps->count; i++)
		if (ps->columns[i].cur.reset)
			return true;
	return false;
}

/* The recent fields of since: those of the last interval, or all of it. */
static bool set_recent(struct snapshot *since, const struct snapshot *prev,
		       const struct snapshot *cur, bool include_self)
{
	struct snapshot recent;
	size_t j;

	if (!prev) {
		recent = *since;
	} else {
		if (!snapshot_delta(prev, cur, include_self, &recent))
			return false;
		figures_settle(&recent);
	}
	for (j = 0; j < since->count; j++) {
		since->reasons[j].recent = recent.reasons[j].exits;
		since->reasons[j].recent_cycles = recent.reasons[j].cycles;
	}
	since->total_recent = recent.total_exits;
	since->other_recent = recent.other_exits;
	since->total_recent_cycles = recent.total_cycles;
	since->other_recent_cycles = recent.other_cycles;
	if (prev)
		snapshot_free(&recent);
	return true;
}

bool percpu_sampler_table(const struct percpu_sampler *ps, bool include_self,
			  enum run_mode mode, bool sort, enum sort_key key,
			  struct percpu_table *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->columns = calloc(ps->count ? ps->count : 1, sizeof(*t->columns));
	if (!t->columns)
		return false;
	for (i = 0; i < ps->count; i++) {
		const struct column_reader *cr = &ps->columns[i];
		struct percpu_column *col = &t->columns[i];

		if (!snapshot_delta(&cr->base, &cr->cur, include_self,
				    &col->figures))
			goto fail;
		t->count++;
		figures_settle(&col->figures);
		if (!set_recent(&col->figures,
				ps->have_prev ? &cr->prev : NULL, &cr->cur,
				include_self))
			goto fail;
		col->cpu = cr->cpu;
		col->vcpu = cr->cur.vcpu;
		col->self_exits = cr->cur.self_at_total_read -
				  cr->base.self_at_total_read;
	}
	if (!percpu_sum(t->columns, t->count, &t->sum))
		goto fail;
	figures_present(&t->sum, mode, sort, key);
	return true;
fail:
	percpu_table_free(t);
	return false;
}

double percpu_sampler_seconds(const struct percpu_sampler *ps)
{
	return ps->have_prev ? ps->cur_at - ps->prev_at : 0;
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
	uint16_t scan[READ_REASONS];
	struct percpu_table table = { 0 };
	struct percpu_sampler *ps;
	const uint16_t *list;
	size_t nlist, i, nnotes = 0;
	bool exec_failed = false;
	int status, taken;
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
	ps = percpu_sampler_new(c, pin, list, nlist, host->wide_counts);
	if (!ps) {
		fputs("exitstat: out of memory\n", stderr);
		return EXITSTAT_FAILURE;
	}
	status = percpu_sampler_take(ps, 0);
	say_take_failed(ps, status);
	if (status == EXITSTAT_OK && s->command) {
		/* Figures from here; the command runs unpinned, where it would. */
		if (!percpu_sampler_rebase(ps)) {
			percpu_sampler_free(ps);
			fputs("exitstat: out of memory\n", stderr);
			return EXITSTAT_FAILURE;
		}
		status = command_run(s->command, &style.seconds, &exec_failed);
		taken = percpu_sampler_take(ps, 0);
		say_take_failed(ps, taken);
		if (taken != EXITSTAT_OK)
			status = taken;
		style.counter_reset = percpu_sampler_reset_seen(ps);
		/* One interval: the rates are over the whole span. */
		ps->have_prev = false;
		if (taken != EXITSTAT_OK || exec_failed) {
			percpu_sampler_free(ps);
			return status;
		}
	} else if (status != EXITSTAT_OK) {
		percpu_sampler_free(ps);
		return status;
	}
	if (!percpu_sampler_table(ps, s->include_self, s->mode,
				  s->sort_given || s->mode != MODE_REASONS,
				  s->sort, &table)) {
		percpu_sampler_free(ps);
		fputs("exitstat: out of memory\n", stderr);
		return EXITSTAT_FAILURE;
	}
	for (i = 0; i < table.count; i++)
		style.self_exits += table.columns[i].self_exits;
	style.self_cost = ps->count ? ps->columns[0].cur.self_cost : 0;
	notes[nnotes++] = NOTE_SUM;
	online = sysconf(_SC_NPROCESSORS_ONLN);
	if (online > 0 && (size_t)online > table.count)
		notes[nnotes++] = NOTE_PART;
	if (s->command)
		notes[nnotes++] = NOTE_COMMAND;
	if (!percpu_report(s->command ? stderr : stdout, host, &table, &style,
			   notes))
		status = EXITSTAT_FAILURE;
	percpu_table_free(&table);
	percpu_sampler_free(ps);
	return status;
}
