// SPDX-License-Identifier: GPL-2.0
/* selftest patch t2 of the clp_test_target module, with a sleeping version */
#include "target.h"

CLP_P_TARGET_STR(p_f1, "t2-f1")
CLP_P_TARGET_STR(p_f3, "t2-f3")

static struct clp_func funcs[] = {
	{ .old_name = "clp_target_f1", .new_func = p_f1 },
	{ .old_name = "clp_target_f3", .new_func = p_f3 },
	{ .old_name = "clp_target_sleep", .new_func = p_target_sleep },
	{ }
};

static struct clp_object objs[] = {
	{ .name = "clp_test_target", .funcs = funcs },
	{ }
};

static struct clp_patch patch = {
	.version = "selftest+t2",
	.objs = objs,
};
CLP_PATCH_MODULE(patch);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("clp selftest patch t2");
