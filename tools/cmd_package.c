// SPDX-License-Identifier: GPL-2.0
/*
 * clp package: wrap a cumulative patch module into a Debian package whose
 * maintainer scripts follow the kernel-patch policy (lib/debpkg.c).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "debpkg.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp package [-n NAME] [-V VERSION] [-o OUT.deb] [--maintainer M] FILE.ko\n"
"\n"
"Wrap a cumulative patch module into a Debian package for its kernel\n"
"release.  On a machine running that kernel the package's postinst runs\n"
"'clp check', installs the module for boot and loads it, superseding the\n"
"package's previous module with no gap; a refused check fails the\n"
"configuration and changes nothing.  On another kernel it only installs\n"
"the module for that kernel's boot.  Removing the package unloads it; purge\n"
"leaves nothing.  The .deb is written whole or not at all (dpkg-deb).\n"
"\n"
"  -n, --name NAME        package name (default clp-patch-<release>)\n"
"  -V, --version VERSION  package version (default: the number of patches in\n"
"                         the set; a newer cumulative set needs a higher one)\n"
"  -o, --output OUT.deb   output (default NAME_VERSION_amd64.deb)\n"
"  --maintainer M         the Maintainer field (default clp package\n"
"                         <root@localhost>)\n"
"\n"
"Exit status: 0 written; 1 not a clp module; 2 bad command line (also a\n"
"name or version Debian does not accept); 4 I/O error or dpkg-deb failed.\n");
}

int cmd_package(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "version", required_argument, NULL, 'V' },
		{ "output", required_argument, NULL, 'o' },
		{ "maintainer", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct debpkg_opts o = { 0 };
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:V:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o.name = optarg; break;
		case 'V': o.version = optarg; break;
		case 'o': o.output = optarg; break;
		case 'M': o.maintainer = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option("package", argv, c);
		}
	}
	if (optind != argc - 1) {
		err_msg("package: give one module file; see 'clp package --help'");
		return EXIT_USAGE;
	}
	if (o.name && !debpkg_name_valid(o.name)) {
		err_msg("package: '%s' is not a Debian package name", o.name);
		return EXIT_USAGE;
	}
	if (o.version && !debpkg_version_valid(o.version)) {
		err_msg("package: '%s' is not a package version", o.version);
		return EXIT_USAGE;
	}
	o.module = argv[optind];
	return debpkg_write(&o);
}
