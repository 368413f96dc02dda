#include "terminal.h"

#include <curses.h>
#include <term.h>

bool terminal_addresses_cursor(int fd)
{
	TERMINAL *term;
	const char *cup;
	bool able;
	int error;

	/* With an error pointer setupterm() reports instead of exiting. */
	if (setupterm(NULL, fd, &error) != OK)
		return false;
	cup = tigetstr("cup");
	able = cup != NULL && cup != (const char *)-1;
	term = set_curterm(NULL);
	del_curterm(term);
	return able;
}
