// SPDX-License-Identifier: GPL-2.0
/*
 * objects.c - patches for modules that load and unload while patched.
 *
 * A patch may carry functions of a module that is not loaded.  Its object
 * then stays unresolved: no ofuncs, no callbacks, "patched" reads 0.  When
 * the module comes (MODULE_STATE_COMING: after ftrace knows its functions,
 * before its init runs) every registered patch with an object for it has
 * that object's functions resolved, its references into the module written
 * and its kfuncs filed into the func_stacks, oldest patch first.  If the
 * live patch is one of them, its pre_patch callback runs, the functions
 * are redirected and post_patch runs.  No task can be inside the module's
 * code yet, so no stack check is needed.  Any failure (a function that is
 * missing in this build of the module, a failing pre_patch) refuses the
 * module's load with a message and leaves everything as it was.
 *
 * When the module goes (MODULE_STATE_GOING: after its exit ran, or after a
 * failed init) the live patch's pre_unpatch runs, its functions revert,
 * post_unpatch runs, and every patch forgets the object again; references
 * into the module are reset to what the loader wrote, to be written again
 * if it comes back.  Nothing pins a patched module.
 *
 * A module counts as loaded for a patch that registers when it is LIVE,
 * or COMING and already handled here.  A module still COMING whose
 * notification is pending is handled by that notification; one that is
 * GOING is not loaded.  clp_mutex orders all of this against registration
 * and switches.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include "core.h"

/* Modules whose MODULE_STATE_COMING clp handled and that are not LIVE yet. */
struct clp_coming {
	struct list_head node;
	struct module *mod;
};
static LIST_HEAD(clp_coming_mods);

static bool clp_coming_handled(struct module *mod)
{
	struct clp_coming *c;

	list_for_each_entry(c, &clp_coming_mods, node)
		if (c->mod == mod)
			return true;
	return false;
}

static void clp_coming_forget(struct module *mod)
{
	struct clp_coming *c;

	list_for_each_entry(c, &clp_coming_mods, node) {
		if (c->mod == mod) {
			list_del(&c->node);
			kfree(c);
			return;
		}
	}
}

static struct clp_ktarget *clp_ktarget_of(struct clp_kpatch *kp, const char *name)
{
	struct clp_ktarget *kt;

	list_for_each_entry(kt, &kp->objs, node)
		if (!strcmp(kt->name, name))
			return kt;
	return NULL;
}

/**
 * clp_objects_lookup() - which objects of a registering patch are loaded
 * @kp: the patch, under clp_mutex
 *
 * Marks vmlinux and every loaded module object; the others are patched
 * when their module comes.
 */
void clp_objects_lookup(struct clp_kpatch *kp)
{
	struct clp_ktarget *kt;
	struct module *mod;

	lockdep_assert_held(&clp_mutex);
	list_for_each_entry(kt, &kp->objs, node) {
		if (!strcmp(kt->name, CLP_VMLINUX)) {
			kt->loaded = true;
			continue;
		}
		/*
		 * The module cannot be freed while clp_mutex is held: its
		 * MODULE_STATE_GOING notification waits for it.
		 */
		rcu_read_lock();
		mod = clp_find_module(kt->name);
		if (mod && (mod->state == MODULE_STATE_LIVE ||
			    (mod->state == MODULE_STATE_COMING &&
			     clp_coming_handled(mod)))) {
			kt->mod = mod;
			kt->loaded = true;
		}
		rcu_read_unlock();
		if (!clp_ktarget_loaded(kt))
			pr_info("%s: module %s is not loaded: it is patched when it loads\n",
				kp->name, kt->name);
	}
}

/* Forget the object (functions, references) of a module that goes. */
static void clp_object_unload(struct clp_ktarget *kt, struct list_head *dead)
{
	clp_funcs_detach(kt->kpatch, kt, dead);
	clp_relocs_reset(kt->kpatch, kt);
	kt->loaded = false;
	kt->prepared = false;
	kt->mod = NULL;
}

/* The live patch @kt belongs to takes over a coming module's functions. */
static int clp_object_patch(struct clp_ktarget *kt)
{
	struct clp_kpatch *kp = kt->kpatch;
	struct clp_ofunc **ofs;
	struct clp_kfunc *kf;
	unsigned int n = 0;
	int ret;

	list_for_each_entry(kf, &kt->funcs, node)
		n++;
	ofs = kcalloc(n, sizeof(*ofs), GFP_KERNEL);
	if (n && !ofs)
		return -ENOMEM;
	n = 0;
	list_for_each_entry(kf, &kt->funcs, node)
		ofs[n++] = kf->ofunc;

	ret = clp_callback_pre_patch(kt);
	if (ret) {
		pr_err("%s: refusing to load module %s: pre_patch callback failed: %d\n",
		       kp->name, kt->name, ret);
		goto out;
	}
	ret = clp_engine_hook(ofs, n, kp->name);
	if (ret) {
		pr_err("%s: refusing to load module %s: cannot redirect its functions: %d\n",
		       kp->name, kt->name, ret);
		clp_callback_post_unpatch(kt);
		goto out;
	}
	/* nothing runs the module's code before its init */
	list_for_each_entry(kf, &kt->funcs, node)
		WRITE_ONCE(kf->ofunc->live, kf);
	clp_sysfs_functions_changed();
	clp_callback_post_patch(kt);
	pr_info("%s: patched module %s as it loads (%u functions)\n",
		kp->name, kt->name, n);
out:
	kfree(ofs);
	return ret;
}

