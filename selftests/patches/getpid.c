// SPDX-License-Identifier: GPL-2.0
/*
 * getpid for everyone, plus V million for clp-hammer, V being the length of
 * the module's tag (clp_p_a: 1, clp_p_ab: 2, clp_p_abc: 3); see
 * selftests/progs/clp-hammer.c.  __x64_sys_getpid and __do_sys_getpid are
 * one function on 6.1 and 6.12.
 */
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <clp/patch.h>

#define VERSION	(sizeof(KBUILD_MODNAME) - sizeof("clp_p_"))

static long new_getpid(const struct pt_regs *regs)
{
	long pid = task_tgid_vnr(current);

	if (!strcmp(current->comm, "clp_hammer"))
		pid += VERSION * 1000000L;
	return pid;
}
CLP_FUNC(__x64_sys_getpid, new_getpid);
