// SPDX-License-Identifier: GPL-2.0
/* selftest patch ABC: cmdline meminfo version getpid */
#define CLP_P_TAG "ABC"
#define CLP_P_VER 3
#include "common.h"

static struct clp_func funcs[] = {
	CLP_P_FUNC("cmdline_proc_show", p_cmdline_proc_show),
	CLP_P_FUNC("meminfo_proc_show", p_meminfo_proc_show),
	CLP_P_FUNC("version_proc_show", p_version_proc_show),
	CLP_P_FUNC("__x64_sys_getpid", p_getpid),
	{ }
};

static struct clp_object objs[] = {
	{ .name = "vmlinux", .funcs = funcs },
	{ }
};

static struct clp_patch patch = {
	.version = "selftest+a+b+c",
	.patches = (const char * const []){ "a", "b", "c", NULL },
	.objs = objs,
};
CLP_PATCH_MODULE(patch);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("clp selftest patch ABC");
