// SPDX-License-Identifier: GPL-2.0
/*
 * clp install / uninstall: keep patch modules in <dir>/<kver>/ for 'clp
 * load --all' at boot.  See install.h for the index that decides which
 * module is the newest.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "install.h"
#include "util.h"

static void install_usage(FILE *f)
{
	fprintf(f,
"Usage: clp install [-k KVER] [--dir DIR] FILE.ko\n"
"\n"
"Install a patch module for 'clp load --all' (run at boot) as\n"
"DIR/KVER/NAME.ko, written atomically, and make it the newest installed\n"
"module of KVER.  Refused when the module was built for another kernel\n"
"release (its clp_kernel).  Installing an identical file again changes\n"
"nothing.  'clp load --all' tries the newest first.\n"
"\n"
"  -k, --kver KVER  kernel release (default: the running kernel's)\n"
"  --dir DIR        install directory (default $CLP_LIB_DIR or /var/lib/clp)\n"
"\n"
"Exit status: 0 installed (or already); 1 not a clp module; 2 bad command\n"
"line; 3 built for another kernel release; 4 I/O error.\n");
}

static void uninstall_usage(FILE *f)
{
	fprintf(f,
"Usage: clp uninstall [-k KVER] [--dir DIR] NAME\n"
"\n"
"Remove the installed patch module NAME of KVER (it stays loaded if it is).\n"
"Uninstalling a module that is not installed is a notice, not an error.\n"
"\n"
"  -k, --kver KVER  kernel release (default: the running kernel's)\n"
"  --dir DIR        install directory (default $CLP_LIB_DIR or /var/lib/clp)\n"
"\n"
"Exit status: 0 removed (or not installed); 2 bad command line; 4 I/O error.\n");
}

struct inst_opts {
	const char *kver, *dir;
};

/* Shared option parsing; returns -1 to go on, else an exit code. */
static int parse(int argc, char **argv, const char *cmd, void (*usage)(FILE *),
		 struct inst_opts *o)
{
	static const struct option longopts[] = {
		{ "kver", required_argument, NULL, 'k' },
		{ "dir", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o->kver = optarg; break;
		case 'D': o->dir = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option(cmd, argv, c);
		}
	}
	if (optind != argc - 1) {
		err_msg("%s: give one %s; see 'clp %s --help'", cmd,
			!strcmp(cmd, "install") ? "module file" : "module name", cmd);
		return EXIT_USAGE;
	}
	if (o->kver && (!*o->kver || strchr(o->kver, '/') || o->kver[0] == '.')) {
		err_msg("%s: '%s' is not a kernel release", cmd, o->kver);
		return EXIT_USAGE;
	}
	return -1;
}

int cmd_install(int argc, char **argv)
{
	struct inst_opts o = { 0 };
	struct clp_env e;
	int rc = parse(argc, argv, "install", install_usage, &o);

	if (rc >= 0)
		return rc;
	env_init(&e);
	o.kver = o.kver ? o.kver : e.release;
	o.dir = o.dir ? o.dir : e.libdir;
	return install_module(argv[optind], o.kver, o.dir);
}

int cmd_uninstall(int argc, char **argv)
{
	struct inst_opts o = { 0 };
	struct clp_env e;
	int rc = parse(argc, argv, "uninstall", uninstall_usage, &o);

	if (rc >= 0)
		return rc;
	if (!modname_valid(argv[optind])) {
		err_msg("uninstall: '%s' is not a module name", argv[optind]);
		return EXIT_USAGE;
	}
	env_init(&e);
	o.kver = o.kver ? o.kver : e.release;
	o.dir = o.dir ? o.dir : e.libdir;
	return uninstall_module(argv[optind], o.kver, o.dir);
}
