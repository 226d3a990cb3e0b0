// SPDX-License-Identifier: GPL-2.0
/*
 * clp_p_bad - descriptions the core must refuse (or, for mode=sympos2,
 * accept), chosen with mode=:
 *   missing    a vmlinux function that does not exist
 *   ambiguous  clp_target_dup (two in clp_test_target) without sympos
 *   sympos3    clp_target_dup,3: only two exist
 *   sympos2    clp_target_dup,2: fine
 *   notrace    clp_target_notrace, which ftrace cannot redirect
 *   nomodule   an object that is not loaded (accepted: patched if it
 *              ever loads)
 *   twice      the same function twice in one patch
 *   abi        a wrong CLP_ABI_VERSION
 *   nofuncs    an object without functions
 * and, with a valid function (clp_target_dup,2), bad references or
 * build-ids:
 *   reloctype  a relocation type clp does not support (R_X86_64_32)
 *   relocplace a reference written outside the patch module
 *   relocmissing / relocambig / relocnomod
 *              a reference to a missing vmlinux symbol, to the ambiguous
 *              clp_target_dup, into a module that is not loaded
 *   badbuildid a build-id that is not hex
 * and for clp_test_late, accepted while it is not loaded, but refusing its
 * load later:
 *   latemissing     a function it does not have
 *   laterelocmissing a reference to a symbol it does not have
 * refused although the module is not loaded:
 *   latetwice  clp_late_fn twice (as ,0 and ,1: the same function)
 * and:
 *   relocinit  a reference written into the patch module's init memory
 *   afterinit  nothing at init; writing 1 to the register parameter
 *              registers the patch once the module is live (refused)
 *   longlists  accepted: 300 patch names and 300 states, more than a
 *              page of sysfs text each
 *
 * This module is hand-written on purpose: it tests the core's checks of
 * the raw description, which 'clp build' would never emit.
 */
#include <linux/elf.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <clp/patch.h>

static const char *p_str(void)
{
	return "patched-dup";
}

static char *mode = "missing";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "which bad description to register");


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
static struct clp_func f_late[] = {
	{ .old_name = "clp_late_fn", .new_func = p_str }, { }
};
static struct clp_func f_late_twice[] = {
	{ .old_name = "clp_late_fn", .new_func = p_str },
	{ .old_name = "clp_late_fn", .new_func = p_str, .sympos = 1 }, { }
};

static unsigned long slot;		/* where the references write */
static unsigned long init_slot __initdata;

static struct clp_reloc r_type[] = {
	{ .sym_name = "max_threads", .place = &slot, .type = R_X86_64_32 }, { }
};
static struct clp_reloc r_place[] = {
	{ .sym_name = "max_threads", .place = (void *)&jiffies,
	  .type = R_X86_64_64 }, { }
};
static struct clp_reloc r_missing[] = {
	{ .sym_name = "clp_no_such_symbol", .place = &slot,
	  .type = R_X86_64_64 }, { }
};
static struct clp_reloc r_ambig[] = {
	{ .sym_name = "clp_target_dup", .objname = "clp_test_target",
	  .place = &slot, .type = R_X86_64_64 }, { }
};
static struct clp_reloc r_init[] __refdata = {
	{ .sym_name = "max_threads", .place = &init_slot,
	  .type = R_X86_64_64 }, { }
};
static struct clp_reloc r_nomod[] = {
	{ .sym_name = "clp_x", .objname = "clp_no_such_module",
	  .place = &slot, .type = R_X86_64_64 }, { }
};

static struct clp_reloc r_latemissing[] = {
	{ .sym_name = "clp_no_such_symbol", .objname = "clp_test_late",
	  .place = &slot, .type = R_X86_64_64 }, { }
};

static struct clp_object objs[2];
static struct clp_patch patch = { .version = "selftest+bad", .objs = objs };

static const struct {
	const char *mode;
	const char *obj;
	struct clp_func *funcs;
	struct clp_reloc *relocs;
	const char *build_id;
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
	{ "reloctype", "clp_test_target", f_dup2, r_type },
	{ "relocplace", "clp_test_target", f_dup2, r_place },
	{ "relocmissing", "clp_test_target", f_dup2, r_missing },
	{ "relocambig", "clp_test_target", f_dup2, r_ambig },
	{ "relocnomod", "clp_test_target", f_dup2, r_nomod },
	{ "badbuildid", "clp_test_target", f_dup2, NULL, "12xy" },
	{ "latemissing", "clp_test_late", f_missing },
	{ "laterelocmissing", "clp_test_late", f_late, r_latemissing },
	{ "latetwice", "clp_test_late", f_late_twice },
	{ "relocinit", "clp_test_target", f_dup2, r_init },
	{ "afterinit", "clp_test_target", f_dup2 },
	{ "longlists", "clp_test_target", f_dup2 },
};

#define NR_LONG	300
static const char *long_names[NR_LONG + 1];
static struct clp_state long_states[NR_LONG + 1];

static int longlists_fill(void)
{
	int i;

	for (i = 0; i < NR_LONG; i++) {
		long_names[i] = kasprintf(GFP_KERNEL,
			"fix-%03d-a-patch-with-a-rather-long-descriptive-name", i);
		if (!long_names[i])
			return -ENOMEM;
		long_states[i].id = 0x10000 + i;
		long_states[i].version = 1;
	}
	patch.patches = long_names;
	patch.states = long_states;
	return 0;
}

static void longlists_free(void)
{
	int i;

	for (i = 0; i < NR_LONG; i++)
		kfree(long_names[i]);
}

static bool registered;

static int clp_p_bad_register(void)
{
	int ret = clp_register_patch(&patch);

	registered = !ret;
	return ret;
}

static int register_set(const char *val, const struct kernel_param *kp)
{
	if (strcmp(mode, "afterinit"))
		return -EPERM;
	return clp_p_bad_register();
}

static const struct kernel_param_ops register_ops = {
	.set = register_set,
};
module_param_cb(register, &register_ops, NULL, 0200);
MODULE_PARM_DESC(register, "mode=afterinit: register the patch now");

static int __init clp_p_bad_init(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (strcmp(mode, cases[i].mode))
			continue;
		objs[0].name = cases[i].obj;
		objs[0].funcs = cases[i].funcs;
		patch.relocs = cases[i].relocs;
		patch.build_id = cases[i].build_id;
		patch.abi = strcmp(mode, "abi") ? CLP_ABI_VERSION : 99;
		patch.mod = THIS_MODULE;
		if (!strcmp(mode, "afterinit"))
			return 0;
		if (!strcmp(mode, "longlists")) {
			int ret = longlists_fill();

			if (!ret)
				ret = clp_p_bad_register();
			if (ret)
				longlists_free();
			return ret;
		}
		return clp_p_bad_register();
	}
	return -EINVAL;
}

static void __exit clp_p_bad_exit(void)
{
	if (registered)
		clp_unregister_patch(&patch);
	longlists_free();
}

module_init(clp_p_bad_init);
module_exit(clp_p_bad_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("clp selftest: descriptions the core refuses");
