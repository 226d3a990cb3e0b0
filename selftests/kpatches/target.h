/* SPDX-License-Identifier: GPL-2.0 */
/* Replacements for functions of clp_test_target (see ../modules). */
#include <linux/module.h>
#include <clp/patch.h>

void clp_target_block(void);

static unsigned long __maybe_unused p_target_sleeps;

/*
 * Sleeps like the original, so a task can be caught inside this version;
 * the count after the call keeps the compiler from making it a tail call
 * (which would leave no frame of this version on the stack).
 */
static void __maybe_unused p_target_sleep(void)
{
	clp_target_block();
	WRITE_ONCE(p_target_sleeps, p_target_sleeps + 1);
}

#define CLP_P_TARGET_STR(fn, str)		\
static const char *fn(void)			\
{						\
	return str;				\
}
