/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replacement functions shared by the hand-written selftest patches.  A
 * patch defines CLP_P_TAG (what its versions print) and CLP_P_VER (what
 * its getpid adds for clp-hammer) before including this file.
 *
 * These modules use the raw core API on purpose: they test the core.
 */
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <clp/patch.h>

static int __maybe_unused p_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s-cmdline\n", CLP_P_TAG);
	return 0;
}

static int __maybe_unused p_meminfo_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s-meminfo\n", CLP_P_TAG);
	return 0;
}

static int __maybe_unused p_version_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s-version\n", CLP_P_TAG);
	return 0;
}

/* getpid for everyone, plus CLP_P_VER millions for clp-hammer */
static long __maybe_unused p_getpid(const struct pt_regs *regs)
{
	long pid = task_tgid_vnr(current);

	if (!strcmp(current->comm, "clp_hammer"))
		pid += CLP_P_VER * 1000000L;
	return pid;
}

#define CLP_P_FUNC(old, new)	{ .old_name = old, .new_func = new }
