// SPDX-License-Identifier: GPL-2.0
/*
 * symbols.c - find symbols by name, object and position.
 *
 * kallsyms_lookup_name() and kallsyms_on_each_symbol() are not exported,
 * and calling them through an address found some other way would break on
 * kernels whose IBT seals functions that are never called indirectly.  clp
 * reads the kernel's own symbol listing instead: /proc/kallsyms, opened
 * with the credentials of the task that loads the patch (root, so real
 * addresses are shown unless kernel.kptr_restrict is 2) and read through
 * its seq_file in kernel memory.  One pass answers a whole batch of
 * requests, so a patch costs one walk however many symbols it needs.
 *
 * Positions (sympos) count same-named symbols of one object in kallsyms
 * order, as upstream livepatch does.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include "core.h"

#define CLP_KALLSYMS_CHUNK	(64 * 1024)

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

/* One /proc/kallsyms line: "ffffffff81000000 T name\t[module]" */
static void clp_symwalk_line(struct clp_symwalk *w, char *line)
{
	char *type, *name, *mod, *end;
	const char *obj = CLP_VMLINUX;
	unsigned long addr;
	int i;

	type = strchr(line, ' ');
	if (!type)
		return;
	*type++ = '\0';
	name = strchr(type, ' ');
	if (!name)
		return;
	*name++ = '\0';
	mod = strchr(name, '\t');
	if (mod) {
		*mod++ = '\0';
		if (*mod == '[') {
			mod++;
			end = strchr(mod, ']');
			if (end)
				*end = '\0';
			obj = mod;
		}
	}
	i = clp_req_first(w, name);
	if (i < 0)
		return;
	if (kstrtoul(line, 16, &addr))
		return;
	for (; i < w->n && !strcmp(w->reqs[w->order[i]].name, name); i++) {
		struct clp_symreq *r = &w->reqs[w->order[i]];

		if (strcmp(r->objname, obj))
			continue;
		if (r->text && *type != 't' && *type != 'T')
			continue;
		r->count++;
		if (!addr)
			w->addresses_hidden = true;
		if ((r->sympos == 0 && r->count == 1) || r->count == r->sympos)
			r->addr = addr;
	}
}

/**
 * clp_symbols_resolve() - resolve a batch of symbol requests
 * @reqs: the requests; ->addr and ->count are filled in
 * @n: how many
 *
 * Return: 0 when the walk completed (each request then says itself whether
 * it resolved: ->addr != 0, and for sympos 0 ->count == 1), or a negative
 * errno when /proc/kallsyms could not be read or hides addresses.
 */
int clp_symbols_resolve(struct clp_symreq *reqs, unsigned int n)
{
	struct clp_symwalk w = { .reqs = reqs, .n = n };
	struct file *file;
	struct kiocb kiocb;
	struct iov_iter iter;
	struct kvec kvec;
	char *buf;
	size_t have = 0;
	ssize_t got;
	unsigned int i;
	int ret = 0;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		reqs[i].addr = 0;
		reqs[i].count = 0;
	}
	w.order = kmalloc_array(n, sizeof(*w.order), GFP_KERNEL);
	buf = kvmalloc(CLP_KALLSYMS_CHUNK + 1, GFP_KERNEL);
	if (!w.order || !buf) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < n; i++)
		w.order[i] = i;
	/* sort() has no context argument; clp_mutex serializes callers. */
	lockdep_assert_held(&clp_mutex);
	sort_reqs = reqs;
	sort(w.order, n, sizeof(*w.order), clp_req_cmp, NULL);

	file = filp_open("/proc/kallsyms", O_RDONLY, 0);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		pr_err("cannot open /proc/kallsyms: %d\n", ret);
		goto out_free;
	}
	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = 0;
	for (;;) {
		char *line, *nl;

		kvec.iov_base = buf + have;
		kvec.iov_len = CLP_KALLSYMS_CHUNK - have;
		iov_iter_kvec(&iter, READ, &kvec, 1, kvec.iov_len);
		got = seq_read_iter(&kiocb, &iter);
		if (got < 0) {
			ret = got;
			pr_err("cannot read /proc/kallsyms: %d\n", ret);
			break;
		}
		if (got == 0)
			break;
		have += got;
		buf[have] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			clp_symwalk_line(&w, line);
			line = nl + 1;
		}
		have = buf + have - line;
		memmove(buf, line, have);
		cond_resched();
	}
	filp_close(file, NULL);
	if (!ret && w.addresses_hidden) {
		pr_err("/proc/kallsyms hides addresses (kernel.kptr_restrict=2?)\n");
		ret = -EPERM;
	}
out_free:
	kvfree(buf);
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

/* The modules list head, looked up once: find_module() is not exported. */
static struct list_head *clp_modules_head;

/**
 * clp_find_module() - a loaded module by name
 * @name: module name
 *
 * Caller holds rcu_read_lock(); the module may go away once it is dropped
 * unless the caller pins it with try_module_get() before.
 * Return: the module, or NULL.
 */
struct module *clp_find_module(const char *name)
{
	struct module *mod;

	if (!clp_modules_head)
		return NULL;
	list_for_each_entry_rcu(mod, clp_modules_head, list) {
		if (mod->state != MODULE_STATE_UNFORMED && !strcmp(mod->name, name))
			return mod;
	}
	return NULL;
}

int clp_symbols_init(void)
{
	struct clp_symreq req = {
		.objname = CLP_VMLINUX, .name = "modules",
	};
	int ret;

	mutex_lock(&clp_mutex);
	ret = clp_symbols_resolve(&req, 1);
	mutex_unlock(&clp_mutex);
	if (ret)
		return ret;
	if (req.count != 1 || !req.addr) {
		pr_err("cannot find the kernel's module list (%lu candidates)\n",
		       req.count);
		return -ENOENT;
	}
	clp_modules_head = (struct list_head *)req.addr;
	/* sanity: the list must contain this very module */
	rcu_read_lock();
	ret = clp_find_module(THIS_MODULE->name) != THIS_MODULE;
	rcu_read_unlock();
	if (ret) {
		pr_err("kernel module list at %px does not list clp\n",
		       clp_modules_head);
		clp_modules_head = NULL;
		return -EINVAL;
	}
	return 0;
}