static int clp_module_coming(struct module *mod)
{
	struct clp_kpatch *kp, *live;
	struct clp_coming *c;
	struct clp_ktarget *kt;
	LIST_HEAD(dead);
	int ret = 0;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->mod = mod;

	mutex_lock(&clp_mutex);
	/* oldest first: each attach pushes onto the func_stacks */
	list_for_each_entry(kp, &clp_patches, node) {
		kt = clp_ktarget_of(kp, mod->name);
		if (!kt || WARN_ON_ONCE(clp_ktarget_loaded(kt)))
			continue;
		kt->mod = mod;
		kt->loaded = true;
		ret = clp_funcs_resolve(kp, kt);
		if (!ret)
			ret = clp_relocs_apply(kp, kt);
		if (!ret)
			ret = clp_funcs_attach(kp, kt);
		if (ret) {
			pr_err("%s: refusing to load module %s: the patch does not apply to it: %d\n",
			       kp->name, mod->name, ret);
			goto undo;
		}
	}
	live = clp_live_patch();
	kt = live ? clp_ktarget_of(live, mod->name) : NULL;
	if (kt) {
		ret = clp_object_patch(kt);
		if (ret)
			goto undo;
	}
	list_add(&c->node, &clp_coming_mods);
	mutex_unlock(&clp_mutex);
	return 0;

undo:
	list_for_each_entry(kp, &clp_patches, node) {
		kt = clp_ktarget_of(kp, mod->name);
		if (kt && clp_ktarget_loaded(kt))
			clp_object_unload(kt, &dead);
	}
	mutex_unlock(&clp_mutex);
	clp_funcs_free(&dead);
	kfree(c);
	return ret;
}

static void clp_module_going(struct module *mod)
{
	struct clp_kpatch *kp, *live;
	struct clp_ofunc *of, **hooked = NULL;
	struct clp_ktarget *kt, *lkt = NULL;
	unsigned int n = 0, nr_hooked = 0;
	LIST_HEAD(dead);

	mutex_lock(&clp_mutex);
	clp_coming_forget(mod);
	list_for_each_entry(of, &clp_ofuncs, node)
		if (!strcmp(of->objname, mod->name))
			n++;
	if (!n)
		goto out;
	live = clp_live_patch();
	kt = live ? clp_ktarget_of(live, mod->name) : NULL;
	if (kt && clp_ktarget_loaded(kt))
		lkt = kt;

	if (lkt)
		clp_callback_pre_unpatch(lkt);
	/* its exit ran: revert without a stack check, as the module goes */
	hooked = kcalloc(n, sizeof(*hooked), GFP_KERNEL | __GFP_NOFAIL);
	list_for_each_entry(of, &clp_ofuncs, node) {
		if (strcmp(of->objname, mod->name))
			continue;
		WRITE_ONCE(of->live, NULL);
		if (of->hooked)
			hooked[nr_hooked++] = of;
	}
	clp_engine_unhook(hooked, nr_hooked);
	clp_sysfs_functions_changed();
	if (lkt)
		clp_callback_post_unpatch(lkt);

	list_for_each_entry(kp, &clp_patches, node) {
		kt = clp_ktarget_of(kp, mod->name);
		if (kt && clp_ktarget_loaded(kt))
			clp_object_unload(kt, &dead);
	}
	if (lkt)
		pr_info("%s: module %s is going: %u functions reverted\n",
			lkt->kpatch->name, mod->name, nr_hooked);
out:
	mutex_unlock(&clp_mutex);
	clp_funcs_free(&dead);
	kfree(hooked);
}

static int clp_module_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct module *mod = data;

	switch (action) {
	case MODULE_STATE_COMING:
		return notifier_from_errno(clp_module_coming(mod));
	case MODULE_STATE_LIVE:
		mutex_lock(&clp_mutex);
		clp_coming_forget(mod);
		mutex_unlock(&clp_mutex);
		break;
	case MODULE_STATE_GOING:
		clp_module_going(mod);
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block clp_module_nb = {
	.notifier_call = clp_module_notify,
};

int clp_objects_init(void)
{
	return register_module_notifier(&clp_module_nb);
}

void clp_objects_exit(void)
{
	struct clp_coming *c, *tmp;

	unregister_module_notifier(&clp_module_nb);
	list_for_each_entry_safe(c, tmp, &clp_coming_mods, node)
		kfree(c);
}
