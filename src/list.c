#include "list.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "exit_reasons.h"
#include "leaves.h"
#include "table.h"

enum host_word { HOST_UNKNOWN, HOST_HANDLED, HOST_UNHANDLED, HOST_UNDEFINED };

static const char *const host_words[] = {
	[HOST_UNKNOWN] = "unknown",
	[HOST_HANDLED] = "handled",
	[HOST_UNHANDLED] = "unhandled",
	[HOST_UNDEFINED] = "undefined",
};

/* Only the count leaf: its registers carry every status the host gives. */
static enum host_word ask_host(struct collector *c,
			       const struct host_info *host, uint32_t reason)
{
	struct cpuid_regs r;
	uint64_t exits;

	if (host->verdict != HOST_READY)
		return HOST_UNKNOWN;
	collector_query(c, LEAF_REASON_EXITS, reason, &r);
	if (r.edx == LEAF_UNDEFINED_MARK)
		return HOST_UNDEFINED;
	exits = host->wide_counts ? join_u32(r.ebx, r.eax) : r.eax;
	if (exits || (host->wide_counts && r.edx == LEAF_EXT_SIGNATURE))
		return HOST_HANDLED;
	/* The base contract gives zeros alike for "none yet" and "unhandled". */
	return host->wide_counts ? HOST_UNHANDLED : HOST_UNKNOWN;
}

/* The aliases of reason, joined by sep, into buf. */
static void aliases_of(uint32_t reason, const char *sep, char *buf,
		       size_t len)
{
	const char *alias;
	uint32_t of;
	size_t i;

	buf[0] = '\0';
	for (i = 0; (alias = exit_reason_alias(i, &of)) != NULL; i++) {
		if (of != reason)
			continue;
		if (buf[0])
			strncat(buf, sep, len - strlen(buf) - 1);
		strncat(buf, alias, len - strlen(buf) - 1);
	}
}

static void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void json_aliases(FILE *out, uint32_t reason)
{
	const char *alias;
	uint32_t of;
	size_t i;
	bool first = true;

	fputc('[', out);
	for (i = 0; (alias = exit_reason_alias(i, &of)) != NULL; i++) {
		if (of != reason)
			continue;
		if (!first)
			fputc(',', out);
		json_string(out, alias);
		first = false;
	}
	fputc(']', out);
}

int list_run(FILE *out, struct collector *c, const struct host_info *host,
	     enum out_format format)
{
	const uint32_t limit = exit_reason_named_limit();
	char aliases[256], why[160];
	struct table t;
	uint32_t reason;

	if (host->verdict != HOST_READY) {
		host_describe_failure(host, why, sizeof(why));
		fprintf(stderr, "exitstat: %s; the host's status is unknown\n",
			why);
	}
	/* The SDM's words last: the one column of any length. */
	table_init(&t);
	table_add_column(&t, "REASON", true);
	table_add_column(&t, "NAME", false);
	table_add_column(&t, "HOST", false);
	table_add_column(&t, "ALIASES", false);
	table_add_column(&t, "DESCRIPTION", false);
	if (format == FORMAT_CSV)
		fputs("reason,name,host,aliases,description\n", out);
	if (format == FORMAT_JSON)
		fputc('[', out);
	for (reason = 0; reason < limit; reason++) {
		const char *name = exit_reason_name(reason);
		const char *summary = exit_reason_summary(reason);
		const char *word = host_words[ask_host(c, host, reason)];

		switch (format) {
		case FORMAT_JSON:
			fprintf(out, "%s{\"reason\":%" PRIu32 ",\"name\":",
				reason ? "," : "", reason);
			json_string_or_null(out, name);
			fputs(",\"host\":", out);
			json_string(out, word);
			fputs(",\"aliases\":", out);
			json_aliases(out, reason);
			fputs(",\"description\":", out);
			json_string_or_null(out, summary);
			fputc('}', out);
			break;
		case FORMAT_CSV:
			aliases_of(reason, " ", aliases, sizeof(aliases));
			fprintf(out, "%" PRIu32 ",%s,%s,", reason,
				name ? name : "", word);
			csv_field(out, aliases);
			fputc(',', out);
			csv_field(out, summary ? summary : "");
			fputc('\n', out);
			break;
		default:
			aliases_of(reason, ",", aliases, sizeof(aliases));
			if (!table_add_row(&t))
				break;
			table_cell(&t, "%" PRIu32, reason);
			table_cell(&t, "%s", name ? name : "-");
			table_cell(&t, "%s", word);
			table_cell(&t, "%s", aliases[0] ? aliases : "-");
			table_cell(&t, "%s",
				   summary ? summary : "not defined by the SDM");
			break;
		}
	}
	if (format == FORMAT_JSON)
		fputs("]\n", out);
	if (format == FORMAT_TABLE && t.failed) {
		/* A list with rows missing would read as the whole list. */
		table_free(&t);
		fputs("exitstat: out of memory\n", stderr);
		return EXITSTAT_FAILURE;
	}
	if (format == FORMAT_TABLE)
		table_print(&t, out);
	table_free(&t);
	return EXITSTAT_OK;
}
