// SPDX-License-Identifier: GPL-2.0
/*
 * The second object of clp_test_target: a static function with the same
 * name as one in target_main.c, so that kallsyms lists clp_target_dup twice
 * for the module (this one second) and a patch has to pick it by position.
 */
#include <linux/compiler.h>
#include "target.h"

static clp_target_fn const char *clp_target_dup(void)
{
	return "dup-2";
}

clp_target_fn const char *clp_target_second(void)
{
	return clp_target_dup();
}
