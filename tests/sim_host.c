/*
 * A simulated host behind the CPUID seam, for tests/exitstat-sim.  It
 * follows man/exitstat-cpuid.7 to the letter, including the observer
 * effect: every CPUID it answers is one more exit of reason 10, counted
 * before the answer, and its cycles are added after it.
 *
 * The scenario comes from the file named by EXITSTAT_SIM, one directive a
 * line (see tests/scenarios/ for examples):
 *   vendor NAME | vendor none     hypervisor signature, or no hypervisor
 *   mode patched | patched-ext | unpatched-intel | unpatched-amd
 *   reason R count C cycles Y [vcpu V]
 *                                 starting figures of reason R on vCPU V
 *                                 (default 0); the VM's are the sums
 *   unhandled R...                defined by the SDM, no KVM handler
 *   step R count C cycles Y [from N] [until M] [vcpu V]
 *                                 added on every read of 0x4ffffffc (from
 *                                 the Nth, up to the Mth, where given), to
 *                                 vCPU V (default 0)
 *   per-vcpu                      the figures of one vCPU (with patched-ext):
 *                                 bit 0 of ECX of 0x4ffffffc, ECX=0x10000
 *   cpu-vcpu CPU V                guest CPU CPU runs on vCPU V (default:
 *                                 guest CPU n is vCPU n)
 *   self-cycles N [M]             cycles of each CPUID exit (default 1000);
 *                                 with M, exits cost N and M in turn, as
 *                                 a real host's exits vary
 *   reset after N                 every count and cycle restarts at zero
 *                                 after the Nth read of 0x4ffffffd (the
 *                                 VM restored, migrated, or counting
 *                                 turned off and on)
 *   leaf L EAX EBX ECX EDX        answer of an ordinary leaf
 *   garbage                       base contract: junk in the registers
 *                                 the extension would use
 *
 * The calling vCPU is the one under the guest CPU the calling thread runs
 * on: the one CPU of its affinity mask, if it has one, else sched_getcpu().
 * Every CPUID is an exit of reason 10 of that vCPU.
 *
 * With EXITSTAT_SIM_LOG set to a file name, every CPUID is appended to it
 * as one line "LEAF SUBLEAF" in hex, so that tests can count them.
 */
#define _GNU_SOURCE /* sched_getcpu, CPU_COUNT */
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuid_port.h"
#include "leaves.h"

#define SIM_REASONS 128
#define SIM_LEAVES 32
#define SIM_STEPS 16
#define SIM_VCPUS 64
/* ECX bit that selects the calling vCPU's figures, and the feature bit. */
#define SIM_VCPU_SELECT 0x10000u
#define SIM_FEATURE_PER_VCPU 1u


enum sim_mode { PATCHED, PATCHED_EXT, UNPATCHED_INTEL, UNPATCHED_AMD };

struct sim_leaf {
	uint32_t leaf;
	struct cpuid_regs regs;
};

struct sim_step {
	uint32_t reason;
	uint64_t count, cycles;
	uint64_t from, until; /* the reads of 0x4ffffffc it applies to */
	uint32_t vcpu;
};

static struct {
	bool loaded;
	bool hypervisor;
	char vendor[13];
	enum sim_mode mode;
	bool garbage;
	uint64_t self_cycles, self_cycles_alt;
	bool alt_turn;
	/* The VM's figures, always the sums of its vCPUs'. */
	uint64_t count[SIM_REASONS], cycles[SIM_REASONS];
	bool unhandled[SIM_REASONS];
	uint64_t total_count, total_cycles;
	bool per_vcpu;
	uint32_t vcpu_of_cpu[SIM_VCPUS];
	uint64_t vcount[SIM_VCPUS][SIM_REASONS], vcycles[SIM_VCPUS][SIM_REASONS];
	uint64_t vtotal_count[SIM_VCPUS], vtotal_cycles[SIM_VCPUS];
	struct sim_step steps[SIM_STEPS];
	size_t nsteps;
	struct sim_leaf leaves[SIM_LEAVES];
	size_t nleaves;
	uint64_t reset_after, total_cycles_reads;
	uint64_t total_exits_reads;
	FILE *log;
} sim;

static void die(const char *path, int line, const char *what)
{
	fprintf(stderr, "exitstat-sim: %s:%d: %s\n", path, line, what);
	exit(99);
}

/* The SDM's basic exit reasons: 0-85 less 35, 38, 42, 71 and 80-83. */
static bool sdm_defined(uint32_t reason)
{
	if (reason == 35 || reason == 38 || reason == 42 || reason == 71)
		return false;
	if (reason == 82 || reason == 83)
		return false;
	return reason <= 85;
}

static uint64_t number(const char *word, const char *path, int line)
{
	char *end;
	uint64_t value;

	if (!word)
		die(path, line, "missing number");
	value = strtoull(word, &end, 0);
	if (*end != '\0')
		die(path, line, "bad number");
	return value;
}

