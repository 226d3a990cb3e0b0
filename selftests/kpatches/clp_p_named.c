// SPDX-License-Identifier: GPL-2.0
/*
 * clp_p_named - a patch that names itself "clp_renamed" (struct clp_patch
 * .name) in /sys/kernel/clp while its module is clp_p_named: 'clp unload'
 * must find the module of the patch (97-cli).  It replaces
 * cmdline_proc_show.  Hand-written: 'clp build' always uses the module's
 * name.
 */
#include <linux/module.h>
#include <linux/seq_file.h>
#include <clp/patch.h>

static int named_cmdline_show(struct seq_file *m, void *v)
{
	seq_puts(m, "clp_p_named\n");
	return 0;
}

static struct clp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = named_cmdline_show }, { }
};
static struct clp_object objs[] = {
	{ .name = "vmlinux", .funcs = funcs }, { }
};
static struct clp_patch patch = {
	.name = "clp_renamed",
	.version = "selftest+named",
	.objs = objs,
};

CLP_PATCH_MODULE(patch);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("clp selftest: a patch named other than its module");
