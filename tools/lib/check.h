/* SPDX-License-Identifier: GPL-2.0 */
/* check - would the core accept a patch module now (see check.c)? */
#ifndef CLP_CHECK_H
#define CLP_CHECK_H

#include <stdbool.h>

#include "env.h"
#include "patchinfo.h"

/*
 * The dry run of a load (check.c): every check against the running
 * kernel.  Failures go to stderr, one line each, prefixed "clp: <what>: ";
 * notices to stdout unless @quiet.  Returns EXIT_OK, EXIT_MISMATCH or
 * another exit code.
 */
struct check_opts {
	bool quiet;		/* no notices */
	bool reload;		/* the module is loaded and will be re-inserted */
};
int check_module(const struct clp_env *e, const struct patch_info *pi, const char *what,
		 const struct check_opts *o);

#endif
