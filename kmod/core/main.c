// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - the clp core module: patch registration and module setup.
 *
 * clp_register_patch() checks a patch module's description and that it was
 * built for this kernel, resolves the old functions of every loaded object
 * (objects.c handles modules that come later), checks that ftrace can
 * redirect them, writes the patch's load-time references, gives the
 * patch the next registration number, files its functions into the
 * func_stacks and enables it.  Nothing is left behind when any of that
 * fails.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "core.h"

DEFINE_MUTEX(clp_mutex);
LIST_HEAD(clp_patches);		/* registered patches, oldest first */
LIST_HEAD(clp_ofuncs);		/* patched functions */
static unsigned long clp_seq;

unsigned int clp_switch_retries = 10;
module_param_named(switch_retries, clp_switch_retries, uint, 0644);
MODULE_PARM_DESC(switch_retries,
		 "how often a switch blocked by a task inside a changing function is retried (default 10)");
unsigned int clp_retry_delay_ms = 50;
module_param_named(retry_delay_ms, clp_retry_delay_ms, uint, 0644);
MODULE_PARM_DESC(retry_delay_ms, "pause between switch attempts in ms (default 50)");

static const char *clp_objname(const struct clp_object *obj)
{
	return obj->name ? obj->name : CLP_VMLINUX;
}

/*
 * One version of a function per patch.  Resolved functions are also
 * compared by address (funcs.c); this catches it before resolution, for
 * objects whose module is not loaded.  Positions 0 (unique) and 1 name
 * the same function whenever 0 resolves at all.
 */
static int clp_validate_unique(struct clp_object *obj, struct clp_func *f,
			       const char *name)
{
	struct clp_func *prev;

	for (prev = obj->funcs; prev != f; prev++)
		if (!strcmp(prev->old_name, f->old_name) &&
		    max(prev->sympos, 1UL) == max(f->sympos, 1UL)) {
			pr_err("%s: refused: %s is replaced twice in %s\n",
			       name, f->old_name, clp_objname(obj));
			return -EINVAL;
		}
	return 0;
}

/* Reject descriptions the core cannot use, with a message saying why. */
static int clp_validate(struct clp_patch *patch, const char *name)
{
	struct clp_object *obj;
	struct clp_func *f;
	unsigned int nr = 0;
	int ret;

	if (patch->abi != CLP_ABI_VERSION) {
		pr_err("%s: refused: built for patch ABI %u, this core speaks %u\n",
		       name, patch->abi, CLP_ABI_VERSION);
		return -EINVAL;
	}
	if (!patch->mod) {
		pr_err("%s: refused: no module\n", name);
		return -EINVAL;
	}
	/*
	 * The references are written, and the description trusted to stay,
	 * only while the patch module is coming: from its init.
	 */
	if (READ_ONCE(patch->mod->state) != MODULE_STATE_COMING) {
		pr_err("%s: refused: a patch registers from its module's init, and module %s is past it\n",
		       name, patch->mod->name);
		return -EINVAL;
	}
	if (!*name || strlen(name) >= CLP_NAME_MAX || strchr(name, '/') ||
	    !strcmp(name, "functions")) {
		pr_err("refused: invalid patch name '%s'\n", name);
		return -EINVAL;
	}
	if (!patch->objs || !patch->objs[0].funcs) {
		pr_err("%s: refused: no objects\n", name);
		return -EINVAL;
	}
	for (obj = patch->objs; obj->funcs; obj++) {
		struct clp_object *prev;

		if (strlen(clp_objname(obj)) >= CLP_NAME_MAX) {
			pr_err("%s: refused: invalid object name\n", name);
			return -EINVAL;
		}
		for (prev = patch->objs; prev != obj; prev++)
			if (!strcmp(clp_objname(prev), clp_objname(obj))) {
				pr_err("%s: refused: object %s listed twice\n",
				       name, clp_objname(obj));
				return -EINVAL;
			}
		for (f = obj->funcs; f->old_name; f++) {
			if (!f->new_func || !*f->old_name ||
			    strlen(f->old_name) >= KSYM_NAME_LEN ||
			    (f->flags & ~CLP_F_NOCHECK)) {
				pr_err("%s: refused: malformed function entry '%s' in %s\n",
				       name, f->old_name, clp_objname(obj));
				return -EINVAL;
			}
			ret = clp_validate_unique(obj, f, name);
			if (ret)
				return ret;
			nr++;
		}
	}
	if (!nr) {
		pr_err("%s: refused: no functions\n", name);
		return -EINVAL;
	}
	ret = clp_relocs_validate(patch, name);
	if (!ret)
		ret = clp_states_validate(patch, name);
	return ret;
}

