#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef EXITSTAT_VERSION
#define EXITSTAT_VERSION "unknown"
#endif

/* Long-only options get codes above any character. */
enum {
	OPT_RAW = 256,
	OPT_TSC_HZ,
	OPT_INCLUDE_SELF,
	OPT_LIST,
	OPT_HOST,
	OPT_PER_CPU,
	OPT_CPU,
	OPT_ASCII,
};

/* --cpu: a CPU number a cpu_set_t can hold. */
#define CPU_NUMBER_MAX 1023



/* A word of decimal digits alone: no sign, no 0x. */
static bool decimal_digits(const char *word)
{
	const char *p;

	for (p = word; *p >= '0' && *p <= '9'; p++)
		;
	return p != word && !*p;
}

static const struct option long_options[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "reason", required_argument, NULL, 'r' },
	{ "sort", required_argument, NULL, 's' },
	{ "format", required_argument, NULL, 'f' },
	{ "units", required_argument, NULL, 'u' },
	{ "tsc-hz", required_argument, NULL, OPT_TSC_HZ },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "watch", no_argument, NULL, 'w' },
	{ "batch", no_argument, NULL, 'b' },
	{ "interval", required_argument, NULL, 'i' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "include-self", no_argument, NULL, OPT_INCLUDE_SELF },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "host", optional_argument, NULL, OPT_HOST },
	{ "per-cpu", no_argument, NULL, OPT_PER_CPU },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char short_options[] = "+:ar:s:f:u:wbi:n:hV";

static const char usage_text[] =
	"usage: exitstat [-a | -r SPEC ...] [-s KEY] [-f FORMAT] [-u UNIT]\n"
	"                [--tsc-hz HZ] [--raw] [--include-self]\n"
	"       exitstat -w [-b] [-i SEC] [-n N] [--include-self] [--ascii]\n"
	"                [options]\n"
	"       exitstat [options] INTERVAL [COUNT]\n"
	"       exitstat [options] [--include-self] -- COMMAND [ARG ...]\n"
	"       exitstat --host [PID | all] [-a | -r SPEC ...] [options]\n"
	"       exitstat --per-cpu [-a | -r SPEC ...] [-s KEY] [-f FORMAT] [-u UNIT]\n"
	"                [--tsc-hz HZ] [-w [-b] [-i SEC] [-n N] [--ascii]]\n"
	"                [--include-self] [INTERVAL [COUNT] | -- COMMAND [ARG ...]]\n"
	"       exitstat --cpu N [options] [-- COMMAND [ARG ...]]\n"
	"       exitstat --list [-f FORMAT]\n"
	"       exitstat -h | -V\n"
	"\n"
	"Shows the VM exits of this virtual machine, counted by a patched KVM\n"
	"host, by exit reason: how many there were and how long the host took.\n"
	"\n"
	"  -a, --all            every reason 0-75 (and any above with exits),\n"
	"                       with totals and shares\n"
	"  -r, --reason SPEC    these reasons: a number, a name (cpuid,\n"
	"                       EPT_VIOLATION), a range 0-15 or a comma list;\n"
	"                       may be repeated\n"
	"  -s, --sort KEY       count, time, avg, reason or name; rate with -w,\n"
	"                       -b or a command\n"
	"  -f, --format FORMAT  table, json, csv or prometheus\n"
	"  -u, --units UNIT     cycles (default), auto, ns, us, ms or s; time\n"
	"                       to 3 significant figures, auto picks the unit\n"
	"      --tsc-hz HZ      the host's TSC rate, for --units, the share of\n"
	"                       a host CPU and -f prometheus\n"
	"      --raw            print the registers of every CPUID issued\n"
	"      --list           every exit reason known: number, name, aliases\n"
	"                       and the host's status for it\n"
	"  -w, --watch          live view, refreshed every interval\n"
	"  -b, --batch          the live view as plain lines (also when\n"
	"                       stdout is not a terminal or the format is\n"
	"                       json or csv); json: one object per line,\n"
	"                       csv: rows with a timestamp\n"
	"  -i, --interval SEC   seconds between refreshes (default 1, min 0.1)\n"
	"  -n, --iterations N   stop after N refreshes\n"
	"      --ascii          draw the live view's bars and last-minute\n"
	"                       sparklines in ASCII, not block characters\n"
	"                       (-b lines are ASCII anyway: no effect there)\n"
	"      --include-self   keep exitstat's own CPUID exits in the figures\n"
	"      --host [PID|all] on the KVM host: the VMs of process PID, or\n"
	"                       all VMs summed, from debugfs (root only);\n"
	"                       not with --raw, --include-self, a COMMAND,\n"
	"                       -f prometheus, --per-cpu, --cpu or --list\n"
	"      --per-cpu        reasons by CPU: the vCPU under each CPU this\n"
	"                       process may run on, read there, a column each,\n"
	"                       and their sum; with -w, the live view starts in\n"
	"                       that panel (key c toggles it), -b prints it\n"
	"      --cpu N          the figures of the vCPU under guest CPU N alone,\n"
	"                       read there; a command runs there too\n"
	"  INTERVAL [COUNT]     as in vmstat: -b -i INTERVAL [-n COUNT]\n"
	"  -- COMMAND [ARG ...] report the exits during COMMAND (on stderr);\n"
	"                       exit with its status\n"
	"  -h, --help           print this help and exit\n"
	"  -V, --version        print the version and exit\n"
	"\n"
	"Without -a or -r: the totals and the reasons that have exits.\n"
	"Exit status: 0 done, 1 output error (or out of memory, no TSC rate,\n"
	"a command not waited for), 2 usage error,\n"
	"3 no hypervisor or no exit-statistics interface (--per-cpu, --cpu: no\n"
	"figures of one vCPU, or a CPU that can no longer be run on; --host:\n"
	"no debugfs, not root, no such VM, a file not in the format); with a\n"
	"COMMAND, its status (126 not runnable, 127 not found);\n"
	"-w or -b ended by a signal: 128 + its number: 129 SIGHUP, 130 SIGINT\n"
	"(^C), 143 SIGTERM.\n"
	"See exitstat(1).\n";

