#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "leaves.h"

void collector_init(struct collector *c, bool logging)
{
	memset(c, 0, sizeof(*c));
	c->logging = logging;
}

void collector_free(struct collector *c)
{
	free(c->log);
	c->log = NULL;
	c->log_len = c->log_cap = 0;
}

static void collector_log(struct collector *c, uint32_t leaf,
			  uint32_t subleaf, const struct cpuid_regs *regs)
{
	struct cpuid_record *grown;

	if (c->log_len == c->log_cap) {
		size_t cap = c->log_cap ? c->log_cap * 2 : 256;

		grown = realloc(c->log, cap * sizeof(*grown));
		if (!grown) {
			c->log_failed = true;
			return;
		}
		c->log = grown;
		c->log_cap = cap;
	}
	c->log[c->log_len].leaf = leaf;
	c->log[c->log_len].subleaf = subleaf;
	c->log[c->log_len].regs = *regs;
	c->log_len++;
}

void collector_query(struct collector *c, uint32_t leaf, uint32_t subleaf,
		     struct cpuid_regs *out)
{
	cpuid_port_query(leaf, subleaf, out);
	c->issued++;
	if (c->also)
		c->also->issued++;
	if (c->logging)
		collector_log(c, leaf, subleaf, out);
}

const char *reason_status_name(enum reason_status status)
{
	switch (status) {
	case REASON_COUNTED:
		return "counted";
	case REASON_IDLE:
		return "idle";
	case REASON_ZERO:
		return "zero";
	case REASON_UNHANDLED:
		return "unhandled";
	case REASON_UNDEFINED:
		return "undefined";
	}
	return "?";
}

struct reason_stat reason_stat_decode(uint32_t reason,
				      const struct cpuid_regs *exits,
				      const struct cpuid_regs *cycles,
				      bool wide_counts)
{
	struct reason_stat st = { .reason = reason };

	if (exits->edx == LEAF_UNDEFINED_MARK) {
		st.status = REASON_UNDEFINED;
		return st;
	}
	/* Without the signature ebx may be anything: never read it then. */
	st.exits = wide_counts ? join_u32(exits->ebx, exits->eax) : exits->eax;
	st.cycles = join_u32(cycles->ebx, cycles->ecx);
	if (st.exits || st.cycles)
		st.status = REASON_COUNTED;
	else if (!wide_counts)
		st.status = REASON_ZERO;
	else if (exits->edx == LEAF_EXT_SIGNATURE)
		st.status = REASON_IDLE;
	else
		st.status = REASON_UNHANDLED;
	return st;
}

bool reader_init(struct reader *r, struct collector *c,
		 const uint16_t *reasons, size_t n, bool wide_counts)
{
	memset(r, 0, sizeof(*r));
	r->collector = c;
	r->reasons = reasons;
	r->count = n;
	r->wide_counts = wide_counts;
	r->last = calloc(n ? n : 1, sizeof(*r->last));
	r->changed = calloc(n ? n : 1, sizeof(*r->changed));
	if (!r->last || !r->changed) {
		reader_free(r);
		return false;
	}
	return true;
}

void reader_select_vcpu(struct reader *r)
{
	r->select = LEAF_VCPU_SELECT;
}

void reader_free(struct reader *r)
{
	free(r->last);
	free(r->changed);
	r->last = NULL;
	r->changed = NULL;
}

/*
 * Whether a reason is defined cannot change while the VM lives.  One the
 * host does not handle stays empty until exits of it are counted, which
 * the remainder of the total shows (recheck_unhandled).
 */
static bool settled_empty(const struct reader *r, const struct reason_stat *st)
{
	return st->status == REASON_UNDEFINED ||
	       (st->status == REASON_UNHANDLED && !r->recheck_unhandled);
}

/*
 * Reads one listed reason, or knows it from the last read.  Reason 10's
 * cycles are left for take_once() to read last, next to the totals:
 * returns true for it.
 */
static bool read_reason(struct reader *r, size_t i, struct snapshot *out)
{
	const struct reason_stat *last = &r->last[i];
	const uint32_t reason = r->reasons[i];
	struct cpuid_regs exits, cycles = { 0, 0, 0, 0 };
	struct reason_stat *st = &out->reasons[i];
	const bool was_changed = r->changed[i];

	if (r->primed && settled_empty(r, last)) {
		*st = *last;
		return false;
	}
	collector_query(r->collector, LEAF_REASON_EXITS, reason | r->select,
			&exits);
	if (reason == SELF_EXIT_REASON)
		out->self_at_cpuid_read = r->collector->issued;
	*st = reason_stat_decode(reason, &exits, &cycles, r->wide_counts);
	if (st->status == REASON_UNDEFINED)
		return false;
	if (reason == SELF_EXIT_REASON)
		return true;
	/*
	 * No exit since the last two reads, no new cycles; none ever, none
	 * at all.
	 */
	r->changed[i] = r->primed ? st->exits != last->exits : st->exits != 0;
	if (!r->changed[i] && !(r->primed && was_changed)) {
		if (r->primed)
			st->cycles = last->cycles;
		if (st->cycles)
			st->status = REASON_COUNTED;
		return false;
	}
	collector_query(r->collector, LEAF_REASON_CYCLES, reason | r->select,
			&cycles);
	*st = reason_stat_decode(reason, &exits, &cycles, r->wide_counts);
	return false;
}

