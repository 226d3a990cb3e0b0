// SPDX-License-Identifier: GPL-2.0
/*
 * clp_clone_fn and its clone clp_clone_fn.part.0, the slow path GCC split
 * off.  The clone is called with whatever arguments GCC chose for it, not
 * clp_clone_fn's; this replacement takes none and returns what the slow
 * path returns.
 */
#include "clone.h"

static const char *fixed_clone_part(void)
{
	return "new-slow-part";
}
CLP_FUNC_CLONE_MOD(clp_test_clone, "clp_clone_fn.part.0", fixed_clone_part);
