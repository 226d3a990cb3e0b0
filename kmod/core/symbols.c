// SPDX-License-Identifier: GPL-2.0
/*
 * symbols.c - find symbols by name, object and position.
 *
 * Symbols of vmlinux come from the kernel's own listing, /proc/kallsyms,
 * as the kernel sees it (internals.c): what the core resolves does not
 * depend on the mount namespace, chroot, credentials or procfs of the task
 * that loads a patch or a patched module.  The walk stops at the first
 * module symbol, since vmlinux comes first.  Symbols of a module come
 * straight from the module's own symbol table, in the order
 * /proc/kallsyms lists them, so a module that comes costs no walk of the
 * whole listing.
 *
 * One call answers a whole batch of requests.  Positions (sympos) count
 * same-named symbols of one object in kallsyms order, as upstream
 * livepatch does.  Function requests accept text symbols, global or local,
 * and weak ones (nm's t, T, W).
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/kallsyms.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "core.h"

struct clp_symwalk {
	struct clp_symreq *reqs;
	unsigned int n;
	unsigned int *order;		/* reqs indexes sorted by name */
	bool addresses_hidden;
};

static struct clp_symreq *sort_reqs;

static int clp_req_cmp(const void *a, const void *b)
{
	return strcmp(sort_reqs[*(const unsigned int *)a].name,
		      sort_reqs[*(const unsigned int *)b].name);
}

/* first index in walk->order whose request has @name, or -1 */
static int clp_req_first(struct clp_symwalk *w, const char *name)
{
	int lo = 0, hi = w->n - 1, found = -1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = strcmp(name, w->reqs[w->order[mid]].name);

		if (c == 0)
			found = mid;
		if (c <= 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return found;
}

static bool clp_type_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* One symbol of object @obj: count it for every request it answers. */
static void clp_symwalk_match(struct clp_symwalk *w, const char *obj,
			      const char *name, char type, unsigned long addr)
{
	int i = clp_req_first(w, name);

	if (i < 0)
		return;
	for (; i < w->n && !strcmp(w->reqs[w->order[i]].name, name); i++) {
		struct clp_symreq *r = &w->reqs[w->order[i]];

		if (strcmp(r->objname, obj))
			continue;
		if (r->text && !clp_type_text(type))
			continue;
		r->count++;
		if (!addr)
			w->addresses_hidden = true;
		if ((r->sympos == 0 && r->count == 1) || r->count == r->sympos)
			r->addr = addr;
	}
}

/*
 * One /proc/kallsyms line: "ffffffff81000000 T name\t[module]".
 * Return: false at the first module symbol (vmlinux is done).
 */
static bool clp_symwalk_line(void *data, char *line)
{
	struct clp_symwalk *w = data;
	char *type, *name;
	unsigned long addr;

	type = strchr(line, ' ');
	if (!type)
		return true;
	*type++ = '\0';
	name = strchr(type, ' ');
	if (!name)
		return true;
	*name++ = '\0';
	if (strchr(name, '\t'))
		return false;
	if (kstrtoul(line, 16, &addr))
		return true;
	clp_symwalk_match(w, CLP_VMLINUX, name, *type, addr);
	return true;
}

struct clp_modwalk {
	struct clp_symwalk *w;
	const char *obj;
};

static void clp_symwalk_modsym(void *data, const char *sym, char type,
			       unsigned long addr)
{
	struct clp_modwalk *mw = data;

	clp_symwalk_match(mw->w, mw->obj, sym, type, addr);
}

/**
 * clp_symbols_resolve() - resolve a batch of symbol requests
 * @reqs: the requests; ->addr and ->count are filled in
 * @n: how many
 *
 * Requests for a module are answered only while it is loaded, and the
 * caller must keep it from going (it is coming, pinned, or its going
 * notification waits for clp_mutex).
 *
 * Return: 0 when the walk completed (each request then says itself whether
 * it resolved: ->addr != 0, and for sympos 0 ->count == 1), or a negative
 * errno when /proc/kallsyms could not be read or hides addresses.
 */
int clp_symbols_resolve(struct clp_symreq *reqs, unsigned int n)
{
	struct clp_symwalk w = { .reqs = reqs, .n = n };
	bool vmlinux = false;
	unsigned int i, j;
	int ret = 0;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		reqs[i].addr = 0;
		reqs[i].count = 0;
	}
	w.order = kmalloc_array(n, sizeof(*w.order), GFP_KERNEL);
	if (!w.order)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		w.order[i] = i;
	/* sort() has no context argument; clp_mutex serializes callers. */
	lockdep_assert_held(&clp_mutex);
	sort_reqs = reqs;
	sort(w.order, n, sizeof(*w.order), clp_req_cmp, NULL);

	for (i = 0; i < n; i++) {
		const char *obj = reqs[i].objname;

		if (!strcmp(obj, CLP_VMLINUX)) {
			vmlinux = true;
			continue;
		}
		/* each module once */
		for (j = 0; j < i; j++)
			if (!strcmp(reqs[j].objname, obj))
				break;
		if (j == i) {
			struct clp_modwalk mw = { .w = &w, .obj = obj };

			clp_module_symbols(obj, clp_symwalk_modsym, &mw);
		}
	}
	if (vmlinux)
		ret = clp_kallsyms_read(clp_symwalk_line, &w);
	if (!ret && w.addresses_hidden) {
		pr_err("/proc/kallsyms hides addresses (kernel.kptr_restrict=2?)\n");
		ret = -EPERM;
	}
	kfree(w.order);
	return ret;
}

/**
 * clp_symbol_size() - size of the function or object at @addr
 * @addr: start address of a symbol
 *
 * Return: the size kallsyms knows, 0 if @addr is not a symbol's start.
 */
unsigned long clp_symbol_size(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off, size;
	char *p;

	sprint_symbol(buf, addr);
	/* "name+0x0/0x1a0 [mod]" */
	p = strrchr(buf, '+');
	if (!p || sscanf(p, "+%lx/%lx", &off, &size) != 2 || off)
		return 0;
	return size;
}

