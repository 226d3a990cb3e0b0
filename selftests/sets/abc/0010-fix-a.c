// SPDX-License-Identifier: GPL-2.0
/* fix-a: /proc/cmdline says which module's fix-a runs */
#include <linux/seq_file.h>
#include <clp/patch.h>

static int fixed_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "fix-a in " KBUILD_MODNAME "\n");
	return 0;
}
CLP_FUNC(cmdline_proc_show, fixed_cmdline_proc_show);
