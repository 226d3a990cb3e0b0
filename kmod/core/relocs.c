// SPDX-License-Identifier: GPL-2.0
/*
 * relocs.c - load-time references of a patch module (struct clp_reloc).
 *
 * Replacement code may use static functions and variables, or symbols the
 * kernel does not export.  The module loader cannot resolve those, so
 * 'clp build' points them at a stub and lists each place in a table; the
 * core resolves the table through kallsyms and writes the real values
 * while the patch module is still coming (from its init), before any of its
 * code can run.
 *
 * Everything is checked first: every symbol resolves (unique, or at the
 * given position), every value fits its relocation, every place lies in the
 * patch module and, when the module has the stub (modules from 'clp
 * build'), still holds what the loader wrote for it.  Only
 * then is anything written, through a temporary writable alias of the
 * module pages: module text and rodata are already read-only at that point
 * and text_poke() is not exported.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/elf.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "core.h"

#define CLP_STUB_SYMBOL		"__clp_unresolved"

static const char *clp_reloc_objname(const struct clp_reloc *r)
{
	return r->objname ? r->objname : CLP_VMLINUX;
}

static const char *clp_reloc_type_name(unsigned int type)
{
	switch (type) {
	case R_X86_64_64:	return "R_X86_64_64";
	case R_X86_64_PC32:	return "R_X86_64_PC32";
	case R_X86_64_PLT32:	return "R_X86_64_PLT32";
	case R_X86_64_32S:	return "R_X86_64_32S";
	}
	return NULL;
}

static size_t clp_reloc_size(unsigned int type)
{
	return type == R_X86_64_64 ? 8 : 4;
}

/**
 * clp_relocs_validate() - check a patch's reference table before use
 * @patch: the description
 * @name: patch name for messages
 *
 * Return: 0, or -EINVAL with a message naming the bad entry.
 */
int clp_relocs_validate(struct clp_patch *patch, const char *name)
{
	struct clp_reloc *r;

	if (!patch->relocs)
		return 0;
	for (r = patch->relocs; r->sym_name; r++) {
		unsigned long place = (unsigned long)r->place;

		if (!*r->sym_name || strlen(r->sym_name) >= KSYM_NAME_LEN ||
		    strlen(clp_reloc_objname(r)) >= CLP_NAME_MAX) {
			pr_err("%s: refused: malformed reference entry '%s'\n",
			       name, r->sym_name);
			return -EINVAL;
		}
		if (!clp_reloc_type_name(r->type)) {
			pr_err("%s: refused: reference to %s uses relocation type %u, which clp does not support\n",
			       name, r->sym_name, r->type);
			return -EINVAL;
		}
		if (!within_module_core(place, patch->mod) ||
		    !within_module_core(place + clp_reloc_size(r->type) - 1,
				   patch->mod)) {
			pr_err("%s: refused: reference to %s is written outside the patch module's core (non-init) memory\n",
			       name, r->sym_name);
			return -EINVAL;
		}
	}
	return 0;
}

/* The value the loader (or clp) writes for @type, symbol @s, at @place. */
static int clp_reloc_value(const struct clp_reloc *r, unsigned long s,
			   u64 *val)
{
	u64 v = s + r->addend;

	switch (r->type) {
	case R_X86_64_64:
		*val = v;
		return 0;
	case R_X86_64_32S:
		if ((s64)v != (s32)v)
			return -ERANGE;
		*val = (u32)v;
		return 0;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		v -= (unsigned long)r->place;
		if ((s64)v != (s32)v)
			return -ERANGE;
		*val = (u32)v;
		return 0;
	}
	return -EINVAL;
}

static u64 clp_reloc_read(const struct clp_reloc *r)
{
	if (clp_reloc_size(r->type) == 8)
		return *(u64 *)r->place;
	return *(u32 *)r->place;
}

