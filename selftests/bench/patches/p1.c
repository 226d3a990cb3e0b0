// SPDX-License-Identifier: GPL-2.0
/*
 * The bench's clp patch of 1 function(s) of clp_bench_target; each
 * replacement does what its original does, so a patched call costs only
 * the redirection.
 */
#include <clp/patch.h>
#include "../bench.h"

#define NEW(n)								\
	static int new_##n(int x) { return CLP_BENCH_BODY(x); }	\
	CLP_FUNC_MOD(clp_bench_target, clp_bench_fn_##n, new_##n);
CLP_BENCH_1(NEW)
