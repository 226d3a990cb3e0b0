// SPDX-License-Identifier: GPL-2.0
/*
 * shadow.c - shadow variables: data attached to an existing kernel object.
 *
 * A fix often needs a field the original structure does not have.  A
 * shadow variable is a block of data found by (object pointer, id); it
 * lives in the core, not in a patch module, so a cumulative patch that
 * supersedes another simply goes on using (and freeing) the shadow
 * variables the older one attached, under the same ids.
 *
 * Readers (clp_shadow_get()) walk an RCU hash table without a lock.
 * Writers hold clp_shadow_lock, a spinlock, and never allocate while
 * holding it: a new variable is allocated first and thrown away if another
 * CPU attached one in the meantime.  A constructor runs under the lock,
 * before the variable is visible, so it must not sleep; a destructor runs
 * under the lock too, after the variable is unlinked.  Freed variables go
 * away after an RCU grace period.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/bug.h>
#include <linux/hashtable.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <clp/shadow.h>
#include "core.h"

#define CLP_SHADOW_HASH_BITS	12

static DEFINE_HASHTABLE(clp_shadow_hash, CLP_SHADOW_HASH_BITS);
static DEFINE_SPINLOCK(clp_shadow_lock);

struct clp_shadow {
	struct hlist_node node;
	struct rcu_head rcu;
	void *obj;
	unsigned long id;
	char data[];
};

/* Caller holds rcu_read_lock() or clp_shadow_lock. */
static struct clp_shadow *clp_shadow_find(void *obj, unsigned long id)
{
	struct clp_shadow *s;

	hash_for_each_possible_rcu(clp_shadow_hash, s, node,
				   (unsigned long)obj)
		if (s->obj == obj && s->id == id)
			return s;
	return NULL;
}

/**
 * clp_shadow_get() - find a shadow variable
 * @obj: the object it is attached to
 * @id: which of the object's shadow variables
 *
 * Return: its data, or NULL.
 */
void *clp_shadow_get(void *obj, unsigned long id)
{
	struct clp_shadow *s;
	void *data = NULL;

	rcu_read_lock();
	s = clp_shadow_find(obj, id);
	if (s)
		data = s->data;
	rcu_read_unlock();
	return data;
}
EXPORT_SYMBOL_GPL(clp_shadow_get);

static void *clp_shadow_attach(void *obj, unsigned long id, size_t size,
			       gfp_t gfp, clp_shadow_ctor_t ctor,
			       void *ctor_data, bool exist_ok)
{
	struct clp_shadow *new, *old;
	unsigned long flags;
	void *data;
	int ret;

	data = clp_shadow_get(obj, id);
	if (data)
		goto exists;
	/* allocated outside the lock; zeroed unless @ctor says otherwise */
	new = kzalloc(struct_size(new, data, size), gfp);
	if (!new)
		return NULL;
	new->obj = obj;
	new->id = id;

	spin_lock_irqsave(&clp_shadow_lock, flags);
	old = clp_shadow_find(obj, id);
	if (old) {
		/* attached meanwhile by someone else */
		spin_unlock_irqrestore(&clp_shadow_lock, flags);
		kfree(new);
		data = old->data;
		goto exists;
	}
	if (ctor) {
		ret = ctor(obj, new->data, ctor_data);
		if (ret) {
			spin_unlock_irqrestore(&clp_shadow_lock, flags);
			kfree(new);
			pr_err("shadow <%p, %lx>: constructor failed: %d\n",
			       obj, id, ret);
			return NULL;
		}
	}
	hash_add_rcu(clp_shadow_hash, &new->node, (unsigned long)obj);
	spin_unlock_irqrestore(&clp_shadow_lock, flags);
	return new->data;

exists:
	if (exist_ok)
		return data;
	WARN(1, "clp: shadow <%p, %lx> already exists\n", obj, id);
	return NULL;
}

/**
 * clp_shadow_alloc() - attach a new shadow variable to an object
 * @obj: the object
 * @id: which shadow variable
 * @size: size of its data
 * @gfp: allocation flags (the allocation happens outside any lock)
 * @ctor: fills the data (under a spinlock: must not sleep), or NULL for
 *	  zeroed data; returning an error attaches nothing
 * @ctor_data: passed to @ctor
 *
 * Return: the data, or NULL when allocation or @ctor failed, or (with a
 * warning) when <@obj, @id> already has a shadow variable.
 */
void *clp_shadow_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp,
		       clp_shadow_ctor_t ctor, void *ctor_data)
{
	return clp_shadow_attach(obj, id, size, gfp, ctor, ctor_data, false);
}
EXPORT_SYMBOL_GPL(clp_shadow_alloc);

/**
 * clp_shadow_get_or_alloc() - find a shadow variable, or attach a new one
 * @obj: the object
 * @id: which shadow variable
 * @size: size of its data if it is new
 * @gfp: allocation flags
 * @ctor: fills new data (see clp_shadow_alloc()), or NULL
 * @ctor_data: passed to @ctor
 *
 * Of two racing callers one attaches and both get the same data.
 *
 * Return: the data, or NULL when allocation or @ctor failed.
 */
void *clp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
			      gfp_t gfp, clp_shadow_ctor_t ctor,
			      void *ctor_data)
{
	return clp_shadow_attach(obj, id, size, gfp, ctor, ctor_data, true);
}
EXPORT_SYMBOL_GPL(clp_shadow_get_or_alloc);

/* Caller holds clp_shadow_lock. */
static void clp_shadow_drop(struct clp_shadow *s, clp_shadow_dtor_t dtor)
{
	hash_del_rcu(&s->node);
	if (dtor)
		dtor(s->obj, s->data);
	kfree_rcu(s, rcu);
}

/**
 * clp_shadow_free() - detach and free one shadow variable
 * @obj: the object
 * @id: which shadow variable
 * @dtor: called with the data before it is freed (under a spinlock), or
 *	  NULL
 *
 * Nothing happens when there is no such variable.
 */
void clp_shadow_free(void *obj, unsigned long id, clp_shadow_dtor_t dtor)
{
	struct clp_shadow *s;
	unsigned long flags;

	spin_lock_irqsave(&clp_shadow_lock, flags);
	s = clp_shadow_find(obj, id);
	if (s)
		clp_shadow_drop(s, dtor);
	spin_unlock_irqrestore(&clp_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(clp_shadow_free);

/**
 * clp_shadow_free_all() - detach and free the shadow variables of one id
 * @id: which shadow variables, on every object
 * @dtor: called with each one's data before it is freed, or NULL
 */
void clp_shadow_free_all(unsigned long id, clp_shadow_dtor_t dtor)
{
	struct clp_shadow *s;
	struct hlist_node *tmp;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&clp_shadow_lock, flags);
	hash_for_each_safe(clp_shadow_hash, bkt, tmp, s, node)
		if (s->id == id)
			clp_shadow_drop(s, dtor);
	spin_unlock_irqrestore(&clp_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(clp_shadow_free_all);

/*
 * At core unload no patch module is left to use shadow variables; any that
 * remain leaked (their patch never freed them).
 */
void clp_shadow_exit(void)
{
	struct clp_shadow *s;
	struct hlist_node *tmp;
	unsigned int n = 0;
	int bkt;

	hash_for_each_safe(clp_shadow_hash, bkt, tmp, s, node) {
		hash_del(&s->node);
		kfree(s);
		n++;
	}
	if (n)
		pr_warn("%u shadow variables were never freed\n", n);
}
