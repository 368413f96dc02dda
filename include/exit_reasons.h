/* Names of the VMX basic exit reasons (Intel SDM Vol. 3, Appendix C). */
#ifndef EXITSTAT_EXIT_REASONS_H
#define EXITSTAT_EXIT_REASONS_H

#include <stdbool.h>
#include <stdint.h>

/* A basic exit reason is bits 15:0 of the exit-reason field. */
#define EXIT_REASON_LIMIT 65536u

/* Linux-style name ("EPT_VIOLATION"), or NULL for a number with none. */
const char *exit_reason_name(uint32_t reason);

/*
 * Case-insensitive lookup of a name, with or without "EXIT_REASON_",
 * including the SDM's instruction names ("rdmsr", "vmxoff").
 */
bool exit_reason_lookup(const char *name, uint32_t *reason);

#endif
