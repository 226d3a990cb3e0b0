// SPDX-License-Identifier: GPL-2.0
/* fix-c: /proc/meminfo says which module's fix-c runs */
#include <linux/seq_file.h>
#include <clp/patch.h>

static int fixed_meminfo_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "fix-c in " KBUILD_MODNAME "\n");
	return 0;
}
CLP_FUNC(meminfo_proc_show, fixed_meminfo_proc_show);
