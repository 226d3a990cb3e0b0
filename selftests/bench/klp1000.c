// SPDX-License-Identifier: GPL-2.0
/* clp_bench_klp1000: upstream livepatch of 1000 function(s) (klp.h) */
#define CLP_BENCH_KLP(X)	CLP_BENCH_1000(X)
#include "klp.h"
