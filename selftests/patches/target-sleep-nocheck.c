// SPDX-License-Identifier: GPL-2.0
/*
 * clp_target_sleep of clp_test_target, exempt from the stack check: a switch
 * goes ahead while a task sleeps inside the old or the new version (as for
 * a function that is always on some stack).  clp_target_block is exported by
 * clp_test_target, which the kernel's Module.symvers does not know: the
 * core resolves the call when the patch loads.
 */
#include <linux/compiler.h>
#include <clp/patch.h>

void clp_target_block(void);
CLP_SYM_MOD(clp_test_target, clp_target_block, 0);

static unsigned long sleeps;

/* the count after the call keeps it from being a tail call (no frame) */
static void nocheck_sleep(void)
{
	clp_target_block();
	WRITE_ONCE(sleeps, sleeps + 1);
}
CLP_FUNC_FULL(clp_test_target, clp_target_sleep, nocheck_sleep, 0, NOCHECK);
