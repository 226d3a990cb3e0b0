// SPDX-License-Identifier: GPL-2.0
/*
 * engine.c - redirect old functions to their live version through ftrace.
 *
 * One ftrace_ops with IPMODIFY covers every hooked function, so adding the
 * functions of a patch is one batched filter update, and a function that
 * another IPMODIFY user (upstream livepatch, a kprobe with a post_handler)
 * already owns is refused by ftrace itself.  The handler finds the ofunc of
 * an ip in an RCU-published hash table, reads its ->live kfunc (changed
 * only inside stop_machine) and, if there is one, makes the traced function
 * return into the replacement.  It allocates nothing and takes no lock.
 * Nothing it can reach is freed before clp_engine_sync().
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <asm/ibt.h>
#include "core.h"

/*
 * The handler's table: every hooked ofunc by the ip ftrace calls the
 * handler with (the function's ftrace location: its start, or just past
 * an ENDBR on IBT kernels), in an open-addressing hash table at most half
 * full, so that a lookup reads one or two entries whatever the number of
 * patched functions.
 */
struct clp_ipent {
	unsigned long ip;		/* 0: empty */
	struct clp_ofunc *of;
};

/* keys per function (clp_iptab_add()) */
#define CLP_IPTAB_KEYS		(ENDBR_INSN_SIZE ? 2 : 1)

struct clp_iptab {
	unsigned int bits;
	struct clp_ipent ents[];
};

static struct clp_iptab __rcu *clp_iptab;
static unsigned int clp_nr_hooked;

/* The ofunc ftrace calls the handler for at @ip.  Handler only. */
static __always_inline struct clp_ofunc *clp_iptab_find(struct clp_iptab *t,
							unsigned long ip)
{
	unsigned long mask = (1UL << t->bits) - 1;
	unsigned long i = hash_long(ip, t->bits);

	for (;; i = (i + 1) & mask) {
		struct clp_ipent *e = &t->ents[i];

		if (e->ip == ip)
			return e->of;
		if (!e->ip)
			return NULL;
	}
}

/*
 * Called by the ops' own trampoline.  It calls nothing that ftrace can
 * trace (everything here is inline or notrace), so it needs no recursion
 * lock; disabling preemption makes it an RCU read side.
 */
static void notrace clp_ftrace_handler(unsigned long ip, unsigned long parent_ip,
				       struct ftrace_ops *ops,
				       struct ftrace_regs *fregs)
{
	struct clp_iptab *t;
	struct clp_ofunc *of;
	struct clp_kfunc *kf;

	preempt_disable_notrace();
	t = rcu_dereference_sched(clp_iptab);
	of = t ? clp_iptab_find(t, ip) : NULL;
	kf = of ? READ_ONCE(of->live) : NULL;
	if (kf)
		clp_regs_set_ip(fregs, kf->new_addr);
	preempt_enable_notrace();
}

static struct ftrace_ops clp_ops = {
	.func	= clp_ftrace_handler,
	.flags	= FTRACE_OPS_FL_DYNAMIC | FTRACE_OPS_FL_IPMODIFY |
		  FTRACE_OPS_FL_PERMANENT,
};

/* Probes used only to answer questions; never registered with a handler. */
static void notrace clp_probe_handler(unsigned long ip, unsigned long parent_ip,
				      struct ftrace_ops *ops,
				      struct ftrace_regs *fregs)
{
}

static struct ftrace_ops clp_probe_ops = {
	.func	= clp_probe_handler,
	.flags	= FTRACE_OPS_FL_DYNAMIC | FTRACE_OPS_FL_IPMODIFY,
};

/*
 * Empty an unregistered ops' filter.  ftrace_free_filter() is only for the
 * end of an ops' life: it leaves the freed hash behind.
 */
static void clp_ops_clear(struct ftrace_ops *ops)
{
	ftrace_set_filter(ops, NULL, 0, 1);
}

/**
 * clp_engine_check_traceable() - can ftrace redirect the function at @addr?
 * @addr: the function's start
 *
 * Return: 0, or -ENOENT when @addr is no ftrace location (notrace,
 * inlined away, or not a function start).
 */
int clp_engine_check_traceable(unsigned long addr)
{
	int ret;

	lockdep_assert_held(&clp_mutex);
	ret = ftrace_set_filter_ip(&clp_probe_ops, addr, 0, 1);
	clp_ops_clear(&clp_probe_ops);
	return ret;
}

static void clp_iptab_put(struct clp_iptab *t, unsigned long ip,
			  struct clp_ofunc *of)
{
	unsigned long mask = (1UL << t->bits) - 1;
	unsigned long i = hash_long(ip, t->bits);

	while (t->ents[i].ip && t->ents[i].ip != ip)
		i = (i + 1) & mask;
	t->ents[i].ip = ip;
	t->ents[i].of = of;
}

/*
 * ftrace calls the handler with the function's start or, on IBT kernels,
 * the address just past its ENDBR (sealed into a NOP or not): enter both,
 * so that a lookup is one probe.  No other function's ftrace location can
 * be inside the first bytes of this one.
 */
static void clp_iptab_add(struct clp_iptab *t, struct clp_ofunc *of)
{
	clp_iptab_put(t, of->old_addr, of);
	if (ENDBR_INSN_SIZE)
		clp_iptab_put(t, of->old_addr + ENDBR_INSN_SIZE, of);
}

