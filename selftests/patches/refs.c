// SPDX-License-Identifier: GPL-2.0
/*
 * Load-time references of every relocation type clp supports, into
 * clp_test_target (static function and variable) and vmlinux (a static
 * variable and a function that is not exported).  clp_target_f2 returns
 *   "refs helper=40 secret=42 same=1 threads=<max_threads> procs=<n>"
 * helper: a call to the static clp_target_helper(20)       (PLT32)
 * secret: a read of the static clp_target_secret           (PC32)
 * same:   its address taken as an immediate (32S) equals the one in a
 *         pointer table (64)
 * threads: vmlinux's static max_threads (PC32), which
 *         /proc/sys/kernel/threads-max shows too
 * procs:  vmlinux's nr_processes(), not exported          (PLT32)
 */
#include <linux/kernel.h>
#include <clp/patch.h>

int clp_target_helper(int x);
extern int clp_target_secret;
CLP_SYM_MOD(clp_test_target, clp_target_helper, 0);
CLP_SYM_MOD(clp_test_target, clp_target_secret, 0);

extern int max_threads;
int nr_processes(void);

/* volatile: the compiler must read the table, not fold it */
static int * volatile secret_ptr[] = { &clp_target_secret };
static char buf[128];

static const char *new_f2(void)
{
	snprintf(buf, sizeof(buf),
		 "refs helper=%d secret=%d same=%d threads=%d procs=%d",
		 clp_target_helper(20), READ_ONCE(clp_target_secret),
		 &clp_target_secret == secret_ptr[0],
		 READ_ONCE(max_threads), nr_processes());
	return buf;
}
CLP_FUNC_MOD(clp_test_target, clp_target_f2, new_f2);
