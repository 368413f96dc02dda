#define _GNU_SOURCE /* pipe2 */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "exit_codes.h"

int command_run(char **argv, double *seconds, bool *exec_failed)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, old_int, old_quit;
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old_chld;
	int report[2], status = 0, child_errno = 0, waited;
	double start;
	ssize_t got;
	pid_t pid;

	*exec_failed = true;
	/* The child tells us why exec failed through a pipe closed on exec. */
	if (pipe2(report, O_CLOEXEC) != 0) {
		perror("exitstat: pipe");
		return EXITSTAT_CMD_NOEXEC;
	}
	/*
	 * SIGCHLD inherited as ignored would reap the child unseen: waitpid
	 * would fail with ECHILD.  The command gets the default too.
	 */
	sigaction(SIGCHLD, &dfl, &old_chld);
	fflush(NULL);
	start = monotonic_seconds();
	pid = fork();
	if (pid < 0) {
		perror("exitstat: fork");
		sigaction(SIGCHLD, &old_chld, NULL);
		close(report[0]);
		close(report[1]);
		return EXITSTAT_CMD_NOEXEC;
	}
	if (pid == 0) {
		close(report[0]);
		execvp(argv[0], argv);
		child_errno = errno;
		if (write(report[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(EXITSTAT_CMD_NOEXEC);
		_exit(child_errno == ENOENT ? EXITSTAT_CMD_NOTFOUND
					    : EXITSTAT_CMD_NOEXEC);
	}
	close(report[1]);
	/* Like time(1): ^C is for the command; we stay to report. */
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	do
		got = read(report[0], &child_errno, sizeof(child_errno));
	while (got < 0 && errno == EINTR);
	close(report[0]);
	do
		waited = waitpid(pid, &status, 0);
	while (waited < 0 && errno == EINTR);
	*seconds = monotonic_seconds() - start;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGCHLD, &old_chld, NULL);

	if (got == (ssize_t)sizeof(child_errno)) {
		fprintf(stderr, "exitstat: cannot run '%s': %s\n", argv[0],
			strerror(child_errno));
		return child_errno == ENOENT ? EXITSTAT_CMD_NOTFOUND
					     : EXITSTAT_CMD_NOEXEC;
	}
	*exec_failed = false;
	if (waited < 0) {
		/* No status to give: never make one up. */
		perror("exitstat: waitpid");
		return EXITSTAT_FAILURE;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
