// SPDX-License-Identifier: GPL-2.0
/*
 * clp_target_f3 of clp_test_target counts its calls in a shadow variable
 * attached to init_task (id 0x5ad0) and returns "calls-N".  The variable
 * lives in the core, so a cumulative patch built from this file too goes
 * on counting where the one it supersedes stopped; disabling the live
 * patch frees it (post_unpatch).
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/sched/task.h>
#include <clp/patch.h>

#define COUNT_ID	0x5ad0

static char buf[32];

static int count_ctor(void *obj, void *data, void *ctor_data)
{
	*(int *)data = 0;
	return 0;
}

static const char *counting_f3(void)
{
	int *n = clp_shadow_get_or_alloc(&init_task, COUNT_ID, sizeof(*n),
					 GFP_KERNEL, count_ctor, NULL);

	if (!n)
		return "calls-nomem";
	snprintf(buf, sizeof(buf), "calls-%d", ++*n);
	return buf;
}
CLP_FUNC_MOD(clp_test_target, clp_target_f3, counting_f3);

static void count_free(struct clp_object *obj)
{
	clp_shadow_free_all(COUNT_ID, NULL);
}
CLP_POST_UNPATCH(clp_test_target, count_free);