/* Counters below their last reading: the host started them again. */
static bool went_back(const struct reader *r, const struct snapshot *s)
{
	size_t i;

	if (!r->primed)
		return false;
	if (s->total_cycles < r->last_total_cycles ||
	    (r->wide_counts && s->total_exits < r->last_total_exits))
		return true;
	for (i = 0; i < s->count; i++)
		if (s->reasons[i].cycles < r->last[i].cycles ||
		    (r->wide_counts && s->reasons[i].exits < r->last[i].exits))
			return true;
	return false;
}

static void take_once(struct reader *r, struct snapshot *out)
{
	struct collector *c = r->collector;
	struct cpuid_regs exits, cycles, early, late;
	uint64_t early_at, own;
	size_t i, self = r->count;

	/*
	 * The cost of one of the client's own exits is what reason 10's
	 * cycles grew by from the first read to the last, over the exits
	 * the reads between caused: an average over the whole snapshot, as
	 * one exit may cost far more than the next.  A cycles read never
	 * includes its own exit, and every exit before it is handled.
	 */
	out->started_at = early_at = c->issued;
	collector_query(c, LEAF_REASON_CYCLES, SELF_EXIT_REASON | r->select,
			&early);
	for (i = 0; i < r->count; i++)
		if (read_reason(r, i, out))
			self = i;
	/*
	 * Reason 10's cycles last, next to the totals, so that all but two
	 * of the own exits the total's correction takes out are measured,
	 * not estimated.
	 */
	out->self_at_cpuid_cycles = c->issued;
	collector_query(c, LEAF_REASON_CYCLES, SELF_EXIT_REASON | r->select,
			&late);
	own = out->self_at_cpuid_cycles - early_at;
	out->self_cost = (join_u32(late.ebx, late.ecx) -
			  join_u32(early.ebx, early.ecx)) / own;
	if (self < r->count) {
		struct reason_stat *st = &out->reasons[self];

		st->cycles = join_u32(late.ebx, late.ecx);
		if (st->cycles && st->status != REASON_UNDEFINED)
			st->status = REASON_COUNTED;
	}

	collector_query(c, LEAF_TOTAL_EXITS, r->select, &exits);
	out->self_at_total_read = c->issued;
	out->self_at_total_cycles = c->issued;
	collector_query(c, LEAF_TOTAL_CYCLES, r->select, &cycles);
	out->one_vcpu = r->select != 0;
	out->vcpu = out->one_vcpu ? cycles.eax : 0;
	out->total_exits = r->wide_counts ? join_u32(exits.ebx, exits.eax)
					  : exits.eax;
	out->total_cycles = join_u32(cycles.ebx, cycles.ecx);
}

/* See reader.last_unexplained; modulo 2^64, so a wrapped total errs on
 * the side of reading again. */
static uint64_t unexplained(const struct reader *r, const struct snapshot *s)
{
	/* Without reason 10 listed, every CPUID the client issued is in it. */
	uint64_t rest = s->total_exits, own = s->self_at_total_read;
	size_t i;

	for (i = 0; i < s->count; i++) {
		rest -= s->reasons[i].exits;
		if (r->reasons[i] == SELF_EXIT_REASON)
			own = s->self_at_total_read - s->self_at_cpuid_read;
	}
	return rest - own;
}

bool snapshot_take(struct reader *r, struct snapshot *out)
{
	uint64_t rest;

	memset(out, 0, sizeof(*out));
	out->wide_counts = r->wide_counts;
	out->count = r->count;
	out->reasons = calloc(r->count ? r->count : 1, sizeof(*out->reasons));
	if (!out->reasons)
		return false;
	take_once(r, out);
	if (went_back(r, out)) {
		/*
		 * What was known may be stale: read everything again.  The
		 * first pass's reads were counted after the reset too.
		 */
		uint64_t started_at = out->started_at;

		r->primed = false;
		take_once(r, out);
		out->started_at = started_at;
		out->reset = true;
	}
	rest = unexplained(r, out);
	r->recheck_unhandled = r->primed && rest > r->last_unexplained;
	r->last_unexplained = rest;
	memcpy(r->last, out->reasons, r->count * sizeof(*r->last));
	r->last_total_exits = out->total_exits;
	r->last_total_cycles = out->total_cycles;
	r->primed = true;
	return true;
}

void snapshot_free(struct snapshot *snap)
{
	free(snap->reasons);
	snap->reasons = NULL;
	snap->count = 0;
}
