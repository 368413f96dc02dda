/* exitstat -- COMMAND: run a command between two snapshots. */
#ifndef EXITSTAT_COMMAND_H
#define EXITSTAT_COMMAND_H

/*
 * Runs argv and waits for it.  Returns its exit status as a shell would
 * give it (128+N when killed by signal N, 126 when it cannot be executed,
 * 127 when it is not found; the reason is printed on stderr for those
 * two).  *seconds is the wall time it took.
 */
int command_run(char **argv, double *seconds);

#endif
