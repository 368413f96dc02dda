/*
 * portio N: N reads of I/O port 0x80 through /dev/port, so that the kernel
 * executes each IN (each one a VM exit of reason 30) on our behalf.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 1000;
	unsigned char byte;
	int fd = open("/dev/port", O_RDONLY);

	if (fd < 0) {
		perror("portio: /dev/port");
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (pread(fd, &byte, 1, 0x80) != 1) {
			perror("portio: read");
			return 1;
		}
	}
	close(fd);
	return 0;
}
