// SPDX-License-Identifier: GPL-2.0
/*
 * symbols.c - find symbols by name, object and position.
 *
 * kallsyms_lookup_name() and kallsyms_on_each_symbol() are not exported,
 * and calling them through an address found some other way would break on
 * kernels whose IBT seals functions that are never called indirectly.
 *
 * Symbols of vmlinux come from the kernel's own listing, /proc/kallsyms,
 * opened from the root of the initial namespace's init (pid 1) with kernel
 * credentials: the task that loads a patch or a patched module may live in
 * a chroot or container without /proc, lack CAP_SYSLOG, or see a
 * restricted procfs, and none of that may change what the core resolves.
 * The file must be procfs's.  Its seq_file is read in kernel memory; the
 * walk stops at the first module symbol, since vmlinux comes first.
 *
 * Symbols of a module come straight from the module's own symbol table
 * (struct module's kallsyms: what /proc/kallsyms lists for it, in the same
 * order), so a module that comes costs no walk of the whole listing.
 *
 * One call answers a whole batch of requests.  Positions (sympos) count
 * same-named symbols of one object in kallsyms order, as upstream
 * livepatch does.  Function requests accept text symbols, global or local,
 * and weak ones (nm's t, T, W).
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kallsyms.h>
#include <linux/magic.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
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

/*
 * /proc/kallsyms as the kernel sees it: from the root of init in the
 * initial pid namespace, with kernel credentials.
 */
static struct file *clp_kallsyms_open(void)
{
	const struct cred *saved;
	struct task_struct *init;
	struct cred *cred;
	struct file *file;
	struct path root;

	rcu_read_lock();
	init = pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	if (init)
		get_task_struct(init);
	rcu_read_unlock();
	if (!init)
		return ERR_PTR(-ESRCH);
	task_lock(init);
	if (!init->fs) {
		task_unlock(init);
		put_task_struct(init);
		return ERR_PTR(-ESRCH);
	}
	get_fs_root(init->fs, &root);
	task_unlock(init);
	put_task_struct(init);

	cred = prepare_kernel_cred(&init_task);
	if (!cred) {
		path_put(&root);
		return ERR_PTR(-ENOMEM);
	}
	saved = override_creds(cred);
	file = file_open_root(&root, "proc/kallsyms", O_RDONLY, 0);
	revert_creds(saved);
	put_cred(cred);
	path_put(&root);
	if (!IS_ERR(file) && file_inode(file)->i_sb->s_magic != PROC_SUPER_MAGIC) {
		fput(file);
		return ERR_PTR(-ENOENT);
	}
	return file;
}

/**
 * clp_kallsyms_read() - feed /proc/kallsyms to @line_fn, line by line
 * @line_fn: gets each line without its newline; returns false to stop
 * @data: for @line_fn
 *
 * Return: 0, or a negative errno (with a message) when it cannot be read.
 */
int clp_kallsyms_read(bool (*line_fn)(void *data, char *line), void *data)
{
	struct kiocb kiocb;
	struct iov_iter iter;
	struct file *file;
	struct kvec kvec;
	size_t have = 0;
	bool more = true;
	ssize_t got;
	char *buf;
	int ret = 0;

	buf = kvmalloc(CLP_KALLSYMS_CHUNK + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	file = clp_kallsyms_open();
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		pr_err("cannot open /proc/kallsyms from init's root (is procfs mounted on /proc?): %d\n",
		       ret);
		goto out;
	}
	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = 0;
	while (more) {
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
		while (more && (nl = strchr(line, '\n'))) {
			*nl = '\0';
			more = line_fn(data, line);
			line = nl + 1;
		}
		have = buf + have - line;
		memmove(buf, line, have);
		cond_resched();
	}
	fput(file);
out:
	kvfree(buf);
	return ret;
}

/**
 * clp_module_symbols() - feed the symbols module @name defines to @fn
 * @name: module name; nothing happens when it is not loaded
 * @fn: gets each symbol's name, kallsyms type and address
 * @data: for @fn
 *
 * The module's own symbol table, in its order (which /proc/kallsyms
 * follows); undefined symbols are not the module's.  @fn runs with
 * preemption disabled.
 */
void clp_module_symbols(const char *name,
			void (*fn)(void *data, const char *sym, char type,
				   unsigned long addr),
			void *data)
{
	struct mod_kallsyms *ks;
	struct module *mod;
	unsigned int i;

	preempt_disable();
	mod = clp_find_module(name);
	ks = mod ? rcu_dereference_sched(mod->kallsyms) : NULL;
	for (i = 0; ks && i < ks->num_symtab; i++) {
		const Elf_Sym *sym = &ks->symtab[i];

		if (sym->st_shndx == SHN_UNDEF)
			continue;
		fn(data, ks->strtab + sym->st_name, ks->typetab[i],
		   sym->st_value);
	}
	preempt_enable();
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
		pr_err("kernel module list at %p does not list clp\n",
		       clp_modules_head);
		clp_modules_head = NULL;
		return -EINVAL;
	}
	return 0;
}
