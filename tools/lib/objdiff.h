/* SPDX-License-Identifier: GPL-2.0 */
/*
 * objdiff - compare an object as the running kernel has it (compiled from
 * the distribution's source) with the same object compiled from patched
 * source, function by function, and write the changed functions as a
 * patch unit: a relocatable object with clp markers that 'clp build'
 * links like a compiled .c patch.  Everything else stays the running
 * kernel's, reached through references.
 *
 * Both objects must come from the same compiler and flags with
 * -ffunction-sections -fdata-sections.
 */
#ifndef CLP_OBJDIFF_H
#define CLP_OBJDIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "elfobj.h"
#include "modsyms.h"
#include "symfiles.h"

enum od_state {
	OD_SAME,
	OD_CHANGED,
	OD_NEW,
};

struct od_rel {
	GElf_Rela r;
	size_t sec;		/* the section it applies to */
};

/* One object with its relocations sorted per section. */
struct od_obj {
	struct elf_obj *e;
	struct od_rel **rels;	/* per section index */
	size_t *nrels;
	long *pair;		/* symbol index -> the other object's, or -1 */
};

struct od_func {
	size_t sym;		/* in the patched object */
	long osym;		/* in the original, or -1 */
	const char *name;	/* patched name */
	const char *oname;	/* original (kernel) name, or NULL */
	enum od_state state;
	bool include;		/* goes into the unit */
	bool replace;		/* an entry point the unit redirects */
	const char *why;	/* what differs (first difference) */
	char *credit;		/* patch names that changed it, '+'-separated */
	const char *user;	/* new or a cold part: the included function using it */
	char *refused;		/* the first error about it, or NULL */
};

struct objdiff {
	const char *src;	/* source file, for messages */
	struct od_obj o, p;	/* original, patched */
	struct od_func *funcs;
	size_t nfuncs;
	int errors;
	FILE *diag;		/* errors and notes; NULL: stderr */
	bool explain;		/* objdiff_explain prints to diag */
};

/*
 * Compare @orig with @patched (both opened with elfobj_open): fill
 * d->funcs, report what cannot be live patched (d->errors counts them).
 * Returns -1 only if the objects cannot be read.
 */
int objdiff_compare(struct objdiff *d, const char *src, struct elf_obj *orig,
		    struct elf_obj *patched);
/* The number of functions the unit would replace. */
size_t objdiff_nreplaced(const struct objdiff *d);
struct od_func *objdiff_func(struct objdiff *d, const char *name);

/*
 * With d->explain, one line per function of the patched object to
 * d->diag: the decision about it (changed and the first difference,
 * new and whether it is included, unchanged, or refused and why).
 * @changed, if given, words the decision about a changed function
 * ("changed only through inlined code: f"; malloc'd, NULL: "changed").
 * Call it after objdiff_write, which finds refusals too.
 */
void objdiff_explain(struct objdiff *d, char *(*changed)(void *ctx, const char *func), void *ctx);

struct objdiff_out {
	const char *path;	/* the unit object to write */
	int unit;		/* the unit number (alias names) */
	const char *obj;	/* "vmlinux" or the module's name */
	const struct symfiles *sf;	/* vmlinux: local symbol positions */
	const struct modsyms *ms;	/* a module: its symbols; every reference
					 * to them is resolved by the core */
	bool (*exported)(void *ctx, const char *name);
	void *ctx;
	bool objtool_later;	/* objtool runs on the linked patch module
				 * (kbuild's delay-objtool): the tables it
				 * makes are left to it */
};

/*
 * Write the unit: the included functions, what they need copied (string
 * literals, alternatives, special-section entries), markers for the
 * replaced functions and the positions of the local symbols they use.
 * Errors are reported and counted in d->errors; returns -1 if any.
 */
int objdiff_write(struct objdiff *d, const struct objdiff_out *out);
void objdiff_free(struct objdiff *d);

/* @name without GCC's numbering: "__key.264" -> "__key", "f.isra.0" -> "f.isra" */
char *objdiff_normname(const char *name);

#endif
