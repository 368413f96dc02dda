/* What the terminal on an output can do, asked of terminfo. */
#ifndef EXITSTAT_TERMINAL_H
#define EXITSTAT_TERMINAL_H

#include <stdbool.h>

/*
 * Whether $TERM on fd is known and can move the cursor to a given line and
 * column (terminfo's cup): without it (TERM=dumb, an unknown type) curses
 * cannot draw a full-screen view.
 */
bool terminal_addresses_cursor(int fd);

#endif
