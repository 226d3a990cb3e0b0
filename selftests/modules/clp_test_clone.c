// SPDX-License-Identifier: GPL-2.0
/*
 * clp_test_clone - a function GCC splits: clp_clone_fn() has a fast path
 * (x != 5) that partial inlining copies into its caller and a slow path it
 * moves out into clp_clone_fn.part.0, on Debian's 6.1 and 6.12 kernels
 * alike (checked with nm; kbuild's -O2 enables -fpartial-inlining).  A
 * patch that replaces clp_clone_fn only leaves the caller running the old
 * slow path through the clone: clp check must refuse it.
 *
 * /proc/clp_clone   "clone=<clp_clone_fn(x)>\n", x the parameter (5: the
 *                   slow path, "orig-slow-5-25"; otherwise "orig-fast")
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/kernel.h>

const char *clp_clone_fn(int x);

static char buf[64];

/*
 * Global, so the out-of-line clp_clone_fn stays (for CLP_FUNC) while its
 * head is inlined into show() below.  The slow path is long enough for
 * GCC to split it off.
 */
const char *clp_clone_fn(int x)
{
	if (x != 5)
		return "orig-fast";
	pr_info("slow path %d\n", x);
	snprintf(buf, sizeof(buf), "orig-slow-%d-%d", x, x * x);
	pr_info("slow path %s\n", buf);
	snprintf(buf, sizeof(buf), "orig-slow-%d-%d", x, x * x);
	pr_info("slow path %s\n", buf);
	snprintf(buf, sizeof(buf), "orig-slow-%d-%d", x, x * x);
	pr_info("slow path %s\n", buf);
	return buf;
}
EXPORT_SYMBOL_GPL(clp_clone_fn);

static int x_param = 5;
module_param_named(x, x_param, int, 0644);

static int show(struct seq_file *m, void *v)
{
	seq_printf(m, "clone=%s\n", clp_clone_fn(x_param));
	return 0;
}

static int __init clone_init(void)
{
	if (!proc_create_single("clp_clone", 0444, NULL, show))
		return -ENOMEM;
	return 0;
}

static void __exit clone_exit(void)
{
	remove_proc_entry("clp_clone", NULL);
}

module_init(clone_init);
module_exit(clone_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("clp selftest: a function with a GCC clone");