static enum cli_result usage_error(const char *fmt, const char *what)
{
	fputs("exitstat: ", stderr);
	fprintf(stderr, fmt, what);
	fputs(" (see exitstat --help)\n", stderr);
	return CLI_USAGE;
}

/* A value out of its range: "exitstat: WHAT 'ARG' is WHY (RANGE)". */
static enum cli_result bad_value(const char *what, const char *arg,
				 const char *why, const char *range)
{
	fprintf(stderr, "exitstat: %s '%s' is %s (%s) (see exitstat --help)\n",
		what, arg, why, range);
	return CLI_USAGE;
}

/* Index of word in names[], or -1; case-blind, like reason names. */
static int pick(const char *word, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(word, names[i]) == 0)
			return (int)i;
	return -1;
}

#define PICK(word, names) pick(word, names, sizeof(names) / sizeof(names[0]))

static const char *const sort_names[] = {
	[SORT_COUNT] = "count", [SORT_RATE] = "rate", [SORT_TIME] = "time",
	[SORT_AVG] = "avg",	[SORT_REASON] = "reason", [SORT_NAME] = "name",
};
static const char *const format_names[] = {
	[FORMAT_TABLE] = "table", [FORMAT_JSON] = "json", [FORMAT_CSV] = "csv",
	[FORMAT_PROMETHEUS] = "prometheus",
};

static enum cli_result parse_option(int opt, const char *arg,
				    struct settings *s, bool *all, bool *timing)
{
	char err[128];
	const char *why;
	uint64_t value;
	int index;

