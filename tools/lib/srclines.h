/* SPDX-License-Identifier: GPL-2.0 */
/*
 * srclines - what in the source changed a function, for 'clp build
 * --explain': its own lines, or only those of a function inlined into it
 * (a static helper of the file, a static inline of a header).
 *
 * From the DWARF of a relocatable object (libdwfl's offline reporting, so
 * that the .debug_* relocations are applied): every function with code,
 * by the ELF symbol at its entry and its DWARF name, with the functions
 * inlined into it (at any depth; in the original object too) and those it
 * calls (DW_TAG_call_site), and the declaration line of everything the
 * object's DWARF declares at file scope (functions, variables, types).
 * A function's source span runs from its declaration line to the line
 * before the next such declaration in the same file (to the end of the
 * file for the last).  From the two versions of each touched file (diff
 * (1)): the changed lines of the new version (added or changed lines; a
 * deletion marks the line after it).
 *
 * Best effort: a span is as exact as the declarations the DWARF holds (a
 * header's unused functions are not in it, #define lines never), and a
 * macro, type or constant that changed shows as neither.
 */
#ifndef CLP_SRCLINES_H
#define CLP_SRCLINES_H

#include <stdbool.h>
#include <stddef.h>

struct sl_decl {
	char *name;		/* NULL for an anonymous type */
	char *file;		/* relative to the compile directory when under it */
	int line;
};

/* Indices into srclines.decls, each once. */
struct sl_set {
	size_t *v;
	size_t n;
};

struct sl_func {
	char *sym;		/* the ELF symbol at its entry (f.isra.0), or NULL */
	char *name;		/* its DWARF name (f) */
	size_t decl;		/* index into decls */
	struct sl_set inl;	/* the functions inlined into it */
	struct sl_set calls;	/* the functions its call sites name */
};

struct sl_file {
	char *path;		/* as given to srclines_diff */
	int *lines;		/* changed lines of the new version, ascending */
	size_t n;
};

struct srclines {
	struct sl_decl *decls;
	size_t ndecls;
	struct sl_func *funcs;
	size_t nfuncs;
	struct sl_file *files;
	size_t nfiles;
};

/*
 * Read the functions and declarations of object @obj.  -1 with a message
 * in @err (no DWARF, not readable); @s is then empty but usable.
 */
int srclines_load(struct srclines *s, const char *obj, char *err, size_t errlen);

/*
 * Count also the functions inlined into and called by each function in
 * @orig, the object compiled from the original source (by name, as the
 * same functions of @s): a change to a callee can make GCC stop inlining
 * it, or call a clone of it no more.
 * -1 with a message in @err if its DWARF cannot be read.
 */
int srclines_add_original(struct srclines *s, const char *orig, char *err, size_t errlen);

/*
 * Record the lines of file @path (as the DWARF names it, relative to the
 * compile directory) that changed from version @old to version @new.  -1
 * with a message in @err if diff(1) cannot compare them.
 */
int srclines_diff(struct srclines *s, const char *path, const char *old, const char *new,
		  char *err, size_t errlen);

/*
 * How the code of function @func (an ELF symbol name: f, f.isra.0,
 * f.cold) changed, as a phrase (malloc'd):
 *   "changed"                                    its own lines changed
 *   "changed only through inlined code: g, h"    only those of g and h
 *   "changed only through changed callees, ...: g"  only those of
 *                               functions it calls (GCC's clone of g, or
 *                               what it assumed about g across the call)
 *   "changed, not in its own lines nor in ..."   none of these (a macro?)
 * NULL when the DWARF does not know the function.
 */
char *srclines_explain(const struct srclines *s, const char *func);

void srclines_free(struct srclines *s);

#endif
