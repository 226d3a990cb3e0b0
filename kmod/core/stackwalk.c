// SPDX-License-Identifier: GPL-2.0
/*
 * stackwalk.c - a task's stack, walked as reliably as the kernel's own
 * reliable stack trace does it.
 */
#include <linux/sched.h>
#include <asm/unwind.h>
#include "core.h"

/**
 * clp_stack_walk_reliable() - walk a task's stack, and say if it can be
 *			       trusted
 * @p: a task that cannot run meanwhile (blocked under its pi_lock, or
 *     every CPU is stopped)
 * @fn: gets each return address; returns true to stop the walk
 * @data: for @fn
 *
 * The rules are arch_stack_walk_reliable()'s: a frame whose return address
 * is not kernel text (generated code the unwinder does not know), an
 * unwinder error, or a walk that ends without reaching the user-mode
 * registers of a user task (only kernel threads and idle tasks end in the
 * kernel) make the stack unreliable.
 *
 * Return: 0 when the whole stack was seen, 1 when @fn stopped the walk,
 * -EINVAL when the stack is unreliable.
 */
int clp_stack_walk_reliable(struct task_struct *p,
			    bool (*fn)(void *data, unsigned long addr),
			    void *data)
{
	struct unwind_state state;
	struct pt_regs *regs;
	unsigned long addr;

	for (unwind_start(&state, p, NULL, NULL);
	     !unwind_done(&state) && !unwind_error(&state);
	     unwind_next_frame(&state)) {
		regs = unwind_get_entry_regs(&state, NULL);
		if (regs && user_mode(regs))
			return 0;	/* reached user space: complete */
		addr = unwind_get_return_address(&state);
		if (!addr)
			return -EINVAL;
		if (fn(data, addr))
			return 1;
	}
	if (unwind_error(&state) || !(p->flags & (PF_KTHREAD | PF_IDLE)))
		return -EINVAL;
	return 0;
}
