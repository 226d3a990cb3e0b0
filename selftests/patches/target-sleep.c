// SPDX-License-Identifier: GPL-2.0
/*
 * clp_target_sleep of clp_test_target, sleeping like the original so that a
 * task can be caught inside this version.  clp_target_block is exported by
 * clp_test_target, which the kernel's Module.symvers does not know: the
 * core resolves the call when the patch loads.
 */
#include <linux/compiler.h>
#include <clp/patch.h>

void clp_target_block(void);
CLP_SYM_MOD(clp_test_target, clp_target_block, 0);

static unsigned long sleeps;

/* the count after the call keeps it from being a tail call (no frame) */
static void new_sleep(void)
{
	clp_target_block();
	WRITE_ONCE(sleeps, sleeps + 1);
}
CLP_FUNC_MOD(clp_test_target, clp_target_sleep, new_sleep);
