/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CLP_BUILD_H
#define CLP_BUILD_H

/* Exit codes of 'clp build' (documented in clp build --help). */
enum {
	EXIT_OK = 0,
	EXIT_REJECTED = 1,	/* the patch set does not build or fails a check */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_ENV = 3,		/* target kernel tree, symbols or build-id missing */
	EXIT_INTERNAL = 4,	/* I/O error, tool missing, out of memory */
};

int cmd_build(int argc, char **argv);
/* The step kbuild runs between compiling the patches and linking. */
int build_glue_stage(const char *dir);

#endif
