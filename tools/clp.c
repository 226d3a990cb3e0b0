// SPDX-License-Identifier: GPL-2.0
/*
 * clp - the userspace command of clp, with bpftool-style subcommands.  To
 * add one, write cmd_<name>(argc, argv) (argv[0] is the subcommand) and add
 * a line to the commands[] table.
 */
#include <stdio.h>
#include <string.h>

#include "build.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "build", cmd_build, "link a patch set into one cumulative live-patch module" },
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

	if (argc > 1 && (c = find(argv[1])) && c->fn != cmd_help) {
		char *av[] = { (char *)c->name, "--help", NULL };

		return c->fn(2, av);
	}
	printf("Usage: clp COMMAND [ARGS...]\n\nCommands:\n");
	for (c = commands; c->name; c++)
		printf("  %-8s %s\n", c->name, c->summary);
	printf("\n'clp COMMAND --help' describes a command.\n");
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		cmd_help(1, argv);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(1, argv);
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "clp: unknown command '%s'; see 'clp help'\n", argv[1]);
		return 2;
	}
	return c->fn(argc - 1, argv + 1);
}
