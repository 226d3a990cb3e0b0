// SPDX-License-Identifier: GPL-2.0
/*
 * funcs.c - find a patch's old functions and file them into func_stacks.
 *
 * The functions of one object are resolved and attached together, when
 * the patch registers if the object is loaded, else when its module comes
 * (objects.c).  Attaching pushes a kfunc on top of its ofunc's func_stack,
 * so objects must be attached in registration order, oldest patch first:
 * then the stack is ordered by registration, newest on top.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/kallsyms.h>
#include <linux/slab.h>
#include "core.h"

/* Is @kf unusable for @kp?  Says why; 0 when it may be attached. */
static int clp_check_func(struct clp_kpatch *kp, struct clp_ktarget *kt,
			  struct clp_kfunc *kf, struct clp_symreq *r)
{
	struct clp_kfunc *other;
	int ret;

	if (!r->count) {
		pr_err("%s: refused: function %s not found in %s\n",
		       kp->name, kf->name, kt->name);
		return -ENOENT;
	}
	if (!kf->sympos && r->count > 1) {
		pr_err("%s: refused: %s is ambiguous in %s: %lu candidates, give a sympos (1..%lu)\n",
		       kp->name, kf->name, kt->name, r->count, r->count);
		return -ENOENT;
	}
	if (kf->sympos > r->count) {
		pr_err("%s: refused: %s,%lu not found in %s: only %lu candidates\n",
		       kp->name, kf->name, kf->sympos, kt->name, r->count);
		return -ENOENT;
	}
	kf->old_addr = r->addr;
	if (!clp_symbol_size(kf->old_addr) || !kf->new_addr) {
		pr_err("%s: refused: %s in %s has no known size\n",
		       kp->name, kf->name, kt->name);
		return -ENOENT;
	}
	kf->new_size = clp_symbol_size(kf->new_addr);
	if (!kf->new_size) {
		pr_err("%s: refused: replacement of %s is not a function start\n",
		       kp->name, kf->name);
		return -EINVAL;
	}
	ret = clp_engine_check_traceable(kf->old_addr);
	if (ret) {
		pr_err("%s: refused: %s in %s cannot be redirected by ftrace (notrace or inlined): %d\n",
		       kp->name, kf->name, kt->name, ret);
		return -EINVAL;
	}
	/* one version of a function per patch (objects differ in address) */
	list_for_each_entry(other, &kt->funcs, node) {
		if (other == kf)
			break;
		if (other->old_addr == kf->old_addr) {
			pr_err("%s: refused: %s is replaced twice\n",
			       kp->name, kf->name);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * GCC moves the unlikely part of a function to "<name>.cold".  It is no
 * entry point (only the function jumps there), but a task can sleep in it,
 * so the stack check must cover it.  Same-named functions have their cold
 * parts in the same order; when the counts differ and more than one cold
 * part exists, which one is this function's cannot be told.
 */
static void clp_cold_set(struct clp_kpatch *kp, struct clp_kfunc *kf,
			 const struct clp_symreq *f, const struct clp_symreq *c,
			 unsigned long *addr, unsigned long *size)
{
	*addr = 0;
	*size = 0;
	if (!c->count)
		return;
	if (c->count == f->count && c->addr)
		*addr = c->addr;
	else if (c->count == 1)
		*addr = c->addr;	/* may belong to a namesake: checked anyway */
	else
		pr_warn("%s: cannot tell which of %lu %s cold parts is %s's: the stack check does not cover it\n",
			kp->name, c->count, c->name, kf->name);
	if (*addr)
		*size = clp_symbol_size(*addr);
}

/* "name.cold" of the replacement of @kf, in the patch module, or NULL */
static char *clp_new_cold_name(struct clp_kfunc *kf)
{
	char sym[KSYM_SYMBOL_LEN], *sp;

	sprint_symbol_no_offset(sym, kf->new_addr);
	sp = strchr(sym, ' ');
	if (sp)
		*sp = '\0';
	return kasprintf(GFP_KERNEL, "%s.cold", sym);
}

/**
 * clp_funcs_resolve() - find the old functions of loaded objects
 * @kp: the patch
 * @only: resolve only this object, or NULL for every loaded object
 *
 * One batch for all: each function must exist (once, or at its sympos),
 * have a size and be an ftrace location.  The cold parts of the old
 * function and of its replacement are found too, for the stack check.
 *
 * Return: 0, or a negative errno with a message naming the function.
 */
int clp_funcs_resolve(struct clp_kpatch *kp, struct clp_ktarget *only)
{
	struct clp_symreq *reqs;
	struct clp_ktarget *kt;
	struct clp_kfunc *kf;
	unsigned int i = 0, n = 0;
	int ret;

	clp_for_each_kfunc(kp, kt, kf)
		if (clp_ktarget_loaded(kt) && (!only || kt == only))
			n++;
	if (!n)
		return 0;
	/* per function: itself, its cold part, its replacement's cold part */
	reqs = kcalloc(3 * n, sizeof(*reqs), GFP_KERNEL);
	if (!reqs)
		return -ENOMEM;
	clp_for_each_kfunc(kp, kt, kf) {
		if (!clp_ktarget_loaded(kt) || (only && kt != only))
			continue;
		reqs[3 * i].objname = kt->name;
		reqs[3 * i].name = kf->name;
		reqs[3 * i].sympos = kf->sympos;
		reqs[3 * i].text = true;
		reqs[3 * i + 1].objname = kt->name;
		reqs[3 * i + 1].name = kasprintf(GFP_KERNEL, "%s.cold", kf->name);
		reqs[3 * i + 1].sympos = kf->sympos;
		reqs[3 * i + 1].text = true;
		reqs[3 * i + 2].objname = kp->mod->name;
		reqs[3 * i + 2].name = clp_new_cold_name(kf);
		reqs[3 * i + 2].text = true;
		i++;
		if (!reqs[3 * i - 2].name || !reqs[3 * i - 1].name) {
			ret = -ENOMEM;
			goto out;
		}
	}
	ret = clp_symbols_resolve(reqs, 3 * n);
	if (ret) {
		pr_err("%s: refused: cannot read kernel symbols: %d\n",
		       kp->name, ret);
		goto out;
	}
	i = 0;
	clp_for_each_kfunc(kp, kt, kf) {
		if (!clp_ktarget_loaded(kt) || (only && kt != only))
			continue;
		ret = clp_check_func(kp, kt, kf, &reqs[3 * i]);
		if (ret)
			goto out;
		clp_cold_set(kp, kf, &reqs[3 * i], &reqs[3 * i + 1],
			     &kf->old_cold_addr, &kf->old_cold_size);
		clp_cold_set(kp, kf, &reqs[3 * i + 2], &reqs[3 * i + 2],
			     &kf->new_cold_addr, &kf->new_cold_size);
		i++;
	}
out:
	for (i = 0; i < n; i++) {
		kfree(reqs[3 * i + 1].name);
		kfree(reqs[3 * i + 2].name);
	}
	kfree(reqs);
	return ret;
}

static struct clp_ofunc *clp_find_ofunc(unsigned long addr)
{
	struct clp_ofunc *of;

	list_for_each_entry(of, &clp_ofuncs, node)
		if (of->old_addr == addr)
			return of;
	return NULL;
}

/**
 * clp_funcs_attach() - put kfuncs of loaded objects on their func_stacks
 * @kp: the patch; newer than every patch attached to these functions
 * @only: attach only this object, or NULL for every loaded object
 *
 * Return: 0 or -ENOMEM; on error clp_funcs_detach() undoes the part done.
 */
int clp_funcs_attach(struct clp_kpatch *kp, struct clp_ktarget *only)
{
	struct clp_ktarget *kt;
	struct clp_kfunc *kf;
	struct clp_ofunc *of;

	clp_for_each_kfunc(kp, kt, kf) {
		if (!clp_ktarget_loaded(kt) || (only && kt != only))
			continue;
		of = clp_find_ofunc(kf->old_addr);
		if (!of) {
			of = kzalloc(sizeof(*of), GFP_KERNEL);
			if (!of)
				return -ENOMEM;
			INIT_LIST_HEAD(&of->stack);
			strscpy(of->name, kf->name, sizeof(of->name));
			strscpy(of->objname, kt->name, sizeof(of->objname));
			of->sympos = kf->sympos ? kf->sympos : 1;
			of->old_addr = kf->old_addr;
			of->old_size = clp_symbol_size(of->old_addr);
			of->cold_addr = kf->old_cold_addr;
			of->cold_size = kf->old_cold_size;
			list_add_tail(&of->node, &clp_ofuncs);
		}
		list_add(&kf->stack_node, &of->stack);
		kf->ofunc = of;
	}
	clp_sysfs_functions_changed();
	return 0;
}

/**
 * clp_funcs_detach() - take kfuncs off their func_stacks
 * @kp: the patch
 * @only: this object only, or NULL for all
 * @dead: ofuncs left empty are moved here, for clp_funcs_free()
 *
 * The kfuncs must not be live; emptied ofuncs must not be hooked.
 */
void clp_funcs_detach(struct clp_kpatch *kp, struct clp_ktarget *only,
		      struct list_head *dead)
{
	struct clp_ktarget *kt;
	struct clp_kfunc *kf;
	struct clp_ofunc *of;

	clp_for_each_kfunc(kp, kt, kf) {
		of = kf->ofunc;
		if (!of || (only && kt != only))
			continue;
		WARN_ON_ONCE(of->live == kf);
		list_del(&kf->stack_node);
		kf->ofunc = NULL;
		kf->old_addr = 0;
		if (list_empty(&of->stack)) {
			WARN_ON_ONCE(of->live || of->hooked);
			list_move(&of->node, dead);
		}
	}
	clp_sysfs_functions_changed();
}

/**
 * clp_funcs_free() - free ofuncs that clp_funcs_detach() emptied
 * @dead: the list; called without clp_mutex (it waits for RCU readers)
 */
void clp_funcs_free(struct list_head *dead)
{
	struct clp_ofunc *of, *tmp;

	if (list_empty(dead))
		return;
	clp_engine_sync();
	list_for_each_entry_safe(of, tmp, dead, node)
		kfree(of);
}
