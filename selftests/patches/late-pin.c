// SPDX-License-Identifier: GPL-2.0
/*
 * A vmlinux patch whose code reads clp_test_late's static clp_late_secret
 * without patching anything in that module: the module must be LIVE when
 * the patch registers (it is pinned), not merely coming.
 */
#include <linux/seq_file.h>
#include <clp/patch.h>

extern int clp_late_secret;
CLP_SYM_MOD(clp_test_late, clp_late_secret, 0);

static int new_version_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "latepin secret=%d\n", READ_ONCE(clp_late_secret));
	return 0;
}
CLP_FUNC(version_proc_show, new_version_proc_show);
