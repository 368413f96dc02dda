#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	       const char **why)
{
	unsigned long long value;
	const char *digits = s;
	char *end;
	int base = 10;

	*why = "invalid";
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		digits = s + 2;
	}
	/* strtoull would accept blanks, signs and a bare "0x": we don't. */
	if (!isxdigit((unsigned char)digits[0]) ||
	    (base == 10 && !isdigit((unsigned char)digits[0])))
		return false;
	errno = 0;
	value = strtoull(digits, &end, base);
	if (*end != '\0')
		return false;
	if (errno == ERANGE || value < min || value > max) {
		*why = "out of range";
		return false;
	}
	*out = value;
	return true;
}

bool parse_seconds(const char *s, double min, double max, double *out,
		   const char **why)
{
	const char *p = s;
	char *end;
	double value;

	*why = "invalid";
	/* Plain decimals only: no sign, exponent, hex float, inf or nan. */
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.')
		p++;
	while (isdigit((unsigned char)*p))
		p++;
	if (p == s || *p != '\0' || strcmp(s, ".") == 0)
		return false;
	value = strtod(s, &end);
	if (*end != '\0' || !isfinite(value))
		return false;
	if (value < min || value > max) {
		*why = "out of range";
		return false;
	}
	*out = value;
	return true;
}

void reason_set_add(struct reason_set *set, uint32_t reason)
{
	uint8_t bit = (uint8_t)(1u << (reason % 8));

	if (set->seen[reason / 8] & bit)
		return;
	set->seen[reason / 8] |= bit;
	set->list[set->count++] = (uint16_t)reason;
}

static bool parse_one_reason(const char *word, uint32_t *reason, char *err,
			     size_t errlen)
{
	uint64_t value;
	const char *why;

	if (isdigit((unsigned char)word[0])) {
		if (parse_u64(word, 0, EXIT_REASON_LIMIT - 1, &value, &why)) {
			*reason = (uint32_t)value;
			return true;
		}
		snprintf(err, errlen, "reason '%s' is %s (0 to %u)", word, why,
			 EXIT_REASON_LIMIT - 1);
		return false;
	}
	if (exit_reason_lookup(word, reason))
		return true;
	snprintf(err, errlen, "unknown exit reason '%s'", word);
	return false;
}

/* One comma-separated item: a reason or a range of them. */
static bool parse_item(char *item, struct reason_set *set, char *err,
		       size_t errlen)
{
	uint32_t first, last, r;
	char *dash, *end;

	while (isspace((unsigned char)*item))
		item++;
	end = item + strlen(item);
	while (end > item && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (*item == '\0') {
		snprintf(err, errlen, "empty item in reason list");
		return false;
	}
	if (*item == '-' || *item == '+') {
		snprintf(err, errlen, "reason '%s' is invalid (0 to %u)", item,
			 EXIT_REASON_LIMIT - 1);
		return false;
	}
	dash = strchr(item, '-');
	if (!dash) {
		if (!parse_one_reason(item, &first, err, errlen))
			return false;
		reason_set_add(set, first);
		return true;
	}
	*dash = '\0';
	if (*item == '\0' || dash[1] == '\0') {
		snprintf(err, errlen, "range '%s-%s' needs both ends", item,
			 dash + 1);
		return false;
	}
	if (!parse_one_reason(item, &first, err, errlen) ||
	    !parse_one_reason(dash + 1, &last, err, errlen))
		return false;
	if (first > last) {
		snprintf(err, errlen, "range %u-%u runs backwards", first,
			 last);
		return false;
	}
	for (r = first; r <= last; r++)
		reason_set_add(set, r);
	return true;
}

bool parse_reason_spec(const char *spec, struct reason_set *set, char *err,
		       size_t errlen)
{
	struct reason_set *scratch;
	char *copy, *item, *next;
	bool ok = true;

	if (*spec == '\0') {
		snprintf(err, errlen, "empty reason list");
		return false;
	}
	/* Work on a copy so that a bad item leaves the caller's set as it was. */
	scratch = malloc(sizeof(*scratch));
	copy = strdup(spec);
	if (!scratch || !copy) {
		snprintf(err, errlen, "out of memory");
		free(scratch);
		free(copy);
		return false;
	}
	memcpy(scratch, set, sizeof(*scratch));
	for (item = copy; ok && item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		ok = parse_item(item, scratch, err, errlen);
	}
	if (ok)
		memcpy(set, scratch, sizeof(*set));
	free(scratch);
	free(copy);
	return ok;
}