/* Pin the module @r refers to in @kp (once per module). */
static int clp_reloc_pin(struct clp_kpatch *kp, const struct clp_reloc *r)
{
	const char *obj = clp_reloc_objname(r);
	enum module_state state;
	struct module *mod;
	unsigned int i;

	if (!strcmp(obj, CLP_VMLINUX))
		return 0;
	for (i = 0; i < kp->nr_ref_mods; i++)
		if (!strcmp(kp->ref_mods[i]->name, obj))
			return 0;
	rcu_read_lock();
	mod = clp_find_module(obj);
	/*
	 * Only a LIVE module can be pinned: one still COMING whose init then
	 * fails is freed whatever its reference count, and one GOING is on
	 * its way out.
	 */
	state = mod ? READ_ONCE(mod->state) : MODULE_STATE_UNFORMED;
	if (state != MODULE_STATE_LIVE || !try_module_get(mod))
		mod = NULL;
	rcu_read_unlock();
	if (!mod) {
		pr_err("%s: refused: reference to %s: module %s is %s\n",
		       kp->name, r->sym_name, obj,
		       state == MODULE_STATE_COMING ? "still loading, try again when its init has finished" :
		       state == MODULE_STATE_GOING ? "being removed" : "not loaded");
		return -ENOENT;
	}
	kp->ref_mods[kp->nr_ref_mods++] = mod;
	return 0;
}

/**
 * clp_relocs_release() - drop what clp_relocs_apply() took
 * @kp: the patch
 */
void clp_relocs_release(struct clp_kpatch *kp)
{
	unsigned int i;

	for (i = 0; i < kp->nr_ref_mods; i++)
		module_put(kp->ref_mods[i]);
	kfree(kp->ref_mods);
	kp->ref_mods = NULL;
	kp->nr_ref_mods = 0;
	kfree(kp->reloc_orig);
	kp->reloc_orig = NULL;
}

/*
 * The module object of @kp that @r points into, or NULL when @r is
 * resolved at registration (vmlinux, or a module @kp patches nothing of).
 */
static struct clp_ktarget *clp_reloc_ktarget(struct clp_kpatch *kp,
				       const struct clp_reloc *r)
{
	const char *obj = clp_reloc_objname(r);
	struct clp_ktarget *kt;

	if (!strcmp(obj, CLP_VMLINUX))
		return NULL;
	list_for_each_entry(kt, &kp->objs, node)
		if (!strcmp(kt->name, obj))
			return kt;
	return NULL;
}

