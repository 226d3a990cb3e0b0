/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debpkg - a cumulative patch module wrapped in a Debian package (clp
 * package): the module as /usr/lib/clp/patches/<package>/<module>.ko and
 * maintainer scripts that follow the kernel-patch policy (see
 * Documentation/man/clp-package.rst): installed for its kernel release
 * with 'clp install'; on that kernel checked with 'clp check' and loaded,
 * superseding the package's previous module with no gap; a refused check
 * fails the configuration and changes nothing; on another kernel it is only
 * installed; removal unloads; purge leaves nothing.
 */
#ifndef CLP_DEBPKG_H
#define CLP_DEBPKG_H

#include <stdbool.h>

struct debpkg_opts {
	const char *module;	/* the patch module file */
	const char *name;	/* package name; NULL: clp-patch-<release> */
	const char *version;	/* package version; NULL: the set's patch count */
	const char *output;	/* the .deb; NULL: <name>_<version>_amd64.deb */
	const char *maintainer;	/* NULL: "clp package <root@localhost>" */
};

/* Debian's rules for a package name and a (native) version. */
bool debpkg_name_valid(const char *s);
bool debpkg_version_valid(const char *s);

/* Write the package; an exit code (exitcodes.h) after one line on error. */
int debpkg_write(const struct debpkg_opts *o);

#endif
