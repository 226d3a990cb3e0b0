/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit status of every clp command (documented in 'clp help', each
 * command's --help and Documentation/man/exit-status.inc; pkg-man checks
 * that they agree).  Each command uses the subset it needs.
 */
#ifndef CLP_EXITCODES_H
#define CLP_EXITCODES_H

enum {
	EXIT_OK = 0,
	EXIT_REJECTED = 1,	/* the operation failed or was refused */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_ENV = 3,		/* build: target kernel tree, symbols or build-id
				 * missing; check/load/install: the module does
				 * not match this kernel (release, build-id,
				 * symbols, states, ftrace owners) */
	EXIT_INTERNAL = 4,	/* I/O error, tool missing, out of memory */
};
#define EXIT_MISMATCH EXIT_ENV

#endif
