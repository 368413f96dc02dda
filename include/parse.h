/* Checked parsing of command-line values, in the manner of strtonum(3). */
#ifndef EXITSTAT_PARSE_H
#define EXITSTAT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exit_reasons.h"

/*
 * Parses a whole string as a decimal or 0x-prefixed hexadecimal number
 * in [min, max].  On failure returns false and sets *why to "invalid"
 * or "out of range"; signs, blanks and trailing text are invalid.
 */
bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	       const char **why);

/* A decimal number of seconds such as "0.5" or "2", in [min, max]. */
bool parse_seconds(const char *s, double min, double max, double *out,
		   const char **why);

/* Reasons in the order first named, each once. */
struct reason_set {
	size_t count;
	uint16_t list[EXIT_REASON_LIMIT];
	uint8_t seen[EXIT_REASON_LIMIT / 8];
};

void reason_set_add(struct reason_set *set, uint32_t reason);

/*
 * Adds the reasons of one --reason SPEC: numbers, names, ranges "A-B"
 * and comma lists of those.  On failure writes one sentence to err and
 * leaves set unchanged.
 */
bool parse_reason_spec(const char *spec, struct reason_set *set, char *err,
		       size_t errlen);

#endif
