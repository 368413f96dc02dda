/* Names of the VMX basic exit reasons (Intel SDM Vol. 3, Appendix C). */
#ifndef EXITSTAT_EXIT_REASONS_H
#define EXITSTAT_EXIT_REASONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A basic exit reason is bits 15:0 of the exit-reason field. */
#define EXIT_REASON_LIMIT 65536u

/* Linux-style name ("EPT_VIOLATION"), or NULL for a number with none. */
const char *exit_reason_name(uint32_t reason);

/* The SDM's own words for the reason, or NULL. */
const char *exit_reason_summary(uint32_t reason);

/* Reasons below this number may have a name; above it none has. */
uint32_t exit_reason_named_limit(void);

/*
 * The index'th other spelling accepted for a reason ("RDMSR" for 31),
 * with its reason in *reason; NULL past the last.
 */
const char *exit_reason_alias(size_t index, uint32_t *reason);

/*
 * Case-insensitive lookup of a name, with or without "EXIT_REASON_",
 * including the SDM's instruction names ("rdmsr", "vmxoff").
 */
bool exit_reason_lookup(const char *name, uint32_t *reason);

#endif
