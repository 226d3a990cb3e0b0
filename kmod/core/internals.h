/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internals.h - what the core requires of the kernel at build time, and
 * the kernel-version differences it bridges.  Functions that rely on
 * kernel internals are in internals.c.
 */
#ifndef _CLP_INTERNALS_H
#define _CLP_INTERNALS_H

#include <linux/ftrace.h>
#include <linux/version.h>
/*
 * Only ORC tells where every frame of a blocked task is, including frames
 * interrupted in the middle of a function; frame pointers do not.
 */
#ifndef CONFIG_UNWINDER_ORC
#error "clp needs CONFIG_UNWINDER_ORC: its stack check relies on a reliable unwind"
#endif

/* Make the traced function return into @addr (renamed in 6.7). */
static __always_inline void clp_regs_set_ip(struct ftrace_regs *fregs,
					    unsigned long addr)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	ftrace_regs_set_instruction_pointer(fregs, addr);
#else
	ftrace_instruction_pointer_set(fregs, addr);
#endif
}

#endif /* _CLP_INTERNALS_H */
