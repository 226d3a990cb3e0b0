// SPDX-License-Identifier: GPL-2.0
/*
 * internals.c - everything of the core that relies on kernel internals.
 *
 * The core needs a few things the kernel does not export.  Each is reached
 * here and nowhere else, so that a new kernel release is checked in one
 * file (with internals.h, which holds the compile-time requirements and
 * the version checks):
 *   - the kernel's symbols: /proc/kallsyms, read in kernel memory from
 *     init's root with kernel credentials (kallsyms_lookup_name() and
 *     kallsyms_on_each_symbol() are not exported, and calling them through
 *     an address found some other way breaks under IBT sealing);
 *   - a module's own symbol table (struct module's kallsyms);
 *   - the list of modules (find_module() is not exported), found through
 *     kallsyms as "modules";
 *   - the per-CPU idle tasks ("idle_threads"), whose stacks the
 *     consistency check must walk;
 *   - writing read-only module memory (text_poke() is not exported)
 *     through a temporary alias of its pages, and serializing every CPU;
 *   - the scheduler's sched_switch tracepoint (its register_trace_*()
 *     helper needs a symbol that is not exported), found by name among
 *     the kernel's tracepoints.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kallsyms.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <asm/sync_core.h>
#include "core.h"

#define CLP_KALLSYMS_CHUNK	(64 * 1024)

/* per-CPU idle task pointers (kernel/smpboot.c), found through kallsyms */
static struct task_struct * __percpu *clp_idle_threads;

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

static int clp_modules_init(void)
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

/**
 * clp_idle_task() - the idle task of @cpu
 * @cpu: a possible CPU
 *
 * Return: the task, or NULL when the idle tasks are unknown.
 */
struct task_struct *clp_idle_task(int cpu)
{
	return clp_idle_threads ? *per_cpu_ptr(clp_idle_threads, cpu) : NULL;
}

/* Were the idle tasks found when the core loaded? */
bool clp_idle_tasks_known(void)
{
	return clp_idle_threads;
}

static int clp_idle_init(void)
{
	struct clp_symreq req = {
		.objname = CLP_VMLINUX, .name = "idle_threads",
	};
	int cpu, ret;

	mutex_lock(&clp_mutex);
	ret = clp_symbols_resolve(&req, 1);
	mutex_unlock(&clp_mutex);
	if (ret)
		return ret;
	if (req.count != 1) {
		pr_warn("idle tasks not found: every switch will be refused\n");
		return 0;
	}
	clp_idle_threads = (struct task_struct * __percpu *)req.addr;
	/* sanity: one CPU's idle task is the boot task */
	for_each_possible_cpu(cpu)
		if (*per_cpu_ptr(clp_idle_threads, cpu) == &init_task)
			return 0;
	pr_warn("idle_threads does not hold init_task: every switch will be refused\n");
	clp_idle_threads = NULL;
	return 0;
}

/**
 * clp_text_write() - write module memory that may be read-only
 * @place: where, in a module's core memory
 * @val: what
 * @len: how many bytes; the range spans at most two pages
 *
 * text_poke() is not exported: the write goes through a temporary
 * writable alias of the module pages.  Code that may be running needs
 * clp_sync_cores() afterwards.
 *
 * Return: 0 or a negative errno.
 */
int clp_text_write(void *place, const void *val, size_t len)
{
	unsigned long addr = (unsigned long)place;
	unsigned long first = addr & PAGE_MASK;
	unsigned int npages = (PAGE_ALIGN(addr + len) - first) >> PAGE_SHIFT;
	struct page *pages[2];
	unsigned int i;
	void *alias;

	if (WARN_ON_ONCE(npages > ARRAY_SIZE(pages)))
		return -EINVAL;
	for (i = 0; i < npages; i++) {
		pages[i] = vmalloc_to_page((void *)(first + i * PAGE_SIZE));
		if (!pages[i])
			return -EFAULT;
	}
	alias = vmap(pages, npages, VM_MAP, PAGE_KERNEL);
	if (!alias)
		return -ENOMEM;
	memcpy(alias + offset_in_page(addr), val, len);
	vunmap(alias);
	return 0;
}

static void clp_sync_core(void *unused)
{
	sync_core();
}

/**
 * clp_sync_cores() - make every CPU drop instructions it may have fetched
 *		      before a clp_text_write()
 */
void clp_sync_cores(void)
{
	on_each_cpu(clp_sync_core, NULL, 1);
}

/* the scheduler's sched_switch tracepoint, or NULL */
static struct tracepoint *clp_tp_sched_switch;

static void clp_tp_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_switch"))
		clp_tp_sched_switch = tp;
}

/**
 * clp_sched_switch_watch() - call @fn on every context switch from now on
 * @fn: the probe; runs in the scheduler with interrupts off and the
 *	runqueue locked: it must not sleep, allocate or take locks
 * @data: its first argument
 *
 * When this returns, no context switch on any CPU can miss @fn.
 * Return: 0, or a negative errno (-ENOENT: no sched_switch tracepoint).
 */
int clp_sched_switch_watch(clp_sched_switch_fn fn, void *data)
{
	int ret;

	if (!clp_tp_sched_switch)
		return -ENOENT;
	ret = tracepoint_probe_register(clp_tp_sched_switch, fn, data);
	if (ret)
		return ret;
	/* a switch that read the probe list before it changed is over */
	synchronize_rcu();
	return 0;
}

/**
 * clp_sched_switch_unwatch() - undo clp_sched_switch_watch()
 * @fn: the probe
 * @data: its argument
 *
 * When this returns, @fn runs nowhere any more.
 */
void clp_sched_switch_unwatch(clp_sched_switch_fn fn, void *data)
{
	tracepoint_probe_unregister(clp_tp_sched_switch, fn, data);
	tracepoint_synchronize_unregister();
}

/**
 * clp_internals_init() - find what the core needs and the kernel does not
 *			  export; at core load
 *
 * Return: 0 or a negative errno (the module list is required; without the
 * idle tasks the core loads but refuses every switch; without the
 * sched_switch tracepoint the pause grows with the number of tasks).
 */
int clp_internals_init(void)
{
	int ret = clp_modules_init();

	if (ret)
		return ret;
	for_each_kernel_tracepoint(clp_tp_find, NULL);
	if (!clp_tp_sched_switch)
		pr_warn("no sched_switch tracepoint: every switch walks every task inside stop_machine\n");
	return clp_idle_init();
}
