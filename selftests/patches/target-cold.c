// SPDX-License-Identifier: GPL-2.0
/* clp_target_cold of clp_test_target returns 7: /proc/clp_target_cold "cold=7". */
#include <clp/patch.h>

static int new_cold(int sleep)
{
	return 7;
}
CLP_FUNC_MOD(clp_test_target, clp_target_cold, new_cold);