static struct clp_kpatch *clp_find_patch(const char *name)
{
	struct clp_kpatch *kp;

	list_for_each_entry(kp, &clp_patches, node)
		if (!strcmp(kp->name, name))
			return kp;
	return NULL;
}

static void clp_free_structs(struct clp_kpatch *kp)
{
	struct clp_ktarget *kt, *tkt;
	struct clp_kfunc *kf, *tkf;

	list_for_each_entry_safe(kt, tkt, &kp->objs, node) {
		list_for_each_entry_safe(kf, tkf, &kt->funcs, node) {
			list_del(&kf->node);
			kobject_put(&kf->kobj);
		}
		list_del(&kt->node);
		kobject_put(&kt->kobj);
	}
	clp_relocs_release(kp);
	kobject_put(&kp->kobj);
}

static int clp_alloc_structs(struct clp_kpatch *kp)
{
	struct clp_object *obj;
	struct clp_func *f;

	for (obj = kp->desc->objs; obj->funcs; obj++) {
		struct clp_ktarget *kt = kzalloc(sizeof(*kt), GFP_KERNEL);

		if (!kt)
			return -ENOMEM;
		kobject_init(&kt->kobj, &clp_ktarget_ktype);
		INIT_LIST_HEAD(&kt->funcs);
		kt->kpatch = kp;
		kt->desc = obj;
		strscpy(kt->name, clp_objname(obj), sizeof(kt->name));
		list_add_tail(&kt->node, &kp->objs);
		for (f = obj->funcs; f->old_name; f++) {
			struct clp_kfunc *kf = kzalloc(sizeof(*kf), GFP_KERNEL);

			if (!kf)
				return -ENOMEM;
			kobject_init(&kf->kobj, &clp_kfunc_ktype);
			kf->ktarget = kt;
			kf->name = f->old_name;
			kf->sympos = f->sympos;
			kf->flags = f->flags;
			kf->new_addr = (unsigned long)f->new_func;
			list_add_tail(&kf->node, &kt->funcs);
			kp->nr_funcs++;
		}
	}
	return 0;
}

/**
 * clp_register_patch() - register a patch and make it live
 * @patch: the patch module's description; must stay valid until
 *	   clp_unregister_patch()
 *
 * Called from the patch module's init.  The patch gets the next
 * registration number and is enabled: being the newest, it supersedes
 * every older patch in one atomic switch.
 *
 * Objects whose module is not loaded are patched when it loads.
 *
 * Return: 0, or a negative errno with the kernel unchanged: -EINVAL for a
 * malformed description or an unpatchable function, -ENOENT for a missing
 * or ambiguous symbol (or a module that references point into but the
 * patch has no object for is not loaded), -ENOEXEC for a patch built for
 * another kernel build, -ERANGE for a reference out of reach, -EEXIST for
 * a name in use, -EBUSY when a task stayed inside a changing function or
 * another ftrace user owns one.
 */
