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
 * clp_mutex held, never inside stop_machine, and only for loaded objects
 * (all objects of a registered patch are loaded today).
 */
#define pr_fmt(fmt) "clp: " fmt

#include "core.h"

/**
 * clp_callbacks_pre_patch() - run @kp's pre_patch callbacks
 * @kp: the patch about to become live
 *
 * Return: 0, or the first callback's error; then the objects prepared so
 * far have had their post_unpatch.
 */
int clp_callbacks_pre_patch(struct clp_kpatch *kp)
{
	struct clp_kobj *ko;
	int ret;

	list_for_each_entry(ko, &kp->objs, node) {
		struct clp_callbacks *cb = &ko->desc->callbacks;

		ko->prepared = false;
		if (!cb->pre_patch) {
			ko->prepared = true;
			continue;
		}
		ret = cb->pre_patch(ko->desc);
		pr_debug("%s: pre_patch of %s: %d\n", kp->name, ko->name, ret);
		if (ret) {
			pr_info("%s: pre_patch callback of %s failed: %d\n",
				kp->name, ko->name, ret);
			clp_callbacks_post_unpatch(kp);
			return ret;
		}
		ko->prepared = true;
	}
	return 0;
}

/** clp_callbacks_post_patch() - run @kp's post_patch callbacks */
void clp_callbacks_post_patch(struct clp_kpatch *kp)
{
	struct clp_kobj *ko;

	list_for_each_entry(ko, &kp->objs, node) {
		if (!ko->prepared || !ko->desc->callbacks.post_patch)
			continue;
		pr_debug("%s: post_patch of %s\n", kp->name, ko->name);
		ko->desc->callbacks.post_patch(ko->desc);
	}
}

/** clp_callbacks_pre_unpatch() - run @kp's pre_unpatch callbacks */
void clp_callbacks_pre_unpatch(struct clp_kpatch *kp)
{
	struct clp_kobj *ko;

	list_for_each_entry(ko, &kp->objs, node) {
		if (!ko->prepared || !ko->desc->callbacks.pre_unpatch)
			continue;
		pr_debug("%s: pre_unpatch of %s\n", kp->name, ko->name);
		ko->desc->callbacks.pre_unpatch(ko->desc);
	}
}

/**
 * clp_callbacks_post_unpatch() - run @kp's post_unpatch callbacks
 * @kp: the patch
 *
 * Only objects whose pre_patch succeeded; they are then unprepared.
 */
void clp_callbacks_post_unpatch(struct clp_kpatch *kp)
{
	struct clp_kobj *ko;

	list_for_each_entry(ko, &kp->objs, node) {
		if (!ko->prepared)
			continue;
		ko->prepared = false;
		if (!ko->desc->callbacks.post_unpatch)
			continue;
		pr_debug("%s: post_unpatch of %s\n", kp->name, ko->name);
		ko->desc->callbacks.post_unpatch(ko->desc);
	}
}
