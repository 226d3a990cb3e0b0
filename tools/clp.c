// SPDX-License-Identifier: GPL-2.0
/*
 * clp - the userspace command of clp, with bpftool-style subcommands.  To
 * add one, write cmd_<name>(argc, argv) (argv[0] is the subcommand) and add
 * a line to the commands[] table.
 */
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "util.h"
#include "cli.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "build", cmd_build, "link a patch set into one cumulative live-patch module" },
	{ "check", cmd_check, "dry run: would the running kernel accept this module?" },
	{ "load", cmd_load, "check and insert a patch module (or --all installed ones)" },
	{ "unload", cmd_unload, "disable and remove a patch module (or --all)" },
	{ "list", cmd_list, "registered patches, patched functions, installed modules" },
	{ "info", cmd_info, "what a patch module file or a registered patch contains" },
	{ "install", cmd_install, "install a module for 'clp load --all' at boot" },
	{ "uninstall", cmd_uninstall, "remove an installed module" },
	{ "source", cmd_source, "prepare, locate, list Debian source trees (diff builds)" },
	{ "package", cmd_package, "wrap a module into a Debian package for its kernel" },
	{ "help", cmd_help, "show this help, or 'clp help CMD' for a command's" },
	{ }
};

static const struct command *find(const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc > 2) {
		err_msg("help: too many arguments");
		return EXIT_USAGE;
	}
	if (argc > 1 && (c = find(argv[1])) && c->fn != cmd_help) {
		char *av[] = { (char *)c->name, "--help", NULL };

		return c->fn(2, av);
	}
	if (argc > 1 && strcmp(argv[1], "help") && strcmp(argv[1], "--help") &&
	    strcmp(argv[1], "-h")) {
		err_msg("help: unknown command '%s'; see 'clp help'", argv[1]);
		return EXIT_USAGE;
	}
	printf("Usage: clp COMMAND [ARGS...]\n\nCommands:\n");
	for (c = commands; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("\n'clp COMMAND --help' or 'clp help COMMAND' describes a command.\n"
	       "\nExit status (every command; see its --help for which apply):\n"
	       "  0  success (also: nothing to do)\n"
	       "  1  the operation failed or was refused\n"
	       "  2  bad command line\n"
	       "  3  build: target kernel tree, symbols or build-id missing;\n"
	       "     check, load, install: the module does not match this kernel\n"
	       "  4  I/O or internal error\n"
	       "\nEnvironment: CLP_SYSFS, CLP_PROC, CLP_SYS_MODULE, CLP_KERNEL_NOTES,\n"
	       "CLP_TRACEFS, CLP_KMSG and CLP_RELEASE move where the running kernel is\n"
	       "read (for tests; load and unload then refuse to run); CLP_LIB_DIR is the\n"
	       "install directory (default /var/lib/clp).  Manual: clp(8), clp-COMMAND(8).\n");
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		cmd_help(1, argv);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(1, argv);
	c = find(argv[1]);
	if (!c) {
		err_msg("unknown command '%s'; see 'clp help'", argv[1]);
		return EXIT_USAGE;
	}
	return c->fn(argc - 1, argv + 1);
}
