/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bench's functions: clp_bench_fn_000 .. clp_bench_fn_999 of
 * clp_bench_target, and the lists the patches take of them.
 * CLP_BENCH_1000(X) expands X(n) for n = 000 .. 999 (decimal digits pasted
 * into names, never used as numbers), CLP_BENCH_100(X) for 000 .. 099,
 * CLP_BENCH_1(X) for 000.  Shared by the target, the upstream livepatch
 * modules and the clp patches (selftests/bench/patches).
 */
#ifndef _CLP_BENCH_H
#define _CLP_BENCH_H

#define __CLP_B10(X, p)							\
	X(p##0) X(p##1) X(p##2) X(p##3) X(p##4)				\
	X(p##5) X(p##6) X(p##7) X(p##8) X(p##9)
#define __CLP_B100(X, p)						\
	__CLP_B10(X, p##0) __CLP_B10(X, p##1) __CLP_B10(X, p##2)	\
	__CLP_B10(X, p##3) __CLP_B10(X, p##4) __CLP_B10(X, p##5)	\
	__CLP_B10(X, p##6) __CLP_B10(X, p##7) __CLP_B10(X, p##8)	\
	__CLP_B10(X, p##9)
#define CLP_BENCH_1000(X)						\
	__CLP_B100(X, 0) __CLP_B100(X, 1) __CLP_B100(X, 2)		\
	__CLP_B100(X, 3) __CLP_B100(X, 4) __CLP_B100(X, 5)		\
	__CLP_B100(X, 6) __CLP_B100(X, 7) __CLP_B100(X, 8)		\
	__CLP_B100(X, 9)
#define CLP_BENCH_100(X)	__CLP_B100(X, 0)
#define CLP_BENCH_1(X)		X(000)

/* the body of every original and every replacement */
#define CLP_BENCH_BODY(x)	((x) + 1)

#endif