static uint32_t reason_arg(const char *word, const char *path, int line)
{
	uint64_t r = number(word, path, line);

	if (r >= SIM_REASONS)
		die(path, line, "reason out of the simulator's range");
	return (uint32_t)r;
}

/* "count C cycles Y" after a reason number. */
/* count C, cycles Y and, where from is not NULL, from N and until M. */
static uint32_t vcpu_arg(const char *word, const char *path, int line)
{
	uint64_t v = number(word, path, line);

	if (v >= SIM_VCPUS)
		die(path, line, "vCPU out of the simulator's range");
	return (uint32_t)v;
}

static void figures(const char *path, int line, uint64_t *count,
		    uint64_t *cycles, uint64_t *from, uint64_t *until,
		    uint32_t *vcpu)
{
	char *word;

	while ((word = strtok(NULL, " \t\n"))) {
		if (strcmp(word, "count") == 0)
			*count = number(strtok(NULL, " \t\n"), path, line);
		else if (strcmp(word, "cycles") == 0)
			*cycles = number(strtok(NULL, " \t\n"), path, line);
		else if (from && strcmp(word, "from") == 0)
			*from = number(strtok(NULL, " \t\n"), path, line);
		else if (until && strcmp(word, "until") == 0)
			*until = number(strtok(NULL, " \t\n"), path, line);
		else if (strcmp(word, "vcpu") == 0)
			*vcpu = vcpu_arg(strtok(NULL, " \t\n"), path, line);
		else
			die(path, line, "expected count or cycles");
	}
}

/* Adds to reason r of vCPU v, and so to the VM's sums. */
static void add_figures(uint32_t v, uint32_t r, uint64_t count,
			uint64_t cycles)
{
	sim.vcount[v][r] += count;
	sim.vcycles[v][r] += cycles;
	sim.vtotal_count[v] += count;
	sim.vtotal_cycles[v] += cycles;
	sim.count[r] += count;
	sim.cycles[r] += cycles;
	sim.total_count += count;
	sim.total_cycles += cycles;
}

static void set_leaf(uint32_t leaf, uint32_t a, uint32_t b, uint32_t c,
		     uint32_t d)
{
	size_t i;

	for (i = 0; i < sim.nleaves; i++)
		if (sim.leaves[i].leaf == leaf)
			break;
	if (i == SIM_LEAVES)
		return;
	if (i == sim.nleaves)
		sim.nleaves++;
	sim.leaves[i].leaf = leaf;
	sim.leaves[i].regs = (struct cpuid_regs){ a, b, c, d };
}

static void directive(char *text, const char *path, int line)
{
	char *word = strtok(text, " \t\n");
	uint32_t r, regs[5];
	int i;

	if (!word)
		return;
	if (strcmp(word, "vendor") == 0) {
		word = strtok(NULL, " \t\n");
		if (!word)
			die(path, line, "vendor needs a name");
		sim.hypervisor = strcmp(word, "none") != 0;
		memset(sim.vendor, 0, sizeof(sim.vendor));
		strncpy(sim.vendor, word, 12);
	} else if (strcmp(word, "mode") == 0) {
		word = strtok(NULL, " \t\n");
		if (word && strcmp(word, "patched") == 0)
			sim.mode = PATCHED;
		else if (word && strcmp(word, "patched-ext") == 0)
			sim.mode = PATCHED_EXT;
		else if (word && strcmp(word, "unpatched-intel") == 0)
			sim.mode = UNPATCHED_INTEL;
		else if (word && strcmp(word, "unpatched-amd") == 0)
			sim.mode = UNPATCHED_AMD;
		else
			die(path, line, "unknown mode");
	} else if (strcmp(word, "reason") == 0) {
		uint64_t count = 0, cycles = 0;
		uint32_t v = 0;

		r = reason_arg(strtok(NULL, " \t\n"), path, line);
		figures(path, line, &count, &cycles, NULL, NULL, &v);
		/* Sets the figures (modulo 2^64, as the counters are). */
		add_figures(v, r, count - sim.vcount[v][r],
			    cycles - sim.vcycles[v][r]);
	} else if (strcmp(word, "unhandled") == 0) {
		while ((word = strtok(NULL, " \t\n")))
			sim.unhandled[reason_arg(word, path, line)] = true;
	} else if (strcmp(word, "step") == 0) {
		struct sim_step *step;

		if (sim.nsteps == SIM_STEPS)
			die(path, line, "too many steps");
		step = &sim.steps[sim.nsteps++];
		step->reason = reason_arg(strtok(NULL, " \t\n"), path, line);
		step->until = UINT64_MAX;
		figures(path, line, &step->count, &step->cycles, &step->from,
			&step->until, &step->vcpu);
	} else if (strcmp(word, "self-cycles") == 0) {
		sim.self_cycles = number(strtok(NULL, " \t\n"), path, line);
		word = strtok(NULL, " \t\n");
		sim.self_cycles_alt = word ? number(word, path, line)
					   : sim.self_cycles;
	} else if (strcmp(word, "leaf") == 0) {
		for (i = 0; i < 5; i++)
			regs[i] = (uint32_t)number(strtok(NULL, " \t\n"), path,
						   line);
		set_leaf(regs[0], regs[1], regs[2], regs[3], regs[4]);
	} else if (strcmp(word, "reset") == 0) {
		word = strtok(NULL, " \t\n");
		if (!word || strcmp(word, "after") != 0)
			die(path, line, "expected reset after N");
		sim.reset_after = number(strtok(NULL, " \t\n"), path, line);
	} else if (strcmp(word, "per-vcpu") == 0) {
		sim.per_vcpu = true;
	} else if (strcmp(word, "cpu-vcpu") == 0) {
		r = vcpu_arg(strtok(NULL, " \t\n"), path, line);
		sim.vcpu_of_cpu[r] = vcpu_arg(strtok(NULL, " \t\n"), path,
					      line);
	} else if (strcmp(word, "garbage") == 0) {
		sim.garbage = true;
	} else {
		die(path, line, "unknown directive");
	}
}

