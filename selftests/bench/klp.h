/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bench's upstream (CONFIG_LIVEPATCH) patch of the functions that
 * CLP_BENCH_KLP(X) lists, with the same replacements as the clp patches
 * of selftests/bench/patches: clp and the kernel's livepatch are measured
 * on the same targets.  Included by klp1.c, klp100.c and klp1000.c.
 */
#include <linux/module.h>
#include <linux/livepatch.h>
#include "bench.h"

#define NEW(n)								\
	static int new_##n(int x) { return CLP_BENCH_BODY(x); }
CLP_BENCH_KLP(NEW)

#define FUNC(n)	{ .old_name = "clp_bench_fn_" #n, .new_func = new_##n },
static struct klp_func funcs[] = {
	CLP_BENCH_KLP(FUNC)
	{ }
};

static struct klp_object objs[] = {
	{ .name = "clp_bench_target", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init clp_bench_klp_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit clp_bench_klp_exit(void)
{
}

module_init(clp_bench_klp_init);
module_exit(clp_bench_klp_exit);
MODULE_DESCRIPTION("clp bench: an upstream livepatch of the bench target");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
