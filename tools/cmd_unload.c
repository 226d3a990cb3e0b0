// SPDX-License-Identifier: GPL-2.0
/*
 * clp unload: disable a patch if needed, wait for its module's references
 * to go, remove the module.  --all removes every registered patch, newest
 * first.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "kernel.h"
#include "unload.h"
#include "util.h"

#define DEFAULT_TIMEOUT 10

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp unload [-t S] NAME...\n"
"       clp unload [-t S] --all\n"
"\n"
"Disable the patch NAME if it is enabled (a live patch falls back to the\n"
"newest enabled older patch or to the original), wait until its module is\n"
"no longer in use, and remove it.  NAME is a patch as 'clp list' shows it or\n"
"its module's name (they differ when the module names the patch itself).\n"
"A module that is not loaded is a notice, not an error.  --all removes\n"
"every registered patch, newest first.\n"
"\n"
"  -t, --timeout S  how long to wait for the module to become unused\n"
"                   (default %d seconds)\n"
"  --all            every registered patch\n"
"\n"
"Exit status: 0 removed (or not loaded); 1 disabling or removing failed (the\n"
"kernel's reason is printed); 2 bad command line.\n", DEFAULT_TIMEOUT);
}

int cmd_unload(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct clp_env e;
	double timeout = DEFAULT_TIMEOUT;
	bool all = false;
	char *end;
	int c, rc = EXIT_OK, i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			timeout = strtod(optarg, &end);
			if (*end || end == optarg || timeout < 0 || timeout > 86400) {
				err_msg("unload: --timeout %s: not a number of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'a': all = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option("unload", argv, c);
		}
	}
	if (all ? optind != argc : optind >= argc) {
		err_msg("unload: give patch names or --all; see 'clp unload --help'");
		return EXIT_USAGE;
	}
	for (i = optind; i < argc; i++)
		if (!modname_valid(argv[i])) {
			err_msg("unload: '%s' is not a module name", argv[i]);
			return EXIT_USAGE;
		}
	env_init(&e);
	if (e.fake) {
		err_msg("unload: CLP_SYSFS/CLP_PROC/... are set: refusing to change the running kernel");
		return EXIT_REJECTED;
	}
	if (all) {
		struct sysfs_patch *p;
		long n = sysfs_patches(&e, &p), k;

		if (n < 0) {
			printf("clp: the clp core is not loaded; nothing to do\n");
			return EXIT_OK;
		}
		if (n == 0)
			printf("clp: no patch is registered\n");
		/* by sysfs name, which need not be the module's */
		for (k = n - 1; k >= 0; k--) {
			char *mod = sysfs_patch_module(&e, p[k].name);

			if (unload_one(&e, p[k].name, mod, timeout))
				rc = EXIT_REJECTED;
			free(mod);
		}
		sysfs_patches_free(p, n);
		return rc;
	}
	for (i = optind; i < argc; i++)
		if (unload_arg(&e, argv[i], timeout))
			rc = EXIT_REJECTED;
	return rc;
}
