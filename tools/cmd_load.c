// SPDX-License-Identifier: GPL-2.0
/*
 * clp load: check a patch module against the running kernel, insert it and
 * report the switch.  A stale copy of the same module (superseded, still
 * loaded) is removed and inserted again, so that it becomes the newest: a
 * zero-gap downgrade, since the newer patch stays live until the
 * re-inserted one supersedes it.  --all loads what is installed for the
 * running kernel.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "cli.h"
#include "install.h"
#include "kernel.h"
#include "load.h"
#include "util.h"

#define DEFAULT_RETRIES 5
#define DEFAULT_DELAY_MS 500

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp load [--retries N] [--delay MS] FILE.ko\n"
"       clp load [--retries N] [--delay MS] --all [-k KVER] [--dir DIR]\n"
"\n"
"Run the checks of 'clp check', then insert the module and report which\n"
"patch is live now.  Nothing is inserted when a check fails.  A patch that\n"
"is already loaded and live is left alone (success).  A module of the same\n"
"name that is loaded but superseded or disabled is removed and inserted\n"
"again, so that it becomes the newest and supersedes the live patch with no\n"
"gap (a rollback).  When the core refuses the switch because a task is\n"
"inside a changing function (EBUSY), the load is retried.\n"
"\n"
"  --retries N  retries after EBUSY (default %d)\n"
"  --delay MS   pause between them in milliseconds (default %d)\n"
"  --all        load the newest module installed for the running kernel\n"
"               (see 'clp install'); modules that do not apply are skipped\n"
"               with a notice and the next newest is tried\n"
"  -k, --kver KVER  with --all: the kernel release (default: running)\n"
"  --dir DIR    with --all: the install directory (default $CLP_LIB_DIR or\n"
"               /var/lib/clp)\n"
"\n"
"Exit status: 0 loaded (or already live; --all: nothing applies); 1 the load\n"
"failed (the kernel's reason is printed); 2 bad command line; 3 a check\n"
"failed, nothing was inserted.\n", DEFAULT_RETRIES, DEFAULT_DELAY_MS);
}

int cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "retries", required_argument, NULL, 'r' },
		{ "delay", required_argument, NULL, 'd' },
		{ "all", no_argument, NULL, 'a' },
		{ "kver", required_argument, NULL, 'k' },
		{ "dir", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct load_opts o = { .retries = DEFAULT_RETRIES, .delay_ms = DEFAULT_DELAY_MS };
	const char *kver = NULL, *dir = NULL;
	struct clp_env e;
	bool all = false;
	char *end;
	long v;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
		case 'd':
			v = strtol(optarg, &end, 10);
			if (*end || end == optarg || v < 0 || v > 100000) {
				err_msg("load: --%s %s: not a number in 0..100000",
					c == 'r' ? "retries" : "delay", optarg);
				return EXIT_USAGE;
			}
			if (c == 'r')
				o.retries = (int)v;
			else
				o.delay_ms = (unsigned int)v;
			break;
		case 'a': all = true; break;
		case 'k': kver = optarg; break;
		case 'D': dir = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option("load", argv, c);
		}
	}
	if (all ? optind != argc : optind != argc - 1) {
		err_msg("load: give one module file or --all; see 'clp load --help'");
		return EXIT_USAGE;
	}
	if (!all && (kver || dir)) {
		err_msg("load: -k and --dir go with --all");
		return EXIT_USAGE;
	}
	env_init(&e);
	if (e.fake) {
		err_msg("load: CLP_SYSFS/CLP_PROC/... are set: refusing to change the running kernel");
		return EXIT_REJECTED;
	}
	if (all)
		return load_all(&e, dir ? dir : e.libdir, kver ? kver : e.release, &o);
	return load_module(&e, argv[optind], &o);
}
