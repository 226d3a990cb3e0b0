/* SPDX-License-Identifier: GPL-2.0 */
/* load - insert a checked patch module and report the switch (load.c). */
#ifndef CLP_LOAD_H
#define CLP_LOAD_H

#include <stdbool.h>

#include "env.h"

/*
 * Load one checked module file (load.c): re-insert it if a stale copy
 * is loaded, retry EBUSY, report the switch.  Returns an exit code.
 */
struct load_opts {
	int retries;
	unsigned int delay_ms;
	bool skip_check;	/* the caller already ran check_module() */
};
int load_module(const struct clp_env *e, const char *path, const struct load_opts *o);
/*
 * Load the newest module installed in @libdir for @kver that applies to
 * the running kernel; those that do not are skipped with a notice.
 */
int load_all(const struct clp_env *e, const char *libdir, const char *kver,
	     const struct load_opts *o);

#endif