static void load(void)
{
	const char *path = getenv("EXITSTAT_SIM");
	const char *log = getenv("EXITSTAT_SIM_LOG");
	char text[512], *hash;
	int line = 0;
	FILE *f;

	sim.loaded = true;
	sim.hypervisor = true;
	for (line = 0; line < SIM_VCPUS; line++)
		sim.vcpu_of_cpu[line] = (uint32_t)line;
	line = 0;
	memcpy(sim.vendor, "KVMKVMKVM\0\0\0", 12);
	sim.self_cycles = sim.self_cycles_alt = 1000;
	/* A Skylake-like host: max basic leaf 0x16, base clock 3000 MHz. */
	set_leaf(0, 0x16, 0x756e6547, 0x6c65746e, 0x49656e69);
	set_leaf(0x16, 3000, 4000, 100, 0);
	if (!path)
		die("EXITSTAT_SIM", 0, "not set: name a scenario file");
	f = fopen(path, "r");
	if (!f)
		die(path, 0, "cannot open");
	while (fgets(text, sizeof(text), f)) {
		line++;
		hash = strchr(text, '#');
		if (hash)
			*hash = '\0';
		directive(text, path, line);
	}
	fclose(f);
	if (log && !(sim.log = fopen(log, "a")))
		die(log, 0, "cannot open the log");
}

static void reset_counters(void)
{
	memset(sim.count, 0, sizeof(sim.count));
	memset(sim.cycles, 0, sizeof(sim.cycles));
	sim.total_count = sim.total_cycles = 0;
	memset(sim.vcount, 0, sizeof(sim.vcount));
	memset(sim.vcycles, 0, sizeof(sim.vcycles));
	memset(sim.vtotal_count, 0, sizeof(sim.vtotal_count));
	memset(sim.vtotal_cycles, 0, sizeof(sim.vtotal_cycles));
}

static const struct cpuid_regs *find_leaf(uint32_t leaf)
{
	size_t i;

	for (i = 0; i < sim.nleaves; i++)
		if (sim.leaves[i].leaf == leaf)
			return &sim.leaves[i].regs;
	return NULL;
}

static void answer_plain(uint32_t leaf, struct cpuid_regs *out)
{
	const struct cpuid_regs *found = find_leaf(leaf);
	const struct cpuid_regs *basic = find_leaf(0);

	*out = (struct cpuid_regs){ 0, 0, 0, 0 };
	if (leaf == 1) {
		if (found)
			*out = *found;
		out->ecx = sim.hypervisor ? out->ecx | (1u << 31)
					  : out->ecx & ~(1u << 31);
		return;
	}
	if (leaf == 0x40000000 && sim.hypervisor) {
		out->eax = find_leaf(0x40000010) ? 0x40000010 : 0x40000001;
		memcpy(&out->ebx, sim.vendor, 4);
		memcpy(&out->ecx, sim.vendor + 4, 4);
		memcpy(&out->edx, sim.vendor + 8, 4);
		return;
	}
	if (found) {
		*out = *found;
		return;
	}
	/* Intel KVM answers a leaf past every range with the max basic leaf. */
	if (sim.mode == UNPATCHED_INTEL && leaf >= 0x40000002 && basic) {
		found = find_leaf(basic->eax);
		if (found)
			*out = *found;
	}
}

