// SPDX-License-Identifier: GPL-2.0
/*
 * consistency.c - switch live versions only when no task is inside them.
 *
 * A switch changes the live version of a set of functions.  It may happen
 * only when no task has a frame in any code whose liveness changes: the
 * original, the outgoing and the incoming version of each such function,
 * with their "<name>.cold" parts (functions marked CLP_F_NOCHECK
 * excepted).  The check walks every
 * task's stack with the ORC unwinder.
 *
 * To keep the pause short, the stacks are first checked outside
 * stop_machine: a task that is blocked (not on a runqueue) cannot run while
 * its pi_lock is held, so its stack is checked then.  A task's stack
 * changes only while it runs, so inside stop_machine only the tasks that
 * may have run since need their stacks walked again: before the pre-check
 * a probe on the scheduler's sched_switch tracepoint starts recording every
 * task switched in (the "ran" set, a lock-free hash set that holds a
 * reference on each task), and the pre-check adds the tasks it could not
 * check (running or runnable).  A task that is in neither was blocked when
 * the pre-check walked its stack and has not run since; a task created
 * after the pre-check's walk has not run either unless it is in the set,
 * and then holds only its fork frame.  So the work inside stop_machine is
 * the ran set and the idle tasks, whatever the number of sleeping tasks.
 * Without the tracepoint, or when more tasks ran than the set holds, the
 * stop_machine step visits every task and walks again those whose
 * context-switch count moved since the pre-check.  Stack addresses are
 * matched against sorted ranges by binary search.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stop_machine.h>
#include <linux/timekeeping.h>
#include <asm/unwind.h>
#include "core.h"

struct clp_range {
	unsigned long start;
	unsigned long end;
	const char *name;
};

struct clp_seen {
	struct task_struct *task;
	u64 start_time;
	unsigned long switches;
};

/*
 * Tasks that may have run since the pre-check: switched in (sched_switch
 * probe) or found running or runnable by the pre-check.  A task is added
 * once (the hash set) and listed in @tasks with a reference held.
 */
struct clp_ran {
	struct task_struct **slots;	/* open addressing, 2^bits */
	unsigned int bits;
	struct task_struct **tasks;	/* the same tasks, in the order added */
	unsigned int max;		/* room in @tasks */
	atomic_t n;			/* added (may pass @max: overflow) */
	bool overflow;			/* not every task that ran is listed */
};

/* slots an insertion looks at before it gives up (overflow) */
#define CLP_RAN_PROBES		32

struct clp_check {
	struct clp_switch *sw;
	struct clp_ran *ran;		/* NULL: visit every task */
	struct clp_range *ranges;
	unsigned int nr_ranges;
	struct clp_seen *seen;
	unsigned int nr_seen;
	unsigned int max_seen;
	u64 stopped_ns;			/* the last clp_switch_stopped() */
};

static int clp_range_cmp(const void *a, const void *b)
{
	const struct clp_range *x = a, *y = b;

	if (x->start == y->start)
		return 0;
	return x->start < y->start ? -1 : 1;
}