	switch (opt) {
	case 'a':
		*all = true;
		return CLI_RUN;
	case 'r':
		if (!parse_reason_spec(arg, s->reasons, err, sizeof(err)))
			return usage_error("%s", err);
		return CLI_RUN;
	case 's':
		index = PICK(arg, sort_names);
		if (index < 0)
			return usage_error("unknown sort key '%s' (count, rate, time, avg, reason, name)",
					   arg);
		s->sort = (enum sort_key)index;
		s->sort_given = true;
		return CLI_RUN;
	case 'f':
		index = PICK(arg, format_names);
		if (index < 0)
			return usage_error("unknown format '%s' (table, json, csv, prometheus)",
					   arg);
		s->format = (enum out_format)index;
		return CLI_RUN;
	case 'u':
		for (index = UNIT_AUTO; index >= UNIT_CYCLES; index--)
			if (strcasecmp(arg, time_unit_name((enum time_unit)index)) == 0)
				break;
		if (index < 0)
			return usage_error("unknown unit '%s' (cycles, auto, ns, us, ms, s)",
					   arg);
		s->unit = (enum time_unit)index;
		return CLI_RUN;
	case OPT_TSC_HZ:
		if (!parse_u64(arg, 1, UINT64_MAX, &s->tsc_hz, &why))
			return bad_value("--tsc-hz", arg, why,
					 "a whole number of Hz, at least 1");
		return CLI_RUN;
	case OPT_RAW:
		s->raw = true;
		return CLI_RUN;
	case 'w':
		s->watch = true;
		return CLI_RUN;
	case 'b':
		s->batch = true;
		return CLI_RUN;
	case 'i':
		if (!parse_seconds(arg, INTERVAL_MIN, INTERVAL_MAX, &s->interval,
				   &why))
			return bad_value("interval", arg, why,
					 "seconds, 0.1 to 86400");
		*timing = true;
		return CLI_RUN;
	case 'n':
		if (!parse_u64(arg, 1, UINT32_MAX, &s->iterations, &why))
			return bad_value("iterations", arg, why,
					 "1 to 4294967295");
		*timing = true;
		return CLI_RUN;
	case OPT_INCLUDE_SELF:
		s->include_self = true;
		return CLI_RUN;
	case OPT_ASCII:
		s->ascii = true;
		return CLI_RUN;
	case OPT_LIST:
		s->list = true;
		return CLI_RUN;
	case OPT_PER_CPU:
		s->per_cpu = true;
		return CLI_RUN;
	case OPT_CPU:
		/*
		 * Decimal only, as --host's PID: CPUs are numbered so in
		 * taskset(1), /proc/cpuinfo and the reports.
		 */
		if (!parse_u64(arg, 0, CPU_NUMBER_MAX, &value, &why))
			return bad_value("--cpu", arg, why, "a CPU number, 0 to 1023");
		if (!decimal_digits(arg))
			return bad_value("--cpu", arg, "not a decimal number",
					 "a CPU number, 0 to 1023");
		s->cpu = (uint32_t)value;
		s->cpu_given = true;
		return CLI_RUN;
	}
	return CLI_USAGE;
}

static enum cli_result bad_option(int opt, char **argv)
{
	const char *word = argv[optind - 1];

	if (opt == ':') {
		if (optopt && strncmp(word, "--", 2) != 0)
			fprintf(stderr,
				"exitstat: option -%c needs a value (see exitstat --help)\n",
				optopt);
		else
			return usage_error("option '%s' needs a value", word);
		return CLI_USAGE;
	}
	if (optopt && strncmp(word, "--", 2) != 0)
		fprintf(stderr,
			"exitstat: unknown option -%c (see exitstat --help)\n",
			optopt);
	else
		return usage_error("unknown option '%s'", word);
	return CLI_USAGE;
}

/*
 * --host's value: "all" or a process ID.  Given apart (--host PID), it is
 * the next word unless that is an option; a negative number is taken, to
 * be refused as one.
 */
static bool host_word(const char *word)
{
	return word[0] != '-' || (word[1] >= '0' && word[1] <= '9');
}

static enum cli_result parse_host(const char *arg, struct settings *s)
{
	uint64_t pid;
	const char *why = "invalid";

