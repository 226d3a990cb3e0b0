// SPDX-License-Identifier: GPL-2.0
/* clp_late_fn of clp_test_late returns "<tag>-late" (clp_p_lm1 -> lm1-late). */
#include <clp/patch.h>

static const char *new_late(void)
{
	return KBUILD_MODNAME "-late" + sizeof("clp_p_") - 1;
}
CLP_FUNC_MOD(clp_test_late, clp_late_fn, new_late);
