// SPDX-License-Identifier: GPL-2.0
/*
 * clp_bench_target - what 'make bench' patches and how it measures.
 *
 * clp_bench_fn_000 .. clp_bench_fn_999 are the functions the bench patches
 * (with clp and with the kernel's livepatch); clp_bench_ctl is the same
 * code, never patched: the baseline of every call timing.
 *
 * /proc/clp_bench      write "loop N": time N calls of clp_bench_ctl, then
 *                      N calls of clp_bench_fn_000, each through a function
 *                      pointer with interrupts off; read: "CTL_NS FN_NS"
 *                      of the last loop.
 *                      write "sleepers N": start N kthreads that sleep (in
 *                      no patched function) until "wake"; the write returns
 *                      once all of them are blocked.
 * /proc/clp_bench_now  read: ktime_get_ns(), for timing from the shell
 *                      without a fork.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include "bench.h"

/* noipa: real, separate, traceable functions whose result is not known */
#if __has_attribute(__noipa__)
#define bench_fn	__attribute__((__noipa__)) noinline
#else
#define bench_fn	noinline
#endif

#define FN_DECL(n)	int clp_bench_fn_##n(int x);
CLP_BENCH_1000(FN_DECL)
int clp_bench_ctl(int x);

#define FN(n)	bench_fn int clp_bench_fn_##n(int x) { return CLP_BENCH_BODY(x); }
CLP_BENCH_1000(FN)

bench_fn int clp_bench_ctl(int x)
{
	return CLP_BENCH_BODY(x);
}

static DEFINE_MUTEX(bench_lock);
static u64 last_ctl_ns, last_fn_ns;
static int bench_sink;

static u64 time_calls(int (*fn)(int), unsigned long n)
{
	int (* volatile f)(int) = fn;
	unsigned long flags, i;
	u64 t0, t1;
	int acc = 0;

	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		acc += f(i);
	t1 = ktime_get_ns();
	local_irq_restore(flags);
	WRITE_ONCE(bench_sink, acc);
	return t1 - t0;
}

/* --- sleepers ----------------------------------------------------------- */

static DECLARE_WAIT_QUEUE_HEAD(sleep_wq);
static struct task_struct **sleepers;
static unsigned int nr_sleepers;

static int sleeper_fn(void *unused)
{
	wait_event_interruptible(sleep_wq, kthread_should_stop());
	while (!kthread_should_stop())
		msleep_interruptible(10);
	return 0;
}

static void wake_sleepers(void)
{
	unsigned int i;

	for (i = 0; i < nr_sleepers; i++) {
		kthread_stop(sleepers[i]);
		put_task_struct(sleepers[i]);
	}
	kvfree(sleepers);
	sleepers = NULL;
	nr_sleepers = 0;
}

static int start_sleepers(unsigned int n)
{
	unsigned long end = jiffies + 120 * HZ;
	unsigned int i;

	wake_sleepers();
	if (!n)
		return 0;
	sleepers = kvcalloc(n, sizeof(*sleepers), GFP_KERNEL);
	if (!sleepers)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct task_struct *p = kthread_run(sleeper_fn, NULL, "clp_bench_s");

		if (IS_ERR(p)) {
			wake_sleepers();
			return PTR_ERR(p);
		}
		get_task_struct(p);
		sleepers[nr_sleepers++] = p;
	}
	for (i = 0; i < n; i++) {
		while (task_is_running(sleepers[i])) {
			if (time_after(jiffies, end))
				return -ETIMEDOUT;
			msleep(5);
		}
	}
	return 0;
}

/* --- /proc files -------------------------------------------------------- */

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char buf[32], *cmd;
	unsigned long n;
	int ret = -EINVAL;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	cmd = strim(buf);

	mutex_lock(&bench_lock);
	if (sscanf(cmd, "loop %lu", &n) == 1 && n) {
		last_ctl_ns = time_calls(clp_bench_ctl, n);
		last_fn_ns = time_calls(clp_bench_fn_000, n);
		ret = 0;
	} else if (sscanf(cmd, "sleepers %lu", &n) == 1 && n <= 100000) {
		ret = start_sleepers(n);
	} else if (!strcmp(cmd, "wake")) {
		wake_sleepers();
		ret = 0;
	}
	mutex_unlock(&bench_lock);
	return ret ? ret : count;
}

static int bench_show(struct seq_file *m, void *v)
{
	mutex_lock(&bench_lock);
	seq_printf(m, "%llu %llu\n", last_ctl_ns, last_fn_ns);
	mutex_unlock(&bench_lock);
	return 0;
}

static int bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, bench_show, NULL);
}

static const struct proc_ops bench_ops = {
	.proc_open	= bench_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= bench_write,
};

static int now_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%llu\n", ktime_get_ns());
	return 0;
}

static struct proc_dir_entry *bench_file, *now_file;

static int __init clp_bench_target_init(void)
{
	bench_file = proc_create("clp_bench", 0600, NULL, &bench_ops);
	now_file = proc_create_single("clp_bench_now", 0444, NULL, now_show);
	if (!bench_file || !now_file) {
		proc_remove(now_file);
		proc_remove(bench_file);
		return -ENOMEM;
	}
	return 0;
}

static void __exit clp_bench_target_exit(void)
{
	proc_remove(now_file);
	proc_remove(bench_file);
	mutex_lock(&bench_lock);
	wake_sleepers();
	mutex_unlock(&bench_lock);
}

module_init(clp_bench_target_init);
module_exit(clp_bench_target_exit);
MODULE_DESCRIPTION("clp bench: functions to patch, a call timer, sleepers");
MODULE_LICENSE("GPL");