/* The vCPU under the guest CPU the calling thread runs on. */
static uint32_t calling_vcpu(void)
{
	cpu_set_t mask;
	int cpu = -1, i;

	if (sched_getaffinity(0, sizeof(mask), &mask) == 0 &&
	    CPU_COUNT(&mask) == 1)
		for (i = 0; i < CPU_SETSIZE && cpu < 0; i++)
			if (CPU_ISSET(i, &mask))
				cpu = i;
	if (cpu < 0)
		cpu = sched_getcpu();
	if (cpu < 0)
		cpu = 0;
	if (cpu >= SIM_VCPUS)
		die("exitstat-sim", 0, "guest CPU beyond the simulator's vCPUs");
	return sim.vcpu_of_cpu[cpu];
}

/*
 * The figures one read answers from: the VM's, or those of vCPU v when
 * the read selects it.
 */
struct sim_view {
	const uint64_t *count, *cycles;
	uint64_t total_count, total_cycles;
};

static struct sim_view view_of(bool one_vcpu, uint32_t v)
{
	struct sim_view view = { sim.count, sim.cycles, sim.total_count,
				 sim.total_cycles };

	if (one_vcpu) {
		view.count = sim.vcount[v];
		view.cycles = sim.vcycles[v];
		view.total_count = sim.vtotal_count[v];
		view.total_cycles = sim.vtotal_cycles[v];
	}
	return view;
}

static void answer_stats(uint32_t leaf, uint32_t ecx, uint32_t v,
			 struct cpuid_regs *out)
{
	const bool ext = sim.mode == PATCHED_EXT;
	const bool feature = ext && sim.per_vcpu;
	const uint32_t junk = sim.garbage ? 0xdeadbeefu : 0;
	/* Only the feature knows the select bit: else 0x10000|R is undefined. */
	const bool one_vcpu = feature && (ecx == SIM_VCPU_SELECT ||
					  (leaf >= LEAF_REASON_EXITS &&
					   (ecx & ~0xffffu) == SIM_VCPU_SELECT));
	const uint32_t r = one_vcpu ? ecx & 0xffffu : ecx;
	struct sim_view view;
	size_t i;

	*out = (struct cpuid_regs){ 0, 0, 0, 0 };
	if (leaf == LEAF_TOTAL_EXITS) {
		sim.total_exits_reads++;
		for (i = 0; i < sim.nsteps; i++) {
			struct sim_step *s = &sim.steps[i];

			if (sim.total_exits_reads < s->from ||
			    sim.total_exits_reads > s->until)
				continue;
			add_figures(s->vcpu, s->reason, s->count, s->cycles);
		}
	}
	view = view_of(one_vcpu, v);
	switch (leaf) {
	case LEAF_TOTAL_EXITS:
		out->eax = (uint32_t)view.total_count;
		out->ebx = ext ? (uint32_t)(view.total_count >> 32) : junk;
		out->ecx = feature ? SIM_FEATURE_PER_VCPU : 0;
		out->edx = ext ? LEAF_EXT_SIGNATURE : 0;
		return;
	case LEAF_TOTAL_CYCLES:
		out->eax = one_vcpu ? v : 0;
		out->ebx = (uint32_t)(view.total_cycles >> 32);
		out->ecx = (uint32_t)view.total_cycles;
		return;
	}
	if (!sdm_defined(r)) {
		out->edx = LEAF_UNDEFINED_MARK;
		return;
	}
	/* Unhandled, until exits of it are counted: then readable. */
	if (r < SIM_REASONS && sim.unhandled[r] && !view.count[r])
		return;
	if (leaf == LEAF_REASON_EXITS) {
		out->eax = (uint32_t)view.count[r];
		out->ebx = ext ? (uint32_t)(view.count[r] >> 32) : junk;
		out->edx = ext ? LEAF_EXT_SIGNATURE : 0;
	} else {
		out->ebx = (uint32_t)(view.cycles[r] >> 32);
		out->ecx = (uint32_t)view.cycles[r];
	}
}

void cpuid_port_query(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
	const bool patched = sim.mode == PATCHED || sim.mode == PATCHED_EXT;
	uint64_t cost;
	uint32_t v;

	if (!sim.loaded)
		load();
	v = calling_vcpu();
	add_figures(v, SELF_EXIT_REASON, 1, 0);
	if (patched && leaf >= LEAF_TOTAL_EXITS && leaf <= LEAF_REASON_CYCLES)
		answer_stats(leaf, subleaf, v, out);
	else
		answer_plain(leaf, out);
	cost = sim.alt_turn ? sim.self_cycles_alt : sim.self_cycles;
	sim.alt_turn = !sim.alt_turn;
	add_figures(v, SELF_EXIT_REASON, 0, cost);
	if (sim.log)
		fprintf(sim.log, "%x %x\n", leaf, subleaf);
	if (patched && leaf == LEAF_TOTAL_CYCLES &&
	    ++sim.total_cycles_reads == sim.reset_after)
		reset_counters();
}
