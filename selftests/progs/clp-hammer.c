// SPDX-License-Identifier: GPL-2.0
/*
 * clp-hammer SECONDS ALLOWED [-n PROCS] - call getpid() as fast as possible
 * and check that every answer comes from a coherent version of it.
 *
 * The selftest patches replace getpid: version V (1, 2, 3, ...) returns
 * tgid + 1000000 * V to tasks whose comm is "clp_hammer" (which this
 * program sets for itself); the original returns the tgid (version 0).  An
 * answer that is not tgid plus a multiple of 1000000, or whose version is
 * not in the comma list ALLOWED, is incoherent: it is printed and the
 * program exits 1.  Otherwise it prints
 *	hammer: calls=N v0=.. v1=.. v2=.. v3=..
 * (plus vN=.. for any higher version seen) and exits 0.
 *
 * With -n PROCS, PROCS forked workers hammer at the same time and the
 * counts are their sum; any failed worker fails the run.
 *
 * clp-hammer --decode ALLOWED TGID VALUE decodes one answer and prints
 * "v=V" (exit 0) or why it is incoherent (exit 1), for host tests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define STEP		1000000L
#define MAX_VERSION	63

struct counts {
	unsigned long calls;
	unsigned long v[MAX_VERSION + 1];
	int failed;
};

static unsigned long long allowed;	/* bit V: version V may answer */

static void usage(void)
{
	fprintf(stderr,
		"usage: clp-hammer [-n PROCS] SECONDS ALLOWED\n"
		"       clp-hammer --decode ALLOWED TGID VALUE\n"
		"ALLOWED: comma list of versions 0..%d, e.g. 0,1,2\n",
		MAX_VERSION);
	exit(2);
}

/* Parse "0,1,3" into a bit mask; -1 when malformed. */
static int parse_allowed(const char *s, unsigned long long *mask)
{
	char *end;
	long v;

	*mask = 0;
	for (;;) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (end == s || errno || v < 0 || v > MAX_VERSION)
			return -1;
		*mask |= 1ULL << v;
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

/*
 * The version that answered VALUE to a task whose tgid is TGID, or -1 when
 * the answer is incoherent (why in *why).
 */
static int decode(long tgid, long value, const char **why)
{
	long d = value - tgid, v;

	if (d < 0 || d % STEP) {
		*why = "not tgid + a multiple of 1000000";
		return -1;
	}
	v = d / STEP;
	if (v > MAX_VERSION || !(allowed & (1ULL << v))) {
		*why = "version not allowed";
		return -1;
	}
	return (int)v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void hammer(double seconds, struct counts *c)
{
	long tgid = syscall(SYS_gettid);	/* single-threaded: the tgid */
	double end = now() + seconds;
	const char *why;
	long r;
	int v, i;

	do {
		for (i = 0; i < 4096; i++) {
			r = syscall(SYS_getpid);
			v = decode(tgid, r, &why);
			if (v < 0) {
				printf("hammer: incoherent getpid %ld for tgid %ld "
				       "(offset %ld) after %lu calls: %s\n",
				       r, tgid, r - tgid, c->calls, why);
				fflush(stdout);
				c->failed = 1;
				return;
			}
			c->v[v]++;
			c->calls++;
		}
	} while (now() < end);
}

static void report(const struct counts *c)
{
	int v;

	printf("hammer: calls=%lu", c->calls);
	for (v = 0; v <= MAX_VERSION; v++)
		if (v <= 3 || c->v[v])
			printf(" v%d=%lu", v, c->v[v]);
	printf("\n");
}

static int do_decode(int argc, char **argv)
{
	const char *why;
	char *e1, *e2;
	long tgid, value;
	int v;

	if (argc != 5 || parse_allowed(argv[2], &allowed))
		usage();
	tgid = strtol(argv[3], &e1, 10);
	value = strtol(argv[4], &e2, 10);
	if (*e1 || *e2 || e1 == argv[3] || e2 == argv[4])
		usage();
	v = decode(tgid, value, &why);
	if (v < 0) {
		printf("incoherent: %s\n", why);
		return 1;
	}
	printf("v=%d\n", v);
	return 0;
}

int main(int argc, char **argv)
{
	struct counts *c, sum = { 0 };
	double seconds;
	int procs = 1, fork_workers = 0, opt, i, v, status, rc = 0;
	char *end;

	if (argc > 1 && !strcmp(argv[1], "--decode"))
		return do_decode(argc, argv);
	while ((opt = getopt(argc, argv, "+n:")) != -1) {
		switch (opt) {
		case 'n':
			procs = strtol(optarg, &end, 10);
			if (*end || procs < 1 || procs > 256)
				usage();
			fork_workers = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	seconds = strtod(argv[optind], &end);
	if (*end || end == argv[optind] || seconds < 0)
		usage();
	if (parse_allowed(argv[optind + 1], &allowed))
		usage();

	if (prctl(PR_SET_NAME, "clp_hammer", 0, 0, 0)) {
		perror("clp-hammer: prctl(PR_SET_NAME)");
		return 2;
	}
	c = mmap(NULL, procs * sizeof(*c), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED) {
		perror("clp-hammer: mmap");
		return 2;
	}
	memset(c, 0, procs * sizeof(*c));

	if (!fork_workers) {
		hammer(seconds, c);
	} else {
		for (i = 0; i < procs; i++) {
			pid_t pid = fork();

			if (pid < 0) {
				perror("clp-hammer: fork");
				rc = 1;
				break;
			}
			if (!pid) {
				hammer(seconds, &c[i]);
				_exit(c[i].failed);
			}
		}
		while (wait(&status) > 0)
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				rc = 1;
	}
	for (i = 0; i < procs; i++) {
		sum.calls += c[i].calls;
		for (v = 0; v <= MAX_VERSION; v++)
			sum.v[v] += c[i].v[v];
		if (c[i].failed)
			rc = 1;
	}
	report(&sum);
	return rc;
}
