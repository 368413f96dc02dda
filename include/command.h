/* exitstat -- COMMAND: run a command between two snapshots. */
#ifndef EXITSTAT_COMMAND_H
#define EXITSTAT_COMMAND_H

#include <stdbool.h>

/*
 * Runs argv and waits for it.  Returns its exit status as a shell would
 * give it (128+N when killed by signal N).  When it could not be run at
 * all, *exec_failed is set, the reason is printed on stderr and the
 * status is 126 (cannot be executed) or 127 (not found): a command that
 * itself exits 126 or 127 leaves *exec_failed false.  *seconds is the
 * wall time it took.
 */
int command_run(char **argv, double *seconds, bool *exec_failed);

#endif