int clp_register_patch(struct clp_patch *patch)
{
	const char *name = patch->name ? patch->name :
			   (patch->mod ? patch->mod->name : "?");
	LIST_HEAD(dead);
	struct clp_kpatch *kp;
	struct clp_ktarget *kt;
	int ret;

	ret = clp_validate(patch, name);
	if (!ret)
		ret = clp_buildid_check(patch, name);
	if (ret)
		return ret;
	kp = kzalloc(sizeof(*kp), GFP_KERNEL);
	if (!kp)
		return -ENOMEM;
	kobject_init(&kp->kobj, &clp_kpatch_ktype);
	INIT_LIST_HEAD(&kp->objs);
	strscpy(kp->name, name, sizeof(kp->name));
	kp->desc = patch;
	kp->mod = patch->mod;
	kp->version = patch->version ? patch->version : "";

	mutex_lock(&clp_mutex);
	if (clp_find_patch(kp->name)) {
		pr_err("%s: refused: a patch of that name is registered\n",
		       kp->name);
		ret = -EEXIST;
		goto err_unlock;
	}
	ret = clp_alloc_structs(kp);
	if (!ret) {
		clp_objects_lookup(kp);
		ret = clp_funcs_resolve(kp, NULL);
	}
	if (!ret)
		ret = clp_relocs_apply(kp, NULL);
	list_for_each_entry(kt, &kp->objs, node)
		if (!ret && kt->mod)
			ret = clp_relocs_apply(kp, kt);
	if (ret)
		goto err_unlock;

	ret = clp_funcs_attach(kp, NULL);
	kp->seq = ++clp_seq;
	list_add_tail(&kp->node, &clp_patches);
	if (!ret)
		ret = clp_sysfs_add_patch(kp);
	if (ret)
		goto err_detach;
	kp->registered = true;
	ret = clp_replace_enable(kp);
	if (ret)
		goto err_detach;
	mutex_unlock(&clp_mutex);
	pr_debug("%s: registered as #%lu\n", kp->name, kp->seq);
	return 0;

err_detach:
	kp->registered = false;
	list_del(&kp->node);
	clp_seq--;
	clp_funcs_detach(kp, NULL, &dead);
err_unlock:
	mutex_unlock(&clp_mutex);
	clp_funcs_free(&dead);
	/* sysfs removal waits for writers, who take clp_mutex: unlocked */
	clp_sysfs_del_patch(kp);
	clp_free_structs(kp);
	return ret;
}
EXPORT_SYMBOL_GPL(clp_register_patch);

/**
 * clp_unregister_patch() - forget a disabled patch
 * @patch: the description given to clp_register_patch()
 *
 * Called from the patch module's exit.  The module cannot be removed while
 * its patch is enabled (the core holds a reference), so the patch is
 * disabled here and none of its versions is live.
 */
void clp_unregister_patch(struct clp_patch *patch)
{
	struct clp_kpatch *kp, *found = NULL;
	LIST_HEAD(dead);

	mutex_lock(&clp_mutex);
	list_for_each_entry(kp, &clp_patches, node)
		if (kp->desc == patch)
			found = kp;
	kp = found;
	if (!kp) {
		mutex_unlock(&clp_mutex);
		pr_warn("unregister of a patch that is not registered\n");
		return;
	}
	if (WARN_ON(kp->enabled)) {
		/* only a broken module gets here; keep the code alive */
		mutex_unlock(&clp_mutex);
		return;
	}
	kp->registered = false;
	list_del(&kp->node);
	clp_funcs_detach(kp, NULL, &dead);
	mutex_unlock(&clp_mutex);

	clp_funcs_free(&dead);
	clp_sysfs_del_patch(kp);
	pr_info("%s: unregistered\n", kp->name);
	clp_free_structs(kp);
}
EXPORT_SYMBOL_GPL(clp_unregister_patch);

static int __init clp_init(void)
{
	int ret;

	ret = clp_internals_init();
	if (!ret)
		ret = clp_buildid_init();
	if (!ret)
		ret = clp_sysfs_init();
	if (ret)
		return ret;
	ret = clp_objects_init();
	if (ret) {
		clp_sysfs_exit();
		return ret;
	}
	pr_info("core loaded (patch ABI %d)\n", CLP_ABI_VERSION);
	return 0;
}

static void __exit clp_exit(void)
{
	/* patch modules depend on this one: none is registered now */
	clp_objects_exit();
	clp_sysfs_exit();
	clp_engine_exit();
	clp_shadow_exit();
	pr_info("core unloaded\n");
}

module_init(clp_init);
module_exit(clp_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("clp developers");
MODULE_DESCRIPTION("clp: cumulative live patching core");
