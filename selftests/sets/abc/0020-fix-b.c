// SPDX-License-Identifier: GPL-2.0
/* fix-b: /proc/version says which module's fix-b runs */
#include <linux/seq_file.h>
#include <clp/patch.h>

static int fixed_version_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "fix-b in " KBUILD_MODNAME "\n");
	return 0;
}
CLP_FUNC(version_proc_show, fixed_version_proc_show);
