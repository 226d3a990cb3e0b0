// SPDX-License-Identifier: GPL-2.0
/*
 * A reference the build cannot check (modules are not in System.map) and
 * the core cannot resolve: clp_test_target has no clp_target_nosuch.  The
 * core must refuse the patch at load, naming the symbol.
 */
#include <clp/patch.h>

extern int clp_target_nosuch;
CLP_SYM_MOD(clp_test_target, clp_target_nosuch, 0);

static const char *new_f2(void)
{
	return clp_target_nosuch ? "badref-yes" : "badref-no";
}
CLP_FUNC_MOD(clp_test_target, clp_target_f2, new_f2);
