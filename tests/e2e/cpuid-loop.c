/* cpuid-loop N: executes CPUID N times (each one a VM exit of reason 10). */
#include <cpuid.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	unsigned int a, b, c, d;
	long i, n = argc > 1 ? atol(argv[1]) : 1000;

	for (i = 0; i < n; i++)
		__cpuid_count(0, 0, a, b, c, d);
	(void)a;
	(void)b;
	(void)c;
	(void)d;
	return 0;
}