/* Is every entry of the resolved batch usable?  Messages say why not. */
static int clp_relocs_check(struct clp_kpatch *kp, struct clp_symreq *reqs,
			    unsigned int n, u64 *vals, struct clp_reloc **sel)
{
	struct clp_symreq *stub = &reqs[n];
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		struct clp_reloc *r = sel[i];
		const char *obj = clp_reloc_objname(r);

		if (!reqs[i].count) {
			pr_err("%s: refused: referenced symbol %s not found in %s\n",
			       kp->name, r->sym_name, obj);
			return -ENOENT;
		}
		if (!r->sympos && reqs[i].count > 1) {
			pr_err("%s: refused: referenced symbol %s is ambiguous in %s: %lu candidates, give a sympos (1..%lu)\n",
			       kp->name, r->sym_name, obj, reqs[i].count,
			       reqs[i].count);
			return -ENOENT;
		}
		if (r->sympos > reqs[i].count) {
			pr_err("%s: refused: referenced symbol %s,%lu not found in %s: only %lu candidates\n",
			       kp->name, r->sym_name, r->sympos, obj,
			       reqs[i].count);
			return -ENOENT;
		}
		ret = clp_reloc_value(r, reqs[i].addr, &vals[i]);
		if (ret) {
			pr_err("%s: refused: reference to %s (%s) is out of range of %pS\n",
			       kp->name, r->sym_name,
			       clp_reloc_type_name(r->type), r->place);
			return -ERANGE;
		}
		/*
		 * A module from 'clp build' has a stub the loader resolved
		 * the place against: the table must match the code.
		 */
		if (stub->count == 1) {
			struct clp_reloc as_stub = *r;
			u64 expect;

			if (clp_reloc_value(&as_stub, stub->addr, &expect) ||
			    clp_reloc_read(r) != expect) {
				pr_err("%s: refused: the reference table does not match the code at %pS (%s)\n",
				       kp->name, r->place, r->sym_name);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Remember what the loader wrote at every place, so that the references
 * into a module can be reset when it goes and written again when it comes.
 */
static int clp_relocs_save(struct clp_kpatch *kp, unsigned int n)
{
	unsigned int i;

	kp->reloc_orig = kcalloc(n, sizeof(*kp->reloc_orig), GFP_KERNEL);
	kp->ref_mods = kcalloc(n, sizeof(*kp->ref_mods), GFP_KERNEL);
	if (!kp->reloc_orig || !kp->ref_mods)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		kp->reloc_orig[i] = clp_reloc_read(&kp->desc->relocs[i]);
	return 0;
}

/**
 * clp_relocs_apply() - resolve and write load-time references
 * @kp: the patch
 * @kt: NULL at registration (the patch module is still coming): the
 *	references into vmlinux and into modules @kp has no object for;
 *	those modules must be loaded and are pinned until
 *	clp_relocs_release().  Else a module object of @kp that is loaded
 *	(or coming): the references into that module.
 *
 * Return: 0, or a negative errno with a message; on error nothing was
 * written and nothing new stays pinned.
 */
int clp_relocs_apply(struct clp_kpatch *kp, struct clp_ktarget *kt)
{
	struct clp_reloc *r, *relocs = kp->desc->relocs, **sel = NULL;
	struct clp_symreq *reqs = NULL;
	unsigned int n = 0, all = 0, i, pinned = kp->nr_ref_mods;
	u64 *vals = NULL;
	int ret = -ENOMEM;

	if (!relocs)
		return 0;
	for (r = relocs; r->sym_name; r++)
		all++;
	if (!kt && all && clp_relocs_save(kp, all))
		goto out;
	for (r = relocs; r->sym_name; r++)
		if (clp_reloc_ktarget(kp, r) == kt)
			n++;
	if (!n)
		return 0;
	/* one extra request: the stub, in the patch module itself */
	reqs = kcalloc(n + 1, sizeof(*reqs), GFP_KERNEL);
	vals = kcalloc(n, sizeof(*vals), GFP_KERNEL);
	sel = kcalloc(n, sizeof(*sel), GFP_KERNEL);
	if (!reqs || !vals || !sel)
		goto out;

	i = 0;
	for (r = relocs; r->sym_name; r++) {
		if (clp_reloc_ktarget(kp, r) != kt)
			continue;
		if (!kt) {
			ret = clp_reloc_pin(kp, r);
			if (ret)
				goto out;
		}
		sel[i] = r;
		reqs[i].objname = clp_reloc_objname(r);
		reqs[i].name = r->sym_name;
		reqs[i].sympos = r->sympos;
		i++;
	}
	reqs[n].objname = kp->mod->name;
	reqs[n].name = CLP_STUB_SYMBOL;
	reqs[n].text = true;
	ret = clp_symbols_resolve(reqs, n + 1);
	if (ret) {
		pr_err("%s: refused: cannot read kernel symbols: %d\n",
		       kp->name, ret);
		goto out;
	}
	ret = clp_relocs_check(kp, reqs, n, vals, sel);
	if (ret)
		goto out;

	for (i = 0; i < n; i++) {
		r = sel[i];
		ret = clp_text_write(r->place, &vals[i],
				     clp_reloc_size(r->type));
		if (ret) {
			pr_err("%s: refused: cannot write the reference to %s: %d\n",
			       kp->name, r->sym_name, ret);
			/* put back what was written: the code stays as loaded */
			while (i--)
				clp_text_write(sel[i]->place,
					       &kp->reloc_orig[sel[i] - relocs],
					       clp_reloc_size(sel[i]->type));
			goto out;
		}
		pr_debug("%s: %s %s+%#lx at %pS\n", kp->name,
			 clp_reloc_type_name(r->type), r->sym_name,
			 (unsigned long)r->addend, r->place);
	}
	if (kt)
		clp_sync_cores();
	if (kt)
		pr_debug("%s: %u references into module %s resolved\n",
			 kp->name, n, kt->name);
	else
		pr_debug("%s: %u load-time references resolved\n", kp->name, n);
out:
	if (ret) {
		while (kp->nr_ref_mods > pinned)
			module_put(kp->ref_mods[--kp->nr_ref_mods]);
		if (!kt)
			clp_relocs_release(kp);
	}
	kfree(sel);
	kfree(vals);
	kfree(reqs);
	return ret;
}

/**
 * clp_relocs_reset() - put back what the loader wrote for the references
 *			into a module that goes away
 * @kp: the patch
 * @kt: its module object
 *
 * The code that uses them must not run any more (the object is unpatched);
 * they are written again when the module comes back.
 */
void clp_relocs_reset(struct clp_kpatch *kp, struct clp_ktarget *kt)
{
	struct clp_reloc *r, *relocs = kp->desc->relocs;

	if (!relocs || !kp->reloc_orig)
		return;
	for (r = relocs; r->sym_name; r++) {
		if (clp_reloc_ktarget(kp, r) != kt)
			continue;
		if (clp_text_write(r->place, &kp->reloc_orig[r - relocs],
				   clp_reloc_size(r->type)))
			pr_warn("%s: cannot reset the reference to %s\n",
				kp->name, r->sym_name);
	}
	clp_sync_cores();
}
