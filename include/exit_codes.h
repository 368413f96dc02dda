/* Exit statuses; man/exitstat.1 (EXIT STATUS) documents the same numbers. */
#ifndef EXITSTAT_EXIT_CODES_H
#define EXITSTAT_EXIT_CODES_H

enum exitstat_status {
	EXITSTAT_OK = 0,
	EXITSTAT_FAILURE = 1,	   /* output or memory error */
	EXITSTAT_USAGE = 2,	   /* bad command line */
	EXITSTAT_NO_INTERFACE = 3, /* no hypervisor, or it lacks the leaves */
	EXITSTAT_CMD_NOEXEC = 126, /* -- COMMAND found but not runnable */
	EXITSTAT_CMD_NOTFOUND = 127,
	/* --watch, --batch ended by a signal: this plus its number, as sh. */
	EXITSTAT_SIGNAL_BASE = 128,
};

#endif
