/* SPDX-License-Identifier: GPL-2.0 */
/*
 * includes - which C files of a kernel source tree include a header,
 * directly or through other headers (or .c files that are #included).
 *
 * The index is read from the #include lines of every .c and .h file of the
 * tree that an x86 kernel can build (arch/ other than x86, Documentation,
 * tools, scripts and samples are left out), resolved the way kbuild's
 * include path does for most objects: "name" next to the including file
 * first, then arch/x86/include, include, and their uapi and generated
 * variants.  Conditional includes count as includes, and include paths an
 * object adds in its Makefile (-I) are not known: the answer can hold a
 * file that does not really include the header, never miss one that
 * includes it through the standard include path.  It is cached next to
 * the tree, valid while the tree's stamp is the one it was made with.
 */
#ifndef CLP_INCLUDES_H
#define CLP_INCLUDES_H

#include <stddef.h>

#include "util.h"

struct incl_index {
	struct strmap ids;	/* path -> index */
	char **paths;
	size_t **inc;		/* per file: the files it includes */
	size_t *ninc;
	size_t n;
};

/*
 * Load the index of @tree from @cache (a file), or make it and write it
 * there.  -1 with a message on failure.
 */
int incl_load(struct incl_index *ix, const char *tree, const char *cache);
/* Is @path a file of the index? */
int incl_has(const struct incl_index *ix, const char *path);
/*
 * The .c files that include @header, directly or not, sorted; their number
 * is returned, the array (of the index's strings) in @out, to be freed.
 */
size_t incl_users(const struct incl_index *ix, const char *header, const char ***out);
void incl_free(struct incl_index *ix);

#endif
