// SPDX-License-Identifier: GPL-2.0
/*
 * clp check: would the core accept this module now?  The same tests the
 * core makes at registration, done from userspace without touching the
 * kernel: release, build-id, symbols in kallsyms, other ftrace IPMODIFY
 * owners, and system states against the live patch.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "ksyms.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp check [-q] FILE.ko\n"
"\n"
"Dry run of 'clp load' against the running kernel; changes nothing.  Checks\n"
"that the module was built for this kernel release and build-id, that every\n"
"function and reference resolves in /proc/kallsyms (unique, or sympos in\n"
"range; functions of a module that is not loaded, and references into it,\n"
"are noted: they are patched when it loads), that every GCC clone of a\n"
"replaced function in kallsyms (foo.isra.0, foo.constprop.0, foo.part.0) is\n"
"replaced or acknowledged by the module (CLP_UNAFFECTED), that no other\n"
"ftrace IPMODIFY user (a livepatch, a kprobe with a post handler) owns a\n"
"function (tracefs enabled_functions; skipped with a notice without\n"
"tracefs), and that the module carries every system state of the live\n"
"patch at the same or a higher version.  Each failure is one line on\n"
"stderr; notices go to stdout.\n"
"\n"
"  -q, --quiet  no notices\n"
"\n"
"Exit status: 0 a load would pass these checks; 1 the clp core is not loaded\n"
"or the file is not a clp module; 2 bad command line; 3 the module does not\n"
"match this kernel.\n");
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct check_opts o = { 0 };
	struct clp_env e;
	struct patch_info pi;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': o.quiet = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option("check", argv, c);
		}
	}
	if (optind != argc - 1) {
		err_msg("check: give one module file; see 'clp check --help'");
		return EXIT_USAGE;
	}
	env_init(&e);
	if ((rc = pi_read_ko(&pi, argv[optind])))
		return rc;
	rc = check_module(&e, &pi, pi.modname, &o);
	if (!rc)
		printf("clp: %s: the checks pass; 'clp load' would try it\n", pi.modname);
	pi_free(&pi);
	return rc;
}
