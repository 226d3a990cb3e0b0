// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the subcommands (see cli.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "util.h"

int bad_option(const char *cmd, char **argv, int c)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		err_msg("%s: option '%s' needs an argument; see 'clp %s --help'", cmd, arg, cmd);
	else if (optopt && !str_starts(arg, "--"))
		err_msg("%s: unknown option '-%c'; see 'clp %s --help'", cmd, optopt, cmd);
	else
		err_msg("%s: unknown option '%s'; see 'clp %s --help'", cmd, arg, cmd);
	return EXIT_USAGE;
}

bool arg_is_file(const char *arg)
{
	struct stat st;

	return strchr(arg, '/') || str_ends(arg, ".ko") ||
	       (stat(arg, &st) == 0 && S_ISREG(st.st_mode));
}
