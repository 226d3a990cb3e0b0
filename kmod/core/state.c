// SPDX-License-Identifier: GPL-2.0
/*
 * state.c - system states a patch declares (struct clp_state).
 *
 * A state names a change a patch makes to the system beyond its functions
 * (a new shadow variable layout, a changed setting), with a version.  A
 * patch that would supersede enabled patches must carry each of their
 * states at the same or a higher version: it takes the state over and its
 * code understands it.  Otherwise it is refused before anything changes.
 * During a switch, callbacks find the outgoing live patch's state with
 * clp_get_prev_state() to take it over.
 *
 * Rolling back (disabling the live patch so that an older one is live
 * again) is not checked: the outgoing patch's pre_unpatch/post_unpatch
 * callbacks run then and must undo what the older patch does not know.
 */
#define pr_fmt(fmt) "clp: " fmt

#include "core.h"

/* the patch that was live when the current switch began (under clp_mutex) */
static struct clp_kpatch *clp_prev_live;

static struct clp_state *clp_find_state(struct clp_patch *patch,
					unsigned long id)
{
	struct clp_state *s;

	if (!patch->states)
		return NULL;
	for (s = patch->states; s->id; s++)
		if (s->id == id)
			return s;
	return NULL;
}

/**
 * clp_states_validate() - check a patch's state table
 * @patch: the description
 * @name: patch name for messages
 *
 * Return: 0, or -EINVAL when an id appears twice.
 */
int clp_states_validate(struct clp_patch *patch, const char *name)
{
	struct clp_state *s, *t;

	if (!patch->states)
		return 0;
	for (s = patch->states; s->id; s++)
		for (t = patch->states; t != s; t++)
			if (t->id == s->id) {
				pr_err("%s: refused: state %#lx declared twice\n",
				       name, s->id);
				return -EINVAL;
			}
	return 0;
}

/**
 * clp_states_compatible() - may @kp supersede the enabled patches?
 * @kp: the newest registered patch, about to be enabled
 *
 * Return: 0, or -EINVAL with a message naming the first state of an
 * enabled patch that @kp does not carry at least at that version.
 */
int clp_states_compatible(struct clp_kpatch *kp)
{
	struct clp_kpatch *old;
	struct clp_state *s, *mine;

	list_for_each_entry(old, &clp_patches, node) {
		if (old == kp || !old->enabled || !old->desc->states)
			continue;
		for (s = old->desc->states; s->id; s++) {
			mine = clp_find_state(kp->desc, s->id);
			if (mine && mine->version >= s->version)
				continue;
			if (mine)
				pr_err("%s: refused: state %#lx has version %u, older than version %u of the enabled %s\n",
				       kp->name, s->id, mine->version,
				       s->version, old->name);
			else
				pr_err("%s: refused: state %#lx (version %u) of the enabled %s is not carried\n",
				       kp->name, s->id, s->version, old->name);
			return -EINVAL;
		}
	}
	return 0;
}

/* Around a switch: remember which patch was live before it. */
void clp_states_switch_begin(struct clp_kpatch *prev_live)
{
	lockdep_assert_held(&clp_mutex);
	clp_prev_live = prev_live;
}

void clp_states_switch_end(void)
{
	clp_prev_live = NULL;
}

/**
 * clp_get_state() - a state of the patch a module registered
 * @mod: the patch module (THIS_MODULE)
 * @id: the state's id
 *
 * Call it from callbacks, which run with the core's lock held (a patch's
 * first callbacks run during its own registration); patch code that needs
 * the state later keeps the pointer.
 *
 * Return: the state, or NULL.
 */
struct clp_state *clp_get_state(struct module *mod, unsigned long id)
{
	struct clp_kpatch *kp;

	lockdep_assert_held(&clp_mutex);
	list_for_each_entry(kp, &clp_patches, node)
		if (kp->mod == mod)
			return clp_find_state(kp->desc, id);
	return NULL;
}
EXPORT_SYMBOL_GPL(clp_get_state);

/**
 * clp_get_prev_state() - a state of the patch live before this switch
 * @id: the state's id
 *
 * Only meaningful from callbacks, which run during a switch with the
 * core's lock held: a pre_patch or post_patch callback finds here the
 * state it takes over from the patch it supersedes.
 *
 * Return: the state, or NULL (no such state, no patch was live, or no
 * switch is in progress).
 */
struct clp_state *clp_get_prev_state(unsigned long id)
{
	lockdep_assert_held(&clp_mutex);
	if (!clp_prev_live)
		return NULL;
	return clp_find_state(clp_prev_live->desc, id);
}
EXPORT_SYMBOL_GPL(clp_get_prev_state);
