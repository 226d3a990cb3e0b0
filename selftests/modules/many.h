/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CLP_MANY(X) expands X(n) for the 128 numbers 100..177 and 200..277 (octal
 * digits, so that token pasting can build them).  Shared by target_many.c
 * and selftests/patches/many.c.
 */
#ifndef _CLP_TEST_MANY_H
#define _CLP_TEST_MANY_H

#define __CLP_MANY8(X, p)						\
	X(p##0) X(p##1) X(p##2) X(p##3) X(p##4) X(p##5) X(p##6) X(p##7)
#define __CLP_MANY64(X, p)						\
	__CLP_MANY8(X, p##0) __CLP_MANY8(X, p##1) __CLP_MANY8(X, p##2)	\
	__CLP_MANY8(X, p##3) __CLP_MANY8(X, p##4) __CLP_MANY8(X, p##5)	\
	__CLP_MANY8(X, p##6) __CLP_MANY8(X, p##7)
#define CLP_MANY(X)	__CLP_MANY64(X, 1) __CLP_MANY64(X, 2)

#endif
