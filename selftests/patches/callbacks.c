// SPDX-License-Identifier: GPL-2.0
/*
 * Callbacks for vmlinux, clp_test_target and clp_test_late that log
 * "<module>: <callback> <object>".  With fail_pre_patch=<object> (a
 * parameter that may be changed at run time), that object's pre_patch
 * fails (ENODEV).
 */
#include <linux/errno.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <clp/patch.h>

static char *fail_pre_patch = "";
module_param(fail_pre_patch, charp, 0644);

static int cb_pre_patch(struct clp_object *obj)
{
	pr_info("%s: pre_patch %s\n", KBUILD_MODNAME, obj->name);
	return sysfs_streq(fail_pre_patch, obj->name) ? -ENODEV : 0;
}

static void cb_post_patch(struct clp_object *obj)
{
	pr_info("%s: post_patch %s\n", KBUILD_MODNAME, obj->name);
}

static void cb_pre_unpatch(struct clp_object *obj)
{
	pr_info("%s: pre_unpatch %s\n", KBUILD_MODNAME, obj->name);
}

static void cb_post_unpatch(struct clp_object *obj)
{
	pr_info("%s: post_unpatch %s\n", KBUILD_MODNAME, obj->name);
}

CLP_PRE_PATCH(vmlinux, cb_pre_patch);
CLP_POST_PATCH(vmlinux, cb_post_patch);
CLP_PRE_UNPATCH(vmlinux, cb_pre_unpatch);
CLP_POST_UNPATCH(vmlinux, cb_post_unpatch);
CLP_PRE_PATCH(clp_test_target, cb_pre_patch);
CLP_POST_PATCH(clp_test_target, cb_post_patch);
CLP_PRE_UNPATCH(clp_test_target, cb_pre_unpatch);
CLP_POST_UNPATCH(clp_test_target, cb_post_unpatch);
CLP_PRE_PATCH(clp_test_late, cb_pre_patch);
CLP_POST_PATCH(clp_test_late, cb_post_patch);
CLP_PRE_UNPATCH(clp_test_late, cb_pre_unpatch);
CLP_POST_UNPATCH(clp_test_late, cb_post_unpatch);