	/* Given again, the last one counts, as with every other option. */
	s->host = true;
	s->host_all = false;
	if (!arg || strcmp(arg, "all") == 0) {
		s->host_all = true;
		return CLI_RUN;
	}
	/* Decimal only: the PID as debugfs and ps(1) write it. */
	if (!decimal_digits(arg) ||
	    !parse_u64(arg, 1, HOST_PID_MAX, &pid, &why))
		return bad_value("--host", arg, why,
				 "a process ID, 1 to 4194304, or all");
	s->host_pid = (uint32_t)pid;
	return CLI_RUN;
}

/* On the host there is no CPUID interface and no exit of exitstat's own. */
static enum cli_result check_host(const struct settings *s)
{
	if (s->raw)
		return usage_error("%s", "--host reads debugfs, not CPUID: --raw has no registers to show");
	if (s->include_self)
		return usage_error("%s", "--host causes no exits of its own: --include-self has nothing to keep");
	if (s->command)
		return usage_error("%s", "--host cannot be combined with a command: it watches VMs, not a command of the host");
	if (s->format == FORMAT_PROMETHEUS)
		return usage_error("%s", "--host cannot be combined with -f prometheus: sums over VMs that come and go are no counters");
	if (s->per_cpu || s->cpu_given)
		return usage_error("%s", "--host shows whole VMs: --per-cpu and --cpu read the vCPUs of the guest exitstat runs in");
	return CLI_RUN;
}

/* exitstat INTERVAL [COUNT], as vmstat: batch lines, or the live view with -w. */
static enum cli_result parse_operands(int n, char **operands,
				      struct settings *s, bool timing)
{
	const char *why;
	int i;

	/* Parsing stops at the first operand, so that "--" can end it. */
	for (i = 1; i < n; i++)
		if (operands[i][0] == '-' && operands[i][1] != '\0')
			return usage_error("option '%s' after INTERVAL: options go first",
					   operands[i]);
	if (n > 2)
		return usage_error("unexpected argument '%s'", operands[2]);
	if (timing)
		return usage_error("%s", "give the interval and count as operands or with -i and -n, not both");
	if (!parse_seconds(operands[0], INTERVAL_MIN, INTERVAL_MAX,
			   &s->interval, &why))
		return bad_value("interval", operands[0], why,
				 "seconds, 0.1 to 86400");
	if (n == 2 && !parse_u64(operands[1], 1, UINT32_MAX, &s->iterations,
				 &why))
		return bad_value("count", operands[1], why, "1 to 4294967295");
	if (!s->watch)
		s->batch = true;
	return CLI_RUN;
}

/* --list takes --format only: the other options shape reports. */
static enum cli_result check_list(struct settings *s, bool all, bool timing)
{
	if (all || s->reasons->count || s->sort_given || s->unit != UNIT_CYCLES ||
	    s->tsc_hz || s->raw || s->watch || s->batch || timing ||
	    s->include_self || s->ascii || s->command || s->host ||
	    s->per_cpu || s->cpu_given)
		return usage_error("%s", "--list takes no other option than --format");
	if (s->format == FORMAT_PROMETHEUS)
		return usage_error("%s", "--list prints a table, json or csv");
	return CLI_RUN;
}

/* What --per-cpu and --cpu cannot go with. */
static enum cli_result check_vcpu_options(const struct settings *s)
{
	if (!s->per_cpu && !s->cpu_given)
		return CLI_RUN;
	if (s->per_cpu && s->cpu_given)
		return usage_error("%s", "--per-cpu and --cpu cannot be combined: --per-cpu reads every CPU");
	if (s->raw)
		return usage_error("%s", "--raw cannot be combined with --per-cpu or --cpu");
	if (s->format == FORMAT_PROMETHEUS)
		return usage_error("%s", "-f prometheus gives the VM's counters: not with --per-cpu or --cpu");
	if (s->per_cpu && s->watch && s->format != FORMAT_TABLE)
		return usage_error("%s", "--per-cpu with --watch or --batch draws the panel as a table: not json or csv lines");
	return CLI_RUN;
}

