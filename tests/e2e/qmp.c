/*
 * A QMP client small enough for the first guest's initramfs:
 *   qmp SOCKET COMMAND...
 * connects to QEMU's QMP socket, leaves capabilities negotiation, sends
 * each COMMAND (a JSON object) and prints each answer on a line of its
 * own.  Events are skipped.  Exits 0 when every command returned, 1 when
 * one answered with an error, 2 when the socket failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static FILE *in;

/* The next line that is not an event, or NULL at the end. */
static char *answer(void)
{
	static char *line;
	static size_t cap;

	while (getline(&line, &cap, in) > 0) {
		if (!strstr(line, "\"event\""))
			return line;
	}
	return NULL;
}

static int send_command(int fd, const char *command)
{
	size_t len = strlen(command);

	return write(fd, command, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, i, status = 0;
	char *line;

	if (argc < 3 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: qmp SOCKET COMMAND...\n");
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror(argv[1]);
		return 2;
	}
	in = fdopen(dup(fd), "r");
	/* The greeting, then the answer to qmp_capabilities. */
	if (!in || !answer() ||
	    !send_command(fd, "{\"execute\": \"qmp_capabilities\"}") ||
	    !(line = answer()) || !strstr(line, "\"return\"")) {
		fprintf(stderr, "qmp: %s: no QMP greeting or capabilities\n",
			argv[1]);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (!send_command(fd, argv[i]) || !(line = answer())) {
			fprintf(stderr, "qmp: no answer to %s\n", argv[i]);
			return 2;
		}
		fputs(line, stdout);
		if (!strstr(line, "\"return\""))
			status = 1;
	}
	return status;
}
