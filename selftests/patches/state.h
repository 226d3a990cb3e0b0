/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Callbacks of the state selftest patches (state-1.c, state-2.c): system
 * state 0x5ea7.  pre_patch takes the state over from the patch that was
 * live (clp_get_prev_state()) or establishes it; post_unpatch releases it
 * when this patch is disabled.  Each step logs
 * "<module>: state <what> <data>".
 */
#include <linux/printk.h>
#include <linux/slab.h>
#include <clp/patch.h>

#define STATE_ID	0x5ea7

static int state_pre_patch(struct clp_object *obj)
{
	struct clp_state *st = clp_get_state(THIS_MODULE, STATE_ID);
	struct clp_state *prev = clp_get_prev_state(STATE_ID);

	if (!st)
		return -EINVAL;
	if (prev && prev->data) {
		st->data = prev->data;
		prev->data = NULL;
		pr_info("%s: state v%u takes over %s (v%u)\n", KBUILD_MODNAME,
			st->version, (char *)st->data, prev->version);
		return 0;
	}
	st->data = kasprintf(GFP_KERNEL, "data-of-%s", KBUILD_MODNAME);
	if (!st->data)
		return -ENOMEM;
	pr_info("%s: state v%u establishes %s\n", KBUILD_MODNAME, st->version,
		(char *)st->data);
	return 0;
}

static void state_post_unpatch(struct clp_object *obj)
{
	struct clp_state *st = clp_get_state(THIS_MODULE, STATE_ID);

	if (!st || !st->data)
		return;
	pr_info("%s: state v%u releases %s\n", KBUILD_MODNAME, st->version,
		(char *)st->data);
	kfree(st->data);
	st->data = NULL;
}

CLP_PRE_PATCH(vmlinux, state_pre_patch);
CLP_POST_UNPATCH(vmlinux, state_post_unpatch);
