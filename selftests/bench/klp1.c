// SPDX-License-Identifier: GPL-2.0
/* clp_bench_klp1: upstream livepatch of 1 function(s) (klp.h) */
#define CLP_BENCH_KLP(X)	CLP_BENCH_1(X)
#include "klp.h"