static const struct clp_range *clp_range_find(struct clp_check *c,
					      unsigned long addr)
{
	unsigned int lo = 0, hi = c->nr_ranges;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (c->ranges[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr < c->ranges[lo - 1].end)
		return &c->ranges[lo - 1];
	return NULL;
}

static void clp_range_add(struct clp_check *c, unsigned long start,
			  unsigned long size, const char *name)
{
	if (!start || !size)
		return;
	c->ranges[c->nr_ranges].start = start;
	c->ranges[c->nr_ranges].end = start + size;
	c->ranges[c->nr_ranges].name = name;
	c->nr_ranges++;
}

static int clp_ranges_build(struct clp_check *c)
{
	struct clp_switch *sw = c->sw;
	unsigned int i;

	/* each version and its cold part */
	c->ranges = kmalloc_array(sw->n * 6, sizeof(*c->ranges), GFP_KERNEL);
	if (!c->ranges)
		return -ENOMEM;
	for (i = 0; i < sw->n; i++) {
		struct clp_ofunc *of = sw->ofs[i];
		struct clp_kfunc *out = of->live, *in = sw->targets[i];

		if ((out && (out->flags & CLP_F_NOCHECK)) ||
		    (in && (in->flags & CLP_F_NOCHECK)))
			continue;
		clp_range_add(c, of->old_addr, of->old_size, of->name);
		clp_range_add(c, of->cold_addr, of->cold_size, of->name);
		if (out) {
			clp_range_add(c, out->new_addr, out->new_size, of->name);
			clp_range_add(c, out->new_cold_addr, out->new_cold_size,
				      of->name);
		}
		if (in) {
			clp_range_add(c, in->new_addr, in->new_size, of->name);
			clp_range_add(c, in->new_cold_addr, in->new_cold_size,
				      of->name);
		}
	}
	sort(c->ranges, c->nr_ranges, sizeof(*c->ranges), clp_range_cmp, NULL);
	return 0;
}

struct clp_hit {
	struct clp_check *c;
	const struct clp_range *r;
};

static bool clp_hit_addr(void *data, unsigned long addr)
{
	struct clp_hit *h = data;

	/* a return address may sit just past its caller's end */
	h->r = clp_range_find(h->c, addr);
	if (!h->r)
		h->r = clp_range_find(h->c, addr - 1);
	return h->r;
}

/*
 * Walk @p's stack.  Return the range a frame is in, or NULL; *unreliable
 * is set when the walk cannot be trusted to have seen every frame.
 */
static const struct clp_range *clp_stack_hit(struct clp_check *c,
					     struct task_struct *p,
					     bool *unreliable)
{
	struct clp_hit h = { .c = c };
	int ret = clp_stack_walk_reliable(p, clp_hit_addr, &h);

	*unreliable = ret < 0;
	return ret == 1 ? h.r : NULL;
}

static bool clp_task_gone(struct task_struct *p)
{
	/* past its last schedule(): its stack may already be freed */
	return READ_ONCE(p->__state) & TASK_DEAD;
}

static unsigned long clp_task_switches(struct task_struct *p)
{
	return READ_ONCE(p->nvcsw) + READ_ONCE(p->nivcsw);
}

static struct clp_ran *clp_ran_alloc(unsigned int max)
{
	struct clp_ran *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->max = max;
	r->bits = ilog2(roundup_pow_of_two(2 * max));
	r->slots = kvcalloc(1U << r->bits, sizeof(*r->slots), GFP_KERNEL);
	r->tasks = kvmalloc_array(max, sizeof(*r->tasks), GFP_KERNEL);
	if (!r->slots || !r->tasks) {
		kvfree(r->slots);
		kvfree(r->tasks);
		kfree(r);
		return NULL;
	}
	atomic_set(&r->n, 0);
	return r;
}

/* Once nothing can add to @r any more. */
static void clp_ran_free(struct clp_ran *r)
{
	unsigned int i, n;

	if (!r)
		return;
	n = min_t(unsigned int, atomic_read(&r->n), r->max);
	for (i = 0; i < n; i++)
		put_task_struct(r->tasks[i]);
	kvfree(r->slots);
	kvfree(r->tasks);
	kfree(r);
}

/* Add @p to @r unless it is there; any context, no lock. */
static void notrace clp_ran_add(struct clp_ran *r, struct task_struct *p)
{
	unsigned int mask = (1U << r->bits) - 1;
	unsigned int i = hash_ptr(p, r->bits), k, n;
	struct task_struct *cur;

	for (k = 0; k < CLP_RAN_PROBES; k++, i = (i + 1) & mask) {
		cur = READ_ONCE(r->slots[i]);
		if (cur == p)
			return;
		if (cur)
			continue;
		cur = cmpxchg(&r->slots[i], NULL, p);
		if (cur == p)
			return;
		if (cur)
			continue;
		n = atomic_inc_return(&r->n) - 1;
		if (n >= r->max)
			break;
		get_task_struct(p);
		r->tasks[n] = p;
		return;
	}
	WRITE_ONCE(r->overflow, true);
}

/* sched_switch probe: @next runs from now on. */
static void notrace clp_ran_probe(void *data, bool preempt,
				  struct task_struct *prev,
				  struct task_struct *next,
				  unsigned int prev_state)
{
	clp_ran_add(data, next);
}

static void clp_note_busy(struct clp_check *c, struct task_struct *p,
			  const struct clp_range *r, bool unreliable)
{
	struct clp_switch *sw = c->sw;

	strscpy(sw->busy_comm, p->comm, sizeof(sw->busy_comm));
	sw->busy_pid = task_pid_nr(p);
	sw->busy_func = r ? r->name : NULL;
	sw->busy_unreliable = unreliable;
}

/* Check @p if it cannot run meanwhile; record it as seen.  -EBUSY if hit. */
static int clp_precheck_task(struct clp_check *c, struct task_struct *p)
{
	const struct clp_range *r = NULL;
	bool unreliable = false;
	unsigned long flags;
	int ret = 0;

	raw_spin_lock_irqsave(&p->pi_lock, flags);
	if (clp_task_gone(p)) {
		raw_spin_unlock_irqrestore(&p->pi_lock, flags);
		return 0;
	}
	if (READ_ONCE(p->on_rq) || READ_ONCE(p->on_cpu)) {
		/* may run or be running: look again inside stop_machine */
		if (c->ran)
			clp_ran_add(c->ran, p);
		raw_spin_unlock_irqrestore(&p->pi_lock, flags);
		return 0;
	}
	r = clp_stack_hit(c, p, &unreliable);
	if (r || unreliable) {
		clp_note_busy(c, p, r, unreliable);
		ret = -EBUSY;
	} else if (c->nr_seen < c->max_seen) {
		c->seen[c->nr_seen].task = p;
		c->seen[c->nr_seen].start_time = p->start_time;
		c->seen[c->nr_seen].switches = clp_task_switches(p);
		c->nr_seen++;
	}
	raw_spin_unlock_irqrestore(&p->pi_lock, flags);
	return ret;
}

/* Stop recording and forget the ran set: every task is visited again. */
static void clp_ran_stop(struct clp_check *c)
{
	if (!c->ran)
		return;
	clp_sched_switch_unwatch(clp_ran_probe, c->ran);
	clp_ran_free(c->ran);
	c->ran = NULL;
}

static int clp_seen_cmp(const void *a, const void *b)
{
	const struct clp_seen *x = a, *y = b;

	if (x->task == y->task)
		return 0;
	return x->task < y->task ? -1 : 1;
}

static bool clp_seen_unchanged(struct clp_check *c, struct task_struct *p)
{
	unsigned int lo = 0, hi = c->nr_seen;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		struct clp_seen *s = &c->seen[mid];

		if (s->task == p)
			return s->start_time == p->start_time &&
			       s->switches == clp_task_switches(p);
		if (s->task < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int clp_precheck(struct clp_check *c)
{
	struct task_struct *g, *p;
	unsigned int nr = 0;
	int ret = 0;

	rcu_read_lock();
	for_each_process_thread(g, p)
		nr++;
	rcu_read_unlock();

	/* room for every task, and for many created meanwhile */
	c->ran = clp_ran_alloc(nr + 1024);
	if (!c->ran)
		pr_debug("no memory for the ran set: every task is visited inside stop_machine\n");
	if (c->ran && clp_sched_switch_watch(clp_ran_probe, c->ran)) {
		clp_ran_free(c->ran);
		c->ran = NULL;
	}

	c->nr_seen = 0;
	c->max_seen = nr + 64;
	kvfree(c->seen);
	c->seen = kvmalloc_array(c->max_seen, sizeof(*c->seen), GFP_KERNEL);
	if (!c->seen) {
		/* no memory for the fast path: check everything later */
		c->max_seen = 0;
		clp_ran_stop(c);
		return 0;
	}
	rcu_read_lock();
	/* two nested loops: a break would only end the inner one */
	for_each_process_thread(g, p) {
		ret = clp_precheck_task(c, p);
		if (ret)
			goto out;
	}
out:
	rcu_read_unlock();
	sort(c->seen, c->nr_seen, sizeof(*c->seen), clp_seen_cmp, NULL);
	return ret;
}

/* Inside stop_machine: walk @p again (unless @seen says it did not run). */
static int clp_check_stopped(struct clp_check *c, struct task_struct *p,
			     bool seen)
{
	const struct clp_range *r;
	bool unreliable;

	/* the CPUs' stopper threads are the only tasks on a CPU now */
	if (READ_ONCE(p->on_cpu) || clp_task_gone(p))
		return 0;
	if (seen && clp_seen_unchanged(c, p))
		return 0;
	r = clp_stack_hit(c, p, &unreliable);
	if (!r && !unreliable)
		return 0;
	clp_note_busy(c, p, r, unreliable);
	return -EBUSY;
}

/* Runs on one CPU while all others spin with interrupts off. */
static int clp_switch_stopped(void *data)
{
	struct clp_check *c = data;
	struct clp_switch *sw = c->sw;
	struct task_struct *g, *p;
	unsigned int i;
	int cpu, ret = 0;
	u64 t0 = ktime_get_ns();

	rcu_read_lock();
	if (c->ran && !READ_ONCE(c->ran->overflow)) {
		/* nothing can add to the set now: every CPU is stopped */
		unsigned int n = atomic_read(&c->ran->n);

		for (i = 0; i < n; i++) {
			ret = clp_check_stopped(c, c->ran->tasks[i], false);
			if (ret)
				goto out;
		}
	} else {
		for_each_process_thread(g, p) {
			ret = clp_check_stopped(c, p, true);
			if (ret)
				goto out;
		}
	}
	for_each_online_cpu(cpu) {
		p = clp_idle_task(cpu);
		if (p) {
			ret = clp_check_stopped(c, p, false);
			if (ret)
				goto out;
		}
	}
	for (i = 0; i < sw->n; i++)
		WRITE_ONCE(sw->ofs[i]->live, sw->targets[i]);
out:
	rcu_read_unlock();
	c->stopped_ns = ktime_get_ns() - t0;
	return ret;
}

/**
 * clp_consistency_switch() - make @sw's targets live, atomically and safely
 * @sw: the functions and their new live versions
 *
 * Retries clp_switch_retries times, clp_retry_delay_ms apart, while some
 * task is inside a function whose live version changes.
 *
 * Return: 0 when switched; -EBUSY (with sw->busy_* set) or another errno
 * with nothing changed.
 */
int clp_consistency_switch(struct clp_switch *sw)
{
	struct clp_check c = { .sw = sw };
	unsigned int attempt;
	u64 t0, t1, t2;
	int ret;

	lockdep_assert_held(&clp_mutex);
	if (!clp_idle_tasks_known()) {
		pr_err("refused: the idle tasks were not found when clp loaded, so their stacks cannot be checked\n");
		return -EOPNOTSUPP;
	}
	ret = clp_ranges_build(&c);
	if (ret)
		return ret;
	for (attempt = 0; attempt <= clp_switch_retries; attempt++) {
		if (attempt)
			msleep(clp_retry_delay_ms);
		sw->attempts = attempt + 1;
		t0 = ktime_get_ns();
		ret = clp_precheck(&c);
		t1 = ktime_get_ns();
		if (!ret) {
			ret = stop_machine(clp_switch_stopped, &c, NULL);
			t2 = ktime_get_ns();
			/* read by make bench (scripts/bench) */
			pr_debug("switch timing: %u functions, precheck %llu ns, pause %llu ns, in stop_machine %llu ns, %d\n",
				 sw->n, t1 - t0, t2 - t1, c.stopped_ns, ret);
		}
		clp_ran_stop(&c);
		if (!ret)
			clp_sysfs_functions_changed();
		if (ret != -EBUSY)
			break;
		pr_debug("switch attempt %u: %s:%d is inside %s\n", attempt + 1,
			 sw->busy_comm, sw->busy_pid,
			 sw->busy_func ?: "(unreliable stack)");
	}
	kvfree(c.seen);
	kfree(c.ranges);
	return ret;
}

