#include <stdint.h>
#include <string.h>

#include "hostfile.h"
#include "unit.h"

static char err[160];

static int parses(const char *text, struct hostfile *f)
{
	err[0] = '\0';
	return hostfile_parse(text, strlen(text), f, err, sizeof(err));
}

/* Refused, with an error naming the line and containing want. */
static int refused(const char *text, const char *line, const char *want)
{
	struct hostfile f;

	err[0] = '\0';
	return !hostfile_parse(text, strlen(text), &f, err, sizeof(err)) &&
	       strncmp(err, line, strlen(line)) == 0 && strstr(err, want);
}

void test_hostfile(void)
{
	struct hostfile f;

	CHECK(parses("exitstat 1\ntotal 1000 500000\n1 10 1000\n10 600 300000\n48 0 0\n", &f) &&
		      f.total_exits == 1000 && f.total_cycles == 500000 &&
		      f.count == 3 && f.listed[1] && f.listed[10] && f.listed[48] &&
		      !f.listed[0] && !f.listed[30] && f.exits[10] == 600 &&
		      f.cycles[10] == 300000 && f.exits[48] == 0,
	      "hostfile: the documented format, figures and reasons read");
	CHECK(parses("exitstat 1\ntotal 0 0\n", &f) && f.count == 0,
	      "hostfile: a file with the totals alone");
	CHECK(parses("exitstat 1\ntotal 18446744073709551615 18446744073709551615\n85 18446744073709551615 0\n", &f) &&
		      f.total_exits == UINT64_MAX && f.count == 1 && f.listed[85] &&
		      !f.listed[84] && f.exits[85] == UINT64_MAX,
	      "hostfile: 64-bit figures up to 2^64-1, reason 85");
	CHECK(parses("exitstat 1\ntotal 0 0\n0 1 2\n", &f) && f.listed[0] &&
		      f.exits[0] == 1 && f.cycles[0] == 2,
	      "hostfile: reason 0 is a reason like any other");
	CHECK(refused("exitstat 1\ntotal 0 0\n0 1 2\n0 1 2\n", "line 4:", "out of order"),
	      "hostfile: reason 0 twice refused");

	CHECK(refused("exitstat 2\ntotal 0 0\n", "line 1:", "another format or version"),
	      "hostfile: another version refused");
	CHECK(refused("exitstat 1 \ntotal 0 0\n", "line 1:", "is not 'exitstat 1'"),
	      "hostfile: a version line with more refused");
	CHECK(refused("", "line 1:", "empty"), "hostfile: an empty file refused");
	CHECK(refused("exitstat 1\n", "line 2:", "missing"),
	      "hostfile: no total line refused");
	CHECK(refused("exitstat 1\ntotal 1 2", "line 2:", "no newline"),
	      "hostfile: a cut line refused");
	CHECK(refused("exitstat 1\nsum 1 2\n", "line 2:", "total EXITS CYCLES"),
	      "hostfile: a second line that is no total refused");
	CHECK(refused("exitstat 1\ntotal 18446744073709551616 0\n", "line 2:", "64 bits"),
	      "hostfile: 2^64 in the total refused as overflow");
	CHECK(refused("exitstat 1\ntotal 0 0\n10 1 99999999999999999999\n", "line 3:", "64 bits"),
	      "hostfile: an overflowing cycles figure refused");
	CHECK(refused("exitstat 1\ntotal -1 0\n", "line 2:", "decimal"),
	      "hostfile: a sign refused");
	CHECK(refused("exitstat 1\ntotal 0x10 0\n", "line 2:", "decimal"),
	      "hostfile: hexadecimal refused");
	CHECK(refused("exitstat 1\ntotal 1  2\n", "line 2:", "decimal"),
	      "hostfile: two spaces refused");
	CHECK(refused("exitstat 1\ntotal 1 2 3\n", "line 2:", "KEY EXITS CYCLES"),
	      "hostfile: a third figure refused");
	CHECK(refused("exitstat 1\ntotal 1 2\n10 1\n", "line 3:", "reason 10"),
	      "hostfile: a reason line short of a figure refused");
	CHECK(refused("exitstat 1\ntotal 1 2\n30 1 1\n10 1 1\n", "line 4:", "increasing order"),
	      "hostfile: reasons out of order refused");
	CHECK(refused("exitstat 1\ntotal 1 2\n10 1 1\n10 1 1\n", "line 4:", "increasing order"),
	      "hostfile: a reason twice refused");
	CHECK(refused("exitstat 1\ntotal 1 2\n86 1 1\n", "line 3:", "above 85"),
	      "hostfile: a reason above 85 refused");
	CHECK(refused("exitstat 1\ntotal 1 2\n\n", "line 3:", "decimal"),
	      "hostfile: an empty line refused");
	CHECK(!hostfile_parse("exitstat 1\ntotal 1\0 2\n", 23, &f, err, sizeof(err)) &&
		      strstr(err, "NUL"),
	      "hostfile: a NUL byte named");
	CHECK(refused("exitstat 1\r\ntotal 1 2\n", "line 1:", "exitstat 1"),
	      "hostfile: CRLF refused");
}
