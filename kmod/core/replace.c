// SPDX-License-Identifier: GPL-2.0
/*
 * replace.c - which patch is live: enable, disable, supersede, fall back.
 *
 * The live patch is the newest-registered enabled patch.  Enabling the
 * newest-registered patch supersedes every older one (they become
 * disabled); enabling an older patch while a newer one is enabled only
 * marks it enabled (shadowed); disabling the live patch falls back to the
 * newest enabled patch older than it, or to the original code.  Every
 * change of the live patch is one switch: all functions whose live version
 * changes switch together inside stop_machine, or none does.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/slab.h>
#include "core.h"

/**
 * clp_live_patch() - the patch whose versions run now
 *
 * Return: the newest-registered enabled patch, or NULL.
 */
struct clp_kpatch *clp_live_patch(void)
{
	struct clp_kpatch *kp;

	list_for_each_entry_reverse(kp, &clp_patches, node)
		if (kp->enabled)
			return kp;
	return NULL;
}

/* How many module objects of @kp wait for their module to load? */
static unsigned int clp_ktargets_unloaded(struct clp_kpatch *kp)
{
	struct clp_ktarget *kt;
	unsigned int n = 0;

	list_for_each_entry(kt, &kp->objs, node)
		n += !clp_ktarget_loaded(kt);
	return n;
}

/**
 * clp_ktarget_live() - does @kt's patch run in @kt's object now?
 * @kt: a part of a patch, under clp_mutex
 *
 * Return: true when the object is loaded and @kt's patch is registered
 * and live.
 */
bool clp_ktarget_live(struct clp_ktarget *kt)
{
	return kt->kpatch->registered && clp_ktarget_loaded(kt) &&
	       clp_live_patch() == kt->kpatch;
}

/* Is one of @kp's versions running? */
bool clp_kpatch_live(struct clp_kpatch *kp)
{
	struct clp_ktarget *kt;
	struct clp_kfunc *kf;

	clp_for_each_kfunc(kp, kt, kf)
		if (kf->ofunc && READ_ONCE(kf->ofunc->live) == kf)
			return true;
	return false;
}

static struct clp_kfunc *clp_version_of(struct clp_ofunc *of,
					struct clp_kpatch *kp)
{
	struct clp_kfunc *kf;

	if (!kp)
		return NULL;
	list_for_each_entry(kf, &of->stack, stack_node)
		if (kf->ktarget->kpatch == kp)
			return kf;
	return NULL;
}

/*
 * Make @to's versions live (NULL: the originals), with the callbacks of
 * callbacks.c around it.  All or nothing: on error the live versions, the
 * ftrace filter and the callbacks' balance are as they were.
 */
static int clp_switch_to(struct clp_kpatch *to, const char *who,
			 const char *what)
{
	struct clp_kpatch *from = clp_live_patch();
	/* a newer patch takes over silently; anything else unpatches @from */
	bool unpatch = from && from != to && (!to || to->seq < from->seq);
	struct clp_switch sw = { };
	struct clp_ofunc *of, **hook = NULL, **unhook = NULL;
	unsigned int nr_ofuncs = 0, nr_hook = 0, nr_unhook = 0, i;
	int ret = -ENOMEM;

	list_for_each_entry(of, &clp_ofuncs, node)
		nr_ofuncs++;
	sw.ofs = kcalloc(nr_ofuncs, sizeof(*sw.ofs), GFP_KERNEL);
	sw.targets = kcalloc(nr_ofuncs, sizeof(*sw.targets), GFP_KERNEL);
	hook = kcalloc(nr_ofuncs, sizeof(*hook), GFP_KERNEL);
	unhook = kcalloc(nr_ofuncs, sizeof(*unhook), GFP_KERNEL);
	if (nr_ofuncs && (!sw.ofs || !sw.targets || !hook || !unhook))
		goto out_free;

	list_for_each_entry(of, &clp_ofuncs, node) {
		struct clp_kfunc *target = clp_version_of(of, to);

		if (target == of->live)
			continue;
		sw.ofs[sw.n] = of;
		sw.targets[sw.n] = target;
		sw.n++;
		if (target && !of->hooked)
			hook[nr_hook++] = of;
	}
	pr_debug("%s: switch (%s) changes %u functions, hooks %u\n", who, what,
		 sw.n, nr_hook);

	clp_states_switch_begin(from);
	if (to) {
		ret = clp_callbacks_pre_patch(to);
		if (ret) {
			pr_info("%s: %s refused: pre_patch callback failed: %d\n",
				who, what, ret);
			goto out;
		}
	}
	if (unpatch)
		clp_callbacks_pre_unpatch(from);

	ret = clp_engine_hook(hook, nr_hook, who);
	if (ret)
		goto undo;
	ret = clp_consistency_switch(&sw);
	if (ret) {
		if (ret == -EBUSY && sw.busy_func)
			pr_info("%s: %s refused: task %s:%d is inside %s (%u attempts)\n",
				who, what, sw.busy_comm, sw.busy_pid,
				sw.busy_func, sw.attempts);
		else if (ret == -EBUSY)
			pr_info("%s: %s refused: the stack of task %s:%d cannot be checked reliably (%u attempts)\n",
				who, what, sw.busy_comm, sw.busy_pid,
				sw.attempts);
		else
			pr_info("%s: %s refused: switch failed: %d\n", who,
				what, ret);
		clp_engine_unhook(hook, nr_hook);
		goto undo;
	}
	for (i = 0; i < sw.n; i++) {
		of = sw.ofs[i];
		pr_debug("%s: %s -> %s\n", who, of->name,
			 of->live ? of->live->ktarget->kpatch->name :
			 "original");
		if (!of->live && of->hooked)
			unhook[nr_unhook++] = of;
	}
	clp_engine_unhook(unhook, nr_unhook);
	if (to)
		clp_callbacks_post_patch(to);
	if (unpatch)
		clp_callbacks_post_unpatch(from);
	goto out;

undo:
	if (unpatch)
		clp_callbacks_post_patch(from);
	if (to)
		clp_callbacks_post_unpatch(to);
out:
	clp_states_switch_end();
out_free:
	kfree(unhook);
	kfree(hook);
	kfree(sw.targets);
	kfree(sw.ofs);
	return ret;
}

