/* SPDX-License-Identifier: GPL-2.0 */
/* unload - disable a patch, wait for its module, remove it (unload.c). */
#ifndef CLP_UNLOAD_H
#define CLP_UNLOAD_H

#include "env.h"

/*
 * Remove patch @patch (NULL: none registered) of module @mod, waiting up
 * to @timeout seconds for the module to become unused.  An exit code.
 */
int unload_one(const struct clp_env *e, const char *patch, const char *mod,
	       double timeout);
/* NAME as given on the command line: a registered patch's or a module's. */
int unload_arg(const struct clp_env *e, const char *arg, double timeout);

#endif
