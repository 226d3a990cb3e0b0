// SPDX-License-Identifier: GPL-2.0
/*
 * A vmlinux patch whose code reads a static variable of clp_test_target:
 * the module must be loaded, and stays pinned while the patch is
 * registered, although the patch replaces none of its functions.
 */
#include <linux/seq_file.h>
#include <clp/patch.h>

extern int clp_target_secret;
CLP_SYM_MOD(clp_test_target, clp_target_secret, 0);

static int new_version_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "refpin secret=%d\n", READ_ONCE(clp_target_secret));
	return 0;
}
CLP_FUNC(version_proc_show, new_version_proc_show);
