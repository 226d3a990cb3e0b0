// SPDX-License-Identifier: GPL-2.0
/*
 * 128 small functions, clp_target_many_100 .. _177 and _200 .. _277, for a
 * patch that replaces many functions at once (selftests/patches/many.c):
 * one batched ftrace update, and a /sys/kernel/clp/functions longer than a
 * page.  clp_target_many_count() calls them all and counts the patched
 * ones (a replacement returns 1, an original 0); /proc/clp_target_many
 * shows "patched=<count>".
 */
#include <linux/compiler.h>
#include "target.h"
#include "many.h"

#define CLP_MANY_FN(n)	clp_target_fn int clp_target_many_##n(void) { return 0; }
CLP_MANY(CLP_MANY_FN)

#define CLP_MANY_CALL(n)	count += clp_target_many_##n();
clp_target_fn int clp_target_many_count(void)
{
	int count = 0;

	CLP_MANY(CLP_MANY_CALL)
	return count;
}
