// SPDX-License-Identifier: GPL-2.0
/*
 * clp_p_bad - descriptions the core must refuse (or, for mode=sympos2,
 * accept), chosen with mode=:
 *   missing    a vmlinux function that does not exist
 *   ambiguous  clp_target_dup (two in clp_test_target) without sympos
 *   sympos3    clp_target_dup,3: only two exist
 *   sympos2    clp_target_dup,2: fine
 *   notrace    clp_target_notrace, which ftrace cannot redirect
 *   nomodule   an object that is not loaded
 *   twice      the same function twice in one patch
 *   abi        a wrong CLP_ABI_VERSION
 *   nofuncs    an object without functions
 */
#include "target.h"

static char *mode = "missing";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "which bad description to register");

CLP_P_TARGET_STR(p_str, "patched-dup")

static struct clp_func f_missing[] = {
	{ .old_name = "clp_no_such_function", .new_func = p_str }, { }
};
static struct clp_func f_dup0[] = {
	{ .old_name = "clp_target_dup", .new_func = p_str }, { }
};
static struct clp_func f_dup2[] = {
	{ .old_name = "clp_target_dup", .new_func = p_str, .sympos = 2 }, { }
};
static struct clp_func f_dup3[] = {
	{ .old_name = "clp_target_dup", .new_func = p_str, .sympos = 3 }, { }
};
static struct clp_func f_notrace[] = {
	{ .old_name = "clp_target_notrace", .new_func = p_str }, { }
};
static struct clp_func f_twice[] = {
	{ .old_name = "clp_target_f2", .new_func = p_str },
	{ .old_name = "clp_target_f2", .new_func = p_str }, { }
};
static struct clp_func f_none[] = { { } };

static struct clp_object objs[2];
static struct clp_patch patch = { .version = "selftest+bad", .objs = objs };

static const struct {
	const char *mode;
	const char *obj;
	struct clp_func *funcs;
} cases[] = {
	{ "missing", "vmlinux", f_missing },
	{ "ambiguous", "clp_test_target", f_dup0 },
	{ "sympos2", "clp_test_target", f_dup2 },
	{ "sympos3", "clp_test_target", f_dup3 },
	{ "notrace", "clp_test_target", f_notrace },
	{ "nomodule", "clp_no_such_module", f_missing },
	{ "twice", "clp_test_target", f_twice },
	{ "abi", "clp_test_target", f_twice },
	{ "nofuncs", "clp_test_target", f_none },
};

static int __init clp_p_bad_init(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (strcmp(mode, cases[i].mode))
			continue;
		objs[0].name = cases[i].obj;
		objs[0].funcs = cases[i].funcs;
		patch.abi = strcmp(mode, "abi") ? CLP_ABI_VERSION : 99;
		patch.mod = THIS_MODULE;
		return clp_register_patch(&patch);
	}
	return -EINVAL;
}

static void __exit clp_p_bad_exit(void)
{
	clp_unregister_patch(&patch);
}

module_init(clp_p_bad_init);
module_exit(clp_p_bad_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("clp selftest: descriptions the core refuses");
