// SPDX-License-Identifier: GPL-2.0
/* clp_target_f1 of clp_test_target returns "<tag>-f1" (clp_p_t1 -> t1-f1). */
#include <clp/patch.h>

static const char *new_f1(void)
{
	return KBUILD_MODNAME "-f1" + sizeof("clp_p_") - 1;
}
CLP_FUNC_MOD(clp_test_target, clp_target_f1, new_f1);
