// SPDX-License-Identifier: GPL-2.0
/*
 * clp_test_late - a module that selftests load after the patches for it,
 * to see it patched as it comes and reverted as it goes (the module
 * callback scenarios of upstream's test-callbacks, clp edition).
 *
 * Its init and exit log "init: late=<clp_late_fn()>" and
 * "exit: late=<clp_late_fn()>": the init line shows that a live patch
 * redirected clp_late_fn() before the init ran.  /proc/clp_late reads
 * "late=<clp_late_fn()>".  With init_ret=N (a negative errno) the init
 * fails after logging, so that the module goes right after it came.
 * With init_delay_ms=N the init first sleeps, so that tests can act while
 * the module is still COMING.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include "target.h"

static int init_ret;
module_param(init_ret, int, 0444);
MODULE_PARM_DESC(init_ret, "what the init returns after logging (default 0)");

static unsigned int init_delay_ms;
module_param(init_delay_ms, uint, 0444);
MODULE_PARM_DESC(init_delay_ms, "how long the init sleeps first, keeping the module COMING (default 0)");

clp_target_fn const char *clp_late_fn(void)
{
	return "orig-late";
}

/* A static variable that patch code reads through the core (late-refs.c). */
static int clp_late_secret __used = 1234;

static struct proc_dir_entry *proc_file;

static int late_show(struct seq_file *m, void *v)
{
	seq_printf(m, "late=%s\n", clp_late_fn());
	return 0;
}

static int __init clp_test_late_init(void)
{
	if (init_delay_ms)
		msleep(init_delay_ms);
	pr_info("init: late=%s\n", clp_late_fn());
	if (init_ret)
		return init_ret;
	proc_file = proc_create_single("clp_late", 0444, NULL, late_show);
	return proc_file ? 0 : -ENOMEM;
}

static void __exit clp_test_late_exit(void)
{
	proc_remove(proc_file);
	pr_info("exit: late=%s\n", clp_late_fn());
}

module_init(clp_test_late_init);
module_exit(clp_test_late_exit);
MODULE_DESCRIPTION("clp selftests: a module loaded after the patches for it");
MODULE_LICENSE("GPL");
