/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inlines - the inline index of a kernel build (written by clp-index through
 * tools/fetch-symbols): which out-of-line functions contain an inlined copy
 * of a function.  Lines "<object>\t<function>\t<caller> <caller>...";
 * '#' lines are comments, the first is "# clp-inlines 1 <release> ...",
 * "# object <object>" says that an object was indexed (it may have no
 * entries).
 */
#ifndef CLP_INLINES_H
#define CLP_INLINES_H

#include "util.h"

struct inline_index {
	char *path;
	char *release;		/* from the header line, NULL if none */
	struct strmap funcs;	/* "obj\tfunc" -> callers (char *, space separated) */
	struct strmap objs;	/* the objects indexed */
};

/* Load @path; -1 with a message if it cannot be read or is not an index. */
int inline_index_load(struct inline_index *x, const char *path);
void inline_index_free(struct inline_index *x);
/* Whether @obj was indexed (else nothing is known about its inlining). */
bool inline_index_has(const struct inline_index *x, const char *obj);
/* The callers of @func in @obj, space separated, or NULL if none is known. */
const char *inline_index_callers(const struct inline_index *x, const char *obj,
				 const char *func);

#endif
