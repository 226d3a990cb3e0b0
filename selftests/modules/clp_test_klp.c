// SPDX-License-Identifier: GPL-2.0
/*
 * clp_test_klp - an upstream (CONFIG_LIVEPATCH) live patch, so that tests
 * can check how clp and the kernel's own livepatch get along.  It replaces
 * version_proc_show() of vmlinux: /proc/version reads "klp-version".
 *
 * Removing it takes two steps; rmmod alone fails while the patch is on:
 *	echo 0 > /sys/kernel/livepatch/clp_test_klp/enabled
 *	# wait until .../clp_test_klp/transition reads 0 and then until the
 *	# directory /sys/kernel/livepatch/clp_test_klp has disappeared
 *	rmmod clp_test_klp
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int clp_test_klp_version_show(struct seq_file *m, void *v)
{
	seq_puts(m, "klp-version\n");
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "version_proc_show",
		.new_func = clp_test_klp_version_show,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		/* .name NULL: vmlinux */
		.funcs = funcs,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init clp_test_klp_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit clp_test_klp_exit(void)
{
}

module_init(clp_test_klp_init);
module_exit(clp_test_klp_exit);
MODULE_DESCRIPTION("clp selftests: an upstream livepatch of version_proc_show");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
