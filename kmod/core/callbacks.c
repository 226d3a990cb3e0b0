// SPDX-License-Identifier: GPL-2.0
/*
 * callbacks.c - a patch's per-object callbacks around its switches.
 *
 * When a patch becomes live, pre_patch runs for each of its objects before
 * the switch (and may refuse it), post_patch after.  When it stops being
 * live because it is disabled (its functions fall back to an older patch
 * or the original), pre_unpatch runs before the switch and post_unpatch
 * after.  As upstream livepatch does with atomic replace, a patch that is
 * superseded by a newer cumulative patch runs none of its callbacks: the
 * newer patch takes its changes over (see the states in state.c).
 *
 * post_unpatch runs only for objects whose pre_patch ran and succeeded:
 * when a pre_patch fails, or the switch is refused, the objects already
 * prepared get their post_unpatch and nothing else changes.  A switch that
 * takes a live patch away and is refused gets post_patch again for the
 * pre_unpatch it already ran.  Callbacks run in process context with
 * clp_mutex held, never inside stop_machine, and only for loaded objects.
 * A module that comes while its patch is live gets pre_patch and post_patch
 * for its object before its init runs; one that goes gets pre_unpatch and
 * post_unpatch after its exit (objects.c).
 */
#define pr_fmt(fmt) "clp: " fmt

#include "core.h"

/**
 * clp_callback_pre_patch() - run one object's pre_patch callback
 * @kt: a loaded object of the patch about to become live for it
 *
 * Return: 0 (the object is then prepared), or the callback's error.
 */
int clp_callback_pre_patch(struct clp_ktarget *kt)
{
	struct clp_callbacks *cb = &kt->desc->callbacks;
	int ret = 0;

	kt->prepared = false;
	if (cb->pre_patch) {
		ret = cb->pre_patch(kt->desc);
		pr_debug("%s: pre_patch of %s: %d\n", kt->kpatch->name,
			 kt->name, ret);
		if (ret) {
			pr_info("%s: pre_patch callback of %s failed: %d\n",
				kt->kpatch->name, kt->name, ret);
			return ret;
		}
	}
	kt->prepared = true;
	return 0;
}

/** clp_callback_post_patch() - one object's post_patch, if it is prepared */
void clp_callback_post_patch(struct clp_ktarget *kt)
{
	if (!kt->prepared || !kt->desc->callbacks.post_patch)
		return;
	pr_debug("%s: post_patch of %s\n", kt->kpatch->name, kt->name);
	kt->desc->callbacks.post_patch(kt->desc);
}

/** clp_callback_pre_unpatch() - one object's pre_unpatch, if prepared */
void clp_callback_pre_unpatch(struct clp_ktarget *kt)
{
	if (!kt->prepared || !kt->desc->callbacks.pre_unpatch)
		return;
	pr_debug("%s: pre_unpatch of %s\n", kt->kpatch->name, kt->name);
	kt->desc->callbacks.pre_unpatch(kt->desc);
}

/**
 * clp_callback_post_unpatch() - one object's post_unpatch, if prepared
 * @kt: the object; it is unprepared afterwards
 */
void clp_callback_post_unpatch(struct clp_ktarget *kt)
{
	if (!kt->prepared)
		return;
	kt->prepared = false;
	if (!kt->desc->callbacks.post_unpatch)
		return;
	pr_debug("%s: post_unpatch of %s\n", kt->kpatch->name, kt->name);
	kt->desc->callbacks.post_unpatch(kt->desc);
}

/**
 * clp_callbacks_pre_patch() - run @kp's pre_patch callbacks
 * @kp: the patch about to become live
 *
 * Objects that are not loaded are skipped (their module runs them when it
 * comes, see objects.c).
 *
 * Return: 0, or the first callback's error; then the objects prepared so
 * far have had their post_unpatch.
 */
int clp_callbacks_pre_patch(struct clp_kpatch *kp)
{
	struct clp_ktarget *kt;
	int ret;

	list_for_each_entry(kt, &kp->objs, node) {
		kt->prepared = false;
		if (!clp_ktarget_loaded(kt))
			continue;
		ret = clp_callback_pre_patch(kt);
		if (ret) {
			clp_callbacks_post_unpatch(kp);
			return ret;
		}
	}
	return 0;
}

/** clp_callbacks_post_patch() - run @kp's post_patch callbacks */
void clp_callbacks_post_patch(struct clp_kpatch *kp)
{
	struct clp_ktarget *kt;

	list_for_each_entry(kt, &kp->objs, node)
		clp_callback_post_patch(kt);
}

/** clp_callbacks_pre_unpatch() - run @kp's pre_unpatch callbacks */
void clp_callbacks_pre_unpatch(struct clp_kpatch *kp)
{
	struct clp_ktarget *kt;

	list_for_each_entry(kt, &kp->objs, node)
		clp_callback_pre_unpatch(kt);
}

/**
 * clp_callbacks_post_unpatch() - run @kp's post_unpatch callbacks
 * @kp: the patch
 *
 * Only objects whose pre_patch succeeded; they are then unprepared.
 */
void clp_callbacks_post_unpatch(struct clp_kpatch *kp)
{
	struct clp_ktarget *kt;

	list_for_each_entry(kt, &kp->objs, node)
		clp_callback_post_unpatch(kt);
}
