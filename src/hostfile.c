#include "hostfile.h"

#include <stdio.h>
#include <string.h>

/*
 * One decimal field at *p up to the next space or the end of the line:
 * digits only (no sign, blank or base prefix), 64 bits at most.  Moves *p
 * past it.  Returns false with *why set otherwise.
 */
static bool decimal_field(const char **p, const char *end, uint64_t *out,
			  const char **why)
{
	const char *s = *p, *safe;
	uint64_t value = 0;
	unsigned digit;

	if (s == end || *s < '0' || *s > '9') {
		*why = "is not a decimal number";
		return false;
	}
	/* 19 digits always fit in 64 bits: check from the 20th on only. */
	safe = end - s > 19 ? s + 19 : end;
	for (; s < safe && (digit = (unsigned)(*s - '0')) < 10; s++)
		value = value * 10 + digit;
	for (; s < end && (digit = (unsigned)(*s - '0')) < 10; s++) {
		if (value > UINT64_MAX / 10 ||
		    (value == UINT64_MAX / 10 && digit > UINT64_MAX % 10)) {
			*why = "does not fit in 64 bits";
			return false;
		}
		value = value * 10 + digit;
	}
	if (s < end && *s != ' ') {
		*why = "is not a decimal number";
		return false;
	}
	*out = value;
	*p = s;
	return true;
}

/*
 * A line "KEY EXITS CYCLES" after its key: two fields, one space before
 * each, nothing after.
 */
static bool two_figures(const char *p, const char *end, uint64_t *exits,
			uint64_t *cycles, const char **why)
{
	if (p == end || *p++ != ' ' || !decimal_field(&p, end, exits, why))
		goto shape;
	if (p == end || *p++ != ' ' || !decimal_field(&p, end, cycles, why))
		goto shape;
	if (p != end)
		goto shape;
	return true;
shape:
	if (!*why)
		*why = "is not 'KEY EXITS CYCLES' (single spaces, decimal figures)";
	return false;
}

static bool fail(char *err, size_t errlen, unsigned line, const char *what,
		 const char *why)
{
	snprintf(err, errlen, "line %u: %s %s", line, what, why);
	return false;
}

static bool fail_reason(char *err, size_t errlen, unsigned line,
			uint64_t reason, const char *why)
{
	snprintf(err, errlen, "line %u: reason %llu %s", line,
		 (unsigned long long)reason, why);
	return false;
}

bool hostfile_parse(const char *text, size_t len, struct hostfile *out,
		    char *err, size_t errlen)
{
	const char *p = text, *end = text + len, *eol, *why;
	unsigned line = 0;
	uint64_t reason, last = 0, exits, cycles;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return fail(err, errlen, 1, "the file", "is empty: not an exit_stats file");
	if (memchr(text, '\0', len))
		return fail(err, errlen, 1, "the file", "holds a NUL byte: not text");
	for (; p < end; p = eol + 1) {
		line++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			return fail(err, errlen, line, "the last line",
				    "has no newline: the file is cut short");
		why = NULL;
		if (line == 1) {
			/* Another version may mean anything: refuse it whole. */
			if ((size_t)(eol - p) != strlen(HOSTFILE_VERSION_LINE) ||
			    memcmp(p, HOSTFILE_VERSION_LINE, (size_t)(eol - p)) != 0)
				return fail(err, errlen, line, "the first line",
					    "is not '" HOSTFILE_VERSION_LINE
					    "': another format or version, which this exitstat does not read");
			continue;
		}
		if (line == 2) {
			if ((size_t)(eol - p) < 5 || memcmp(p, "total", 5) != 0)
				return fail(err, errlen, line, "the second line",
					    "is not 'total EXITS CYCLES'");
			if (!two_figures(p + 5, eol, &out->total_exits,
					 &out->total_cycles, &why))
				return fail(err, errlen, line, "the total", why);
			continue;
		}
		if (!decimal_field(&p, eol, &reason, &why))
			return fail(err, errlen, line, "the reason", why);
		if (reason >= READ_REASONS)
			return fail_reason(err, errlen, line, reason,
					   "is above 85, which no line may list");
		if (out->count && reason <= last)
			return fail_reason(err, errlen, line, reason,
					   "is out of order: reasons come in increasing order, each once");
		if (!two_figures(p, eol, &exits, &cycles, &why))
			return fail_reason(err, errlen, line, reason, why);
		out->listed[reason] = true;
		out->exits[reason] = exits;
		out->cycles[reason] = cycles;
		out->count++;
		last = reason;
	}
	if (line < 2)
		return fail(err, errlen, line + 1, "the total line", "is missing");
	return true;
}
