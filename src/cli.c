#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EXITSTAT_VERSION
#define EXITSTAT_VERSION "unknown"
#endif

/* Long-only options get codes above any character. */
enum {
	OPT_RAW = 256,
	OPT_TSC_HZ,
	OPT_INCLUDE_SELF,
};



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
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char short_options[] = "+:ar:s:f:u:wbi:n:hV";

static const char usage_text[] =
	"usage: exitstat [-a | -r SPEC ...] [-s KEY] [-f FORMAT] [-u UNIT]\n"
	"                [--tsc-hz HZ] [--raw] [--include-self]\n"
	"       exitstat -w [-b] [-i SEC] [-n N] [--include-self] [options]\n"
	"       exitstat [options] [--include-self] -- COMMAND [ARG ...]\n"
	"       exitstat -h | -V\n"
	"\n"
	"Shows the VM exits of this virtual machine, counted by a patched KVM\n"
	"host, by exit reason: how many there were and how long the host took.\n"
	"\n"
	"  -a, --all            every reason 0-75, with totals and shares\n"
	"  -r, --reason SPEC    these reasons: a number, a name (cpuid,\n"
	"                       EPT_VIOLATION), a range 0-15 or a comma list;\n"
	"                       may be repeated\n"
	"  -s, --sort KEY       count, time, avg, reason or name; rate with -w\n"
	"  -f, --format FORMAT  table, json or csv\n"
	"  -u, --units UNIT     cycles, ns, us, ms or s\n"
	"      --tsc-hz HZ      the host's TSC rate, for --units\n"
	"      --raw            print the registers of every CPUID issued\n"
	"  -w, --watch          live view, refreshed every interval\n"
	"  -b, --batch          the live view as plain lines (also when\n"
	"                       stdout is not a terminal); json: one object\n"
	"                       per line, csv: rows with a timestamp\n"
	"  -i, --interval SEC   seconds between refreshes (default 1, min 0.1)\n"
	"  -n, --iterations N   stop after N refreshes\n"
	"      --include-self   keep exitstat's own CPUID exits in the figures\n"
	"  -- COMMAND [ARG ...] report the exits during COMMAND (on stderr);\n"
	"                       exit with its status\n"
	"  -h, --help           print this help and exit\n"
	"  -V, --version        print the version and exit\n"
	"\n"
	"Without -a or -r: the totals and the reasons that have exits.\n"
	"Exit status: 0 done, 1 output error, 2 usage error,\n"
	"3 no hypervisor or no exit-statistics interface; with a COMMAND, its\n"
	"status (126 not runnable, 127 not found); -w or -b ended by a signal:\n"
	"128 + its number (130 for ^C).  See exitstat(1).\n";

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

/* Index of word in names[], or -1. */
static int pick(const char *word, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(word, names[i]) == 0)
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
};

static enum cli_result parse_option(int opt, const char *arg,
				    struct settings *s, bool *all, bool *timing)
{
	char err[128];
	const char *why;
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
			return usage_error("unknown format '%s' (table, json, csv)",
					   arg);
		s->format = (enum out_format)index;
		return CLI_RUN;
	case 'u':
		for (index = UNIT_S; index >= UNIT_CYCLES; index--)
			if (strcmp(arg, time_unit_name((enum time_unit)index)) == 0)
				break;
		if (index < 0)
			return usage_error("unknown unit '%s' (cycles, ns, us, ms, s)",
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
		default:
			result = parse_option(opt, optarg, s, &all, &timing);
			if (result != CLI_RUN)
				return result;
		}
	}
	if (optind < argc) {
		/* getopt_long consumed "--" itself: what follows is a command. */
		if (strcmp(argv[optind - 1], "--") != 0)
			return usage_error("unexpected argument '%s'",
					   argv[optind]);
		s->command = &argv[optind];
	} else if (optind > 1 && strcmp(argv[optind - 1], "--") == 0) {
		return usage_error("%s", "'--' must be followed by a command");
	}
	if (all && s->reasons->count)
		return usage_error("%s", "--all and --reason cannot be combined");
	if (s->batch)
		s->watch = true;
	if (s->watch && s->command)
		return usage_error("%s", "--watch cannot be combined with a command");
	if (s->raw && (s->watch || s->command))
		return usage_error("%s", "--raw cannot be combined with --watch or a command");
	if (timing && !s->watch)
		return usage_error("%s", "--interval and --iterations need --watch or --batch");
	if (s->sort == SORT_RATE && s->sort_given && !s->watch)
		return usage_error("%s", "sorting by rate needs --watch or --batch");
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
