// SPDX-License-Identifier: GPL-2.0
/*
 * clp_test_target - the module clp's selftests patch.
 *
 * /proc/clp_target        "f1=orig-f1 f2=orig-f2 f3=orig-f3\n", calling
 *                         clp_target_f1..f3() on every read
 * /proc/clp_target_dup    "dup1=dup-1 dup2=dup-2\n": two static functions
 *                         both named clp_target_dup (this file and
 *                         target_dup.c, in that kallsyms order)
 * /proc/clp_target_notrace "notrace=orig-notrace\n" from a notrace function
 * /proc/clp_target_many   "patched=N": how many of the 128 functions of
 *                         target_many.c are patched
 * /proc/clp_target_ctl    (write-only) "sleep": start a kthread
 *                         "clp_sleeper" that sits in clp_target_sleep() ->
 *                         clp_target_block(); the write returns once it is
 *                         blocked there.  "wake": release every sleeper and
 *                         return once all of them have left
 *                         clp_target_sleep() and exited.  "coldsleep":
 *                         like "sleep", but the kthread blocks in the cold
 *                         part of clp_target_cold() (clp_target_cold.cold).
 * /proc/clp_target_cold   "cold=N": clp_target_cold(0)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/wait.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "target.h"

clp_target_fn const char *clp_target_f1(void)
{
	return "orig-f1";
}

clp_target_fn const char *clp_target_f2(void)
{
	return "orig-f2";
}

clp_target_fn const char *clp_target_f3(void)
{
	return "orig-f3";
}

/*
 * Static symbols that patch code references through the core (see
 * selftests/patches/refs.c); nothing here uses them.
 */
static int clp_target_secret __used = 42;

static clp_target_fn __used int clp_target_helper(int x)
{
	return 2 * x;
}

/* ftrace cannot attach here: clp must refuse to patch it. */
notrace clp_target_fn const char *clp_target_notrace(void)
{
	return "orig-notrace";
}

static clp_target_fn const char *clp_target_dup(void)
{
	return "dup-1";
}

/* --- sleepers ----------------------------------------------------------- */

static DEFINE_MUTEX(ctl_lock);			/* ctl commands, exit */
static DECLARE_WAIT_QUEUE_HEAD(block_wq);	/* sleepers wait here ... */
static DECLARE_WAIT_QUEUE_HEAD(ctl_wq);		/* ... and "sleep" for them */
static bool released;
static atomic_t nr_blocked = ATOMIC_INIT(0);	/* inside clp_target_block */
static atomic_t nr_returned = ATOMIC_INIT(0);	/* back from clp_target_sleep */

struct sleeper {
	struct list_head node;
	struct task_struct *task;
};
static LIST_HEAD(sleepers);			/* under ctl_lock */

/*
 * Blocks until "wake".  An interruptible wait so that the hung-task
 * detector leaves it alone; kthreads ignore signals, so only the release
 * ends it.
 */
void clp_target_block(void)
{
	atomic_inc(&nr_blocked);
	wake_up_all(&ctl_wq);
	while (wait_event_interruptible(block_wq, READ_ONCE(released)))
		;
	atomic_dec(&nr_blocked);
}
EXPORT_SYMBOL_GPL(clp_target_block);

/*
 * Stays on the sleeper's stack for as long as it is blocked: the counter
 * after the call keeps the compiler from turning it into a tail jump.
 */
clp_target_fn void clp_target_sleep(void)
{
	clp_target_block();
	atomic_inc(&nr_returned);
}

/*
 * With @sleep, blocks in its cold part: GCC moves the unlikely branch that
 * calls a __cold function (printk) to "clp_target_cold.cold".
 */
clp_target_fn int clp_target_cold(int sleep)
{
	if (unlikely(sleep)) {
		pr_info("sleeper %d in the cold part\n", task_pid_nr(current));
		clp_target_block();
		atomic_inc(&nr_returned);
		return 1;
	}
	return 0;
}

static int sleeper_fn(void *cold)
{
	if (cold)
		clp_target_cold(1);
	else
		clp_target_sleep();
	return 0;
}

/* Wait (bounded) until @task is off the CPU in the wait of clp_target_block. */
static int wait_blocked(struct task_struct *task, int want)
{
	unsigned long end = jiffies + 30 * HZ;
	long left;

	left = wait_event_interruptible_timeout(ctl_wq,
			atomic_read(&nr_blocked) >= want, 30 * HZ);
	if (left < 0)
		return left;
	if (!left)
		return -ETIMEDOUT;
	while (task_is_running(task)) {
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		msleep(1);
	}
	return 0;
}

