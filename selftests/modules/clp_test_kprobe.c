// SPDX-License-Identifier: GPL-2.0
/*
 * clp_test_kprobe - a kprobe on the function named by sym=.
 *
 * With post=1 (the default) the probe has a post handler.  A kprobe on a
 * function's ftrace site is then armed through an ftrace_ops with
 * FTRACE_OPS_FL_IPMODIFY, which claims the function the way a live patch
 * does: clp and this probe cannot both own it.  post=0 arms a plain ftrace
 * kprobe that coexists with patches.  A failed register_kprobe() fails the
 * load with its errno.  Unloading prints how often the probe fired.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/atomic.h>

static char *sym = "version_proc_show";
module_param(sym, charp, 0444);
MODULE_PARM_DESC(sym, "function to probe (default version_proc_show)");

static int post = 1;
module_param(post, int, 0444);
MODULE_PARM_DESC(post, "1: also a post handler (ftrace IPMODIFY), 0: pre only");

static atomic_t hits = ATOMIC_INIT(0);

static int clp_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	atomic_inc(&hits);
	return 0;
}

static void clp_kp_post(struct kprobe *p, struct pt_regs *regs,
			unsigned long flags)
{
}

static struct kprobe kp = {
	.pre_handler = clp_kp_pre,
};

static int __init clp_test_kprobe_init(void)
{
	int ret;

	kp.symbol_name = sym;
	if (post)
		kp.post_handler = clp_kp_post;
	ret = register_kprobe(&kp);
	if (ret) {
		pr_info("cannot probe %s (post=%d): %d\n", sym, post, ret);
		return ret;
	}
	pr_info("armed on %s (post=%d)\n", sym, post);
	return 0;
}

static void __exit clp_test_kprobe_exit(void)
{
	unregister_kprobe(&kp);
	pr_info("disarmed from %s after %d hits\n", sym, atomic_read(&hits));
}

module_init(clp_test_kprobe_init);
module_exit(clp_test_kprobe_exit);
MODULE_DESCRIPTION("clp selftests: a kprobe that may claim a function with IPMODIFY");
MODULE_LICENSE("GPL");