enum cli_result cli_parse(int argc, char **argv, struct settings *s)
{
	enum cli_result result;
	bool all = false, timing = false;
	int opt;

	memset(s, 0, sizeof(*s));
	s->reasons = calloc(1, sizeof(*s->reasons));
	if (!s->reasons)
		return CLI_NOMEM;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, short_options, long_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage_text, stdout);
			return CLI_DONE;
		case 'V':
			puts("exitstat " EXITSTAT_VERSION);
			return CLI_DONE;
		case ':':
		case '?':
			return bad_option(opt, argv);
		case OPT_HOST:
			if (!optarg && optind < argc && host_word(argv[optind]))
				optarg = argv[optind++];
			result = parse_host(optarg, s);
			if (result != CLI_RUN)
				return result;
			break;
		default:
			result = parse_option(opt, optarg, s, &all, &timing);
			if (result != CLI_RUN)
				return result;
		}
	}
	if (optind < argc) {
		/* getopt_long consumed "--" itself: what follows is a command. */
		if (strcmp(argv[optind - 1], "--") == 0)
			s->command = &argv[optind];
		else if ((result = parse_operands(argc - optind, &argv[optind], s,
						  timing)) != CLI_RUN)
			return result;
	} else if (optind > 1 && strcmp(argv[optind - 1], "--") == 0) {
		return usage_error("%s", "'--' must be followed by a command");
	}
	if (s->list)
		return check_list(s, all, timing);
	if (all && s->reasons->count)
		return usage_error("%s", "--all and --reason cannot be combined");
	if (s->host && (result = check_host(s)) != CLI_RUN)
		return result;
	/* json and csv cannot be drawn full-screen: they are batch lines. */
	if (s->batch || (s->watch && s->format != FORMAT_TABLE))
		s->watch = s->batch = true;
	if (s->format == FORMAT_PROMETHEUS &&
	    (s->watch || s->command || s->raw || s->unit != UNIT_CYCLES))
		return usage_error("%s", "-f prometheus prints counters since VM start in cycles: "
					 "not with --watch, --batch, a command, --raw or --units");
	if (s->watch && s->command)
		return usage_error("%s", "--watch cannot be combined with a command");
	if (s->raw && (s->watch || s->command))
		return usage_error("%s", "--raw cannot be combined with --watch or a command");
	if ((result = check_vcpu_options(s)) != CLI_RUN)
		return result;
	if (timing && !s->watch)
		return usage_error("%s", "--interval and --iterations need --watch or --batch");
	if (s->ascii && !s->watch)
		return usage_error("%s", "--ascii needs --watch or --batch");
	if (s->sort == SORT_RATE && s->sort_given && !s->watch && !s->command)
		return usage_error("%s", "sorting by rate needs --watch, --batch or a command");
	if (s->tsc_hz && s->unit == UNIT_CYCLES && !s->watch && !s->command &&
	    s->format != FORMAT_PROMETHEUS)
		return usage_error("%s", "--tsc-hz needs --units, --watch, --batch, a command or -f prometheus");
	/* Machine formats want one unit per field: auto gives ns there. */
	if (s->unit == UNIT_AUTO && s->format != FORMAT_TABLE)
		s->unit = UNIT_NS;
	if (!s->interval)
		s->interval = INTERVAL_DEFAULT;

	s->mode = all ? MODE_ALL : s->reasons->count ? MODE_REASONS
						      : MODE_SUMMARY;
	if (!s->sort_given)
		s->sort = s->watch		   ? SORT_RATE
			  : s->mode == MODE_SUMMARY ? SORT_COUNT
						  : SORT_REASON;
	return CLI_RUN;
}

void settings_free(struct settings *s)
{
	free(s->reasons);
	s->reasons = NULL;
}

const uint16_t *reasons_to_read(const struct settings *s,
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
