// SPDX-License-Identifier: GPL-2.0
/* clp_target_f3 of clp_test_target returns "<tag>-f3" (clp_p_t1 -> t1-f3). */
#include <clp/patch.h>

static const char *new_f3(void)
{
	return KBUILD_MODNAME "-f3" + sizeof("clp_p_") - 1;
}
CLP_FUNC_MOD(clp_test_target, clp_target_f3, new_f3);