static void clp_taint(struct clp_kpatch *kp)
{
	if (kp->tainted)
		return;
	kp->tainted = true;
	set_bit(TAINT_LIVEPATCH, &kp->mod->taints);
	add_taint(TAINT_LIVEPATCH, LOCKDEP_STILL_OK);
}

/*
 * Say what is true after @kp went live: functions of objects whose module
 * is not loaded are live only once it loads.
 */
static void clp_report_live(struct clp_kpatch *kp)
{
	unsigned int now = 0, later = 0, mods;
	struct clp_ktarget *kt, *first = NULL;
	char when[CLP_NAME_MAX + 40];
	struct clp_kfunc *kf;

	clp_for_each_kfunc(kp, kt, kf) {
		if (clp_ktarget_loaded(kt)) {
			now++;
		} else {
			later++;
			first = first ?: kt;
		}
	}
	if (!later) {
		pr_info("%s: enabled, live (%u functions)\n", kp->name, now);
		return;
	}
	mods = clp_ktargets_unloaded(kp);
	if (mods > 1)
		snprintf(when, sizeof(when), "%s and %u more module%s load",
			 first->name, mods - 1, mods > 2 ? "s" : "");
	else
		snprintf(when, sizeof(when), "%s loads", first->name);
	if (!now)
		pr_info("%s: enabled, live when %s (%u functions)\n",
			kp->name, when, later);
	else
		pr_info("%s: enabled, live (%u functions; %u more when %s)\n",
			kp->name, now, later, when);
}

/**
 * clp_replace_enable() - enable @kp; see the rules at the top of the file
 * @kp: a registered patch
 *
 * Return: 0 (also when already enabled), or a negative errno with nothing
 * changed.
 */
int clp_replace_enable(struct clp_kpatch *kp)
{
	struct clp_kpatch *live, *newest, *old;
	int ret;

	lockdep_assert_held(&clp_mutex);
	if (kp->enabled)
		return 0;
	if (!try_module_get(kp->mod)) {
		pr_info("%s: enable refused: the module is going away\n",
			kp->name);
		return -ENODEV;
	}
	live = clp_live_patch();
	if (live && live->seq > kp->seq) {
		kp->enabled = true;
		pr_info("%s: enabled, shadowed by the newer %s\n", kp->name,
			live->name);
		return 0;
	}
	newest = list_last_entry(&clp_patches, struct clp_kpatch, node);
	ret = kp == newest ? clp_states_compatible(kp) : 0;
	if (!ret)
		ret = clp_switch_to(kp, kp->name, "enable");
	if (ret) {
		module_put(kp->mod);
		return ret;
	}
	kp->enabled = true;
	clp_taint(kp);
	if (kp == newest) {
		list_for_each_entry(old, &clp_patches, node) {
			struct clp_ktarget *kt;

			if (old == kp || !old->enabled)
				continue;
			/* taken over by @kp: no callbacks of @old run */
			list_for_each_entry(kt, &old->objs, node)
				kt->prepared = false;
			old->enabled = false;
			module_put(old->mod);
			pr_info("%s: supersedes %s\n", kp->name, old->name);
		}
	}
	clp_report_live(kp);
	return 0;
}

/**
 * clp_replace_disable() - disable @kp; a live patch falls back
 * @kp: a registered patch
 *
 * Return: 0 (also when already disabled), or a negative errno with
 * nothing changed.
 */
int clp_replace_disable(struct clp_kpatch *kp)
{
	struct clp_kpatch *prev = NULL, *p;
	int ret;

	lockdep_assert_held(&clp_mutex);
	if (!kp->enabled)
		return 0;
	if (kp != clp_live_patch()) {
		kp->enabled = false;
		module_put(kp->mod);
		pr_info("%s: disabled (it was shadowed)\n", kp->name);
		return 0;
	}
	list_for_each_entry(p, &clp_patches, node)
		if (p != kp && p->enabled && p->seq < kp->seq)
			prev = p;
	ret = clp_switch_to(prev, kp->name, "disable");
	if (ret)
		return ret;
	kp->enabled = false;
	module_put(kp->mod);
	if (prev)
		pr_info("%s: disabled, falling back to %s\n", kp->name,
			prev->name);
	else
		pr_info("%s: disabled, functions revert to the original\n",
			kp->name);
	return 0;
}
