// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/cmdline shows "<TAG>-cmdline", TAG being the name of the module this
 * file is built into without "clp_p_", in upper case (clp_p_ab -> AB).
 */
#include <linux/ctype.h>
#include <linux/seq_file.h>
#include <clp/patch.h>

static void put_tag(struct seq_file *m)
{
	const char *s = KBUILD_MODNAME + sizeof("clp_p_") - 1;

	for (; *s; s++)
		seq_putc(m, toupper(*s));
}

static int new_cmdline_proc_show(struct seq_file *m, void *v)
{
	put_tag(m);
	seq_puts(m, "-cmdline\n");
	return 0;
}
CLP_FUNC(cmdline_proc_show, new_cmdline_proc_show);
