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

bool snapshot_take(struct collector *c, const uint16_t *reasons, size_t n,
		   bool wide_counts, struct snapshot *out)
{
	struct cpuid_regs exits, cycles;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->wide_counts = wide_counts;
	out->reasons = calloc(n ? n : 1, sizeof(*out->reasons));
	if (!out->reasons)
		return false;
	for (i = 0; i < n; i++) {
		collector_query(c, LEAF_REASON_EXITS, reasons[i], &exits);
		if (reasons[i] == SELF_EXIT_REASON)
			out->self_at_cpuid_read = c->issued;
		collector_query(c, LEAF_REASON_CYCLES, reasons[i], &cycles);
		out->reasons[i] = reason_stat_decode(reasons[i], &exits,
						     &cycles, wide_counts);
	}
	out->count = n;

	collector_query(c, LEAF_TOTAL_EXITS, 0, &exits);
	out->self_at_total_read = c->issued;
	collector_query(c, LEAF_TOTAL_CYCLES, 0, &cycles);
	out->total_exits = wide_counts ? join_u32(exits.ebx, exits.eax)
				       : exits.eax;
	out->total_cycles = join_u32(cycles.ebx, cycles.ecx);
	return true;
}

void snapshot_keep_counted(struct snapshot *snap)
{
	size_t i, kept = 0;

	for (i = 0; i < snap->count; i++)
		if (snap->reasons[i].exits)
			snap->reasons[kept++] = snap->reasons[i];
	snap->count = kept;
}

void snapshot_free(struct snapshot *snap)
{
	free(snap->reasons);
	snap->reasons = NULL;
	snap->count = 0;
}
