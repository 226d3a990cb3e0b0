// SPDX-License-Identifier: GPL-2.0
/* clp_bench_klp100: upstream livepatch of 100 function(s) (klp.h) */
#define CLP_BENCH_KLP(X)	CLP_BENCH_100(X)
#include "klp.h"