/* Publish a table of every ofunc that is hooked or about to be (@extra). */
static int clp_iptab_publish(struct clp_ofunc **extra, unsigned int n_extra,
			     gfp_t gfp)
{
	struct clp_iptab *t, *old;
	struct clp_ofunc *of;
	unsigned int bits, i;

	/* at least twice as many entries as keys: probes stay short */
	bits = ilog2(roundup_pow_of_two(2 * CLP_IPTAB_KEYS *
					 (clp_nr_hooked + n_extra) + 2));
	t = kvzalloc(struct_size(t, ents, 1UL << bits), gfp);
	if (!t)
		return -ENOMEM;
	t->bits = bits;
	list_for_each_entry(of, &clp_ofuncs, node)
		if (of->hooked)
			clp_iptab_add(t, of);
	for (i = 0; i < n_extra; i++)
		clp_iptab_add(t, extra[i]);
	old = rcu_dereference_protected(clp_iptab, lockdep_is_held(&clp_mutex));
	rcu_assign_pointer(clp_iptab, t);
	if (old) {
		clp_engine_sync();
		kvfree(old);
	}
	return 0;
}

/* Which of @ips does another IPMODIFY user own?  Only for the message. */
static unsigned long clp_engine_find_claimed(unsigned long *ips, unsigned int n)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		if (ftrace_set_filter_ip(&clp_probe_ops, ips[i], 0, 1))
			continue;
		ret = register_ftrace_function(&clp_probe_ops);
		if (!ret)
			unregister_ftrace_function(&clp_probe_ops);
		clp_ops_clear(&clp_probe_ops);
		if (ret == -EBUSY)
			return ips[i];
	}
	return 0;
}

/**
 * clp_engine_hook() - add functions to the ftrace filter, in one update
 * @ofs: ofuncs not hooked yet; their ->live must be NULL
 * @n: how many
 * @who: patch name for messages
 *
 * Return: 0, or a negative errno with nothing hooked; -EBUSY when another
 * IPMODIFY user owns one of the functions.
 */
int clp_engine_hook(struct clp_ofunc **ofs, unsigned int n, const char *who)
{
	unsigned long *ips;
	unsigned int i;
	int ret;

	lockdep_assert_held(&clp_mutex);
	if (!n)
		return 0;
	ips = kmalloc_array(n, sizeof(*ips), GFP_KERNEL);
	if (!ips)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		ips[i] = ofs[i]->old_addr;
	ret = clp_iptab_publish(ofs, n, GFP_KERNEL);
	if (ret)
		goto out;

	ret = ftrace_set_filter_ips(&clp_ops, ips, n, 0, 0);
	if (!ret && !clp_nr_hooked) {
		ret = register_ftrace_function(&clp_ops);
		if (ret)
			clp_ops_clear(&clp_ops);
	} else if (ret && !clp_nr_hooked) {
		clp_ops_clear(&clp_ops);
	}
	if (ret) {
		unsigned long claimed = 0;

		if (ret == -EBUSY)
			claimed = clp_engine_find_claimed(ips, n);
		if (claimed)
			pr_err("%s: refused: %ps is already redirected by another ftrace user (livepatch or a kprobe with a post_handler)\n",
			       who, (void *)claimed);
		else
			pr_err("%s: refused: ftrace cannot redirect the patched functions: %d\n",
			       who, ret);
		/* shrinking: must not fail, the old table names these ofuncs */
		clp_iptab_publish(NULL, 0, GFP_KERNEL | __GFP_NOFAIL);
		goto out;
	}
	for (i = 0; i < n; i++)
		ofs[i]->hooked = true;
	clp_nr_hooked += n;
	pr_debug("%s: hooked %u functions (%u in all)\n", who, n, clp_nr_hooked);
out:
	kfree(ips);
	return ret;
}

/**
 * clp_engine_unhook() - remove functions from the ftrace filter
 * @ofs: hooked ofuncs whose ->live is NULL
 * @n: how many
 *
 * The ofuncs may be freed only after clp_engine_sync().
 */
void clp_engine_unhook(struct clp_ofunc **ofs, unsigned int n)
{
	unsigned long *ips;
	unsigned int i;
	int ret = 0;

	lockdep_assert_held(&clp_mutex);
	if (!n)
		return;
	if (n == clp_nr_hooked) {
		/* an empty filter would mean "every function": unregister */
		ret = unregister_ftrace_function(&clp_ops);
		clp_ops_clear(&clp_ops);
	} else {
		ips = kmalloc_array(n, sizeof(*ips), GFP_KERNEL);
		if (ips) {
			for (i = 0; i < n; i++)
				ips[i] = ofs[i]->old_addr;
			ret = ftrace_set_filter_ips(&clp_ops, ips, n, 1, 0);
			kfree(ips);
		}
		/*
		 * Without memory (or on failure) the functions stay in the
		 * filter: harmless, the handler finds no live version for them.
		 */
	}
	if (ret)
		pr_warn("ftrace filter update failed: %d\n", ret);
	for (i = 0; i < n; i++)
		ofs[i]->hooked = false;
	clp_nr_hooked -= n;
	clp_iptab_publish(NULL, 0, GFP_KERNEL | __GFP_NOFAIL);
}

/**
 * clp_engine_sync() - wait until no ftrace handler can still see what was
 *		       unpublished
 *
 * The handler runs with preemption off, but possibly where RCU is not
 * watching (idle and entry paths): synchronize_rcu() alone does not wait
 * for those.  A Tasks RCU Rude grace period forces every CPU through the
 * scheduler, which it can only reach after leaving the handler.
 */
void clp_engine_sync(void)
{
	synchronize_rcu();
	synchronize_rcu_tasks_rude();
}

/* At core unload: nothing is hooked any more. */
void clp_engine_exit(void)
{
	struct clp_iptab *t = rcu_dereference_protected(clp_iptab, true);

	ftrace_free_filter(&clp_ops);
	ftrace_free_filter(&clp_probe_ops);
	RCU_INIT_POINTER(clp_iptab, NULL);
	clp_engine_sync();
	kvfree(t);
}
