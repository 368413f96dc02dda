/*
 * Preloaded by the tests: a CPU taken away from the process while it
 * runs, as a cpuset or hotplug would (taskset -p from outside cannot:
 * the process may set its own affinity back).  Once the file named by
 * EXITSTAT_TEST_GONE_FILE exists, moving to CPU EXITSTAT_TEST_GONE_CPU
 * alone fails with EINVAL, as sched_setaffinity(2) does for a mask with
 * no CPU of the cpuset; every other call goes to libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask)
{
	int (*real)(pid_t, size_t, const cpu_set_t *) =
		(int (*)(pid_t, size_t, const cpu_set_t *))dlsym(
			RTLD_NEXT, "sched_setaffinity");
	const char *file = getenv("EXITSTAT_TEST_GONE_FILE");
	const char *cpu = getenv("EXITSTAT_TEST_GONE_CPU");

	/* As the kernel: a mask is refused when it has no CPU left. */
	if (file && cpu && access(file, F_OK) == 0 &&
	    CPU_ISSET_S(atoi(cpu), size, mask) && CPU_COUNT_S(size, mask) == 1) {
		errno = EINVAL;
		return -1;
	}
	return real ? real(pid, size, mask) : (errno = ENOSYS, -1);
}
