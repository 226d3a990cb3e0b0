// SPDX-License-Identifier: GPL-2.0
/*
 * clp_test_warn - with warn=1 its init does WARN_ON(1), to prove that the
 * test harness notices a kernel warning in the guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/bug.h>

static int warn;
module_param(warn, int, 0444);
MODULE_PARM_DESC(warn, "1: WARN_ON(1) at load");

static int __init clp_test_warn_init(void)
{
	if (warn)
		WARN_ON(1);
	else
		pr_info("loaded\n");
	return 0;
}

static void __exit clp_test_warn_exit(void)
{
}

module_init(clp_test_warn_init);
module_exit(clp_test_warn_exit);
MODULE_DESCRIPTION("clp selftests: a kernel warning on demand");
MODULE_LICENSE("GPL");