static int start_sleeper(bool cold)
{
	struct sleeper *s;
	int want, ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	want = atomic_read(&nr_blocked) + 1;
	s->task = kthread_create(sleeper_fn, cold ? s : NULL, "clp_sleeper");
	if (IS_ERR(s->task)) {
		ret = PTR_ERR(s->task);
		kfree(s);
		return ret;
	}
	get_task_struct(s->task);
	list_add_tail(&s->node, &sleepers);
	wake_up_process(s->task);
	ret = wait_blocked(s->task, want);
	if (ret)
		pr_warn("sleeper %d did not block in clp_target_block (%d)\n",
			task_pid_nr(s->task), ret);
	else
		pr_info("sleeper %d blocked (%d blocked)\n",
			task_pid_nr(s->task), atomic_read(&nr_blocked));
	return ret;
}

/* Release every sleeper and reap it. */
static void wake_sleepers(void)
{
	struct sleeper *s, *tmp;
	unsigned long end;
	int n = 0;

	WRITE_ONCE(released, true);
	wake_up_all(&block_wq);
	list_for_each_entry_safe(s, tmp, &sleepers, node) {
		kthread_stop(s->task);
		/* kthread_stop() returns before the task is unhashed */
		end = jiffies + 10 * HZ;
		while (pid_alive(s->task) && time_before(jiffies, end))
			msleep(1);
		put_task_struct(s->task);
		list_del(&s->node);
		kfree(s);
		n++;
	}
	WRITE_ONCE(released, false);
	if (n)
		pr_info("woke %d sleepers (%d returned in all)\n", n,
			atomic_read(&nr_returned));
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char buf[16], *cmd;
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	cmd = strim(buf);

	if (mutex_lock_interruptible(&ctl_lock))
		return -EINTR;
	if (!strcmp(cmd, "sleep")) {
		ret = start_sleeper(false);
	} else if (!strcmp(cmd, "coldsleep")) {
		ret = start_sleeper(true);
	} else if (!strcmp(cmd, "wake")) {
		wake_sleepers();
		ret = 0;
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&ctl_lock);
	return ret ? ret : count;
}

static const struct proc_ops ctl_ops = {
	.proc_write	= ctl_write,
	.proc_lseek	= noop_llseek,
};

/* --- /proc files -------------------------------------------------------- */

static int cold_show(struct seq_file *m, void *v)
{
	seq_printf(m, "cold=%d\n", clp_target_cold(0));
	return 0;
}

static int target_show(struct seq_file *m, void *v)
{
	seq_printf(m, "f1=%s f2=%s f3=%s\n",
		   clp_target_f1(), clp_target_f2(), clp_target_f3());
	return 0;
}

static int dup_show(struct seq_file *m, void *v)
{
	seq_printf(m, "dup1=%s dup2=%s\n", clp_target_dup(), clp_target_second());
	return 0;
}

static int many_show(struct seq_file *m, void *v)
{
	seq_printf(m, "patched=%d\n", clp_target_many_count());
	return 0;
}

static int notrace_show(struct seq_file *m, void *v)
{
	seq_printf(m, "notrace=%s\n", clp_target_notrace());
	return 0;
}

static struct proc_dir_entry *proc_files[6];

static void remove_proc_files(void)
{
	int i;

	for (i = ARRAY_SIZE(proc_files) - 1; i >= 0; i--) {
		proc_remove(proc_files[i]);
		proc_files[i] = NULL;
	}
}

static int __init clp_test_target_init(void)
{
	int i;

	proc_files[0] = proc_create_single("clp_target", 0444, NULL, target_show);
	proc_files[1] = proc_create_single("clp_target_dup", 0444, NULL, dup_show);
	proc_files[2] = proc_create_single("clp_target_notrace", 0444, NULL,
					   notrace_show);
	proc_files[3] = proc_create("clp_target_ctl", 0200, NULL, &ctl_ops);
	proc_files[4] = proc_create_single("clp_target_many", 0444, NULL,
					   many_show);
	proc_files[5] = proc_create_single("clp_target_cold", 0444, NULL,
					   cold_show);
	for (i = 0; i < ARRAY_SIZE(proc_files); i++) {
		if (!proc_files[i]) {
			remove_proc_files();
			return -ENOMEM;
		}
	}
	pr_info("loaded\n");
	return 0;
}

static void __exit clp_test_target_exit(void)
{
	/* No new ctl writes once the file is gone; then reap the sleepers. */
	remove_proc_files();
	mutex_lock(&ctl_lock);
	wake_sleepers();
	mutex_unlock(&ctl_lock);
}

module_init(clp_test_target_init);
module_exit(clp_test_target_exit);
MODULE_DESCRIPTION("clp selftests: functions to patch, sleepers, duplicate symbols");
MODULE_LICENSE("GPL");
