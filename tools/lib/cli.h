/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli - the subcommands that manage patches on the running kernel (load,
 * unload, list, info, check, install, uninstall; source, which manages
 * the prepared source trees) and what they share.
 */
#ifndef CLP_CLI_H
#define CLP_CLI_H

#include <stdbool.h>

#include "env.h"
#include "exitcodes.h"
#include "patchinfo.h"

int cmd_load(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);
int cmd_source(int argc, char **argv);
int cmd_package(int argc, char **argv);

/*
 * getopt_long() with opterr = 0 returned '?' or ':': print one line naming
 * the bad option and return EXIT_USAGE.  Option strings must start with ':'.
 */
int bad_option(const char *cmd, char **argv, int c);

/* Whether a command argument names a module file rather than a patch. */
bool arg_is_file(const char *arg);
#endif
