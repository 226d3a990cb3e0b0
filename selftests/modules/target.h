/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the objects of clp_test_target.
 *
 * The functions clp patches replace must stay real, separate, traceable
 * functions under their own names: no inlining, no clones such as
 * "foo.constprop.0", no caller that uses a return value the compiler worked
 * out at build time.  GCC's noipa attribute promises all of that.
 */
#ifndef _CLP_TEST_TARGET_H
#define _CLP_TEST_TARGET_H

#include <linux/compiler.h>

#if __has_attribute(__noipa__)
#define clp_target_fn	__attribute__((__noipa__)) noinline
#else
#define clp_target_fn	noinline
/* target_late.c (module clp_test_late) */
const char *clp_late_fn(void);

#endif

/* target_main.c: what clp patches replace */
const char *clp_target_f1(void);
const char *clp_target_f2(void);
const char *clp_target_f3(void);
void clp_target_sleep(void);
int clp_target_cold(int sleep);
void clp_target_block(void);		/* EXPORT_SYMBOL_GPL */
const char *clp_target_notrace(void);

/* target_many.c: 128 functions clp_target_many_NNN and their count */
int clp_target_many_count(void);

/* target_dup.c: calls its own static clp_target_dup() */
const char *clp_target_second(void);

/* target_late.c (module clp_test_late) */
const char *clp_late_fn(void);

#endif
