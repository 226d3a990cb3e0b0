// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces the 128 functions clp_target_many_NNN of clp_test_target, each
 * with a version that returns 1, so /proc/clp_target_many shows how many
 * are live (all or none: they switch together).
 */
#include <clp/patch.h>
#include "../modules/many.h"

#define MANY_NEW(n)							\
	static int new_many_##n(void) { return 1; }			\
	CLP_FUNC_MOD(clp_test_target, clp_target_many_##n, new_many_##n);
CLP_MANY(MANY_NEW)
