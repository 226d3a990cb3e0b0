/* SPDX-License-Identifier: GPL-2.0 */
/*
 * analyze - what 'clp build' learns from the compiled patch objects: the
 * markers (which function each patch replaces), the conflicts between
 * patches, the checks against the target kernel's symbols, and the
 * references that only the clp core can resolve at load time (static or
 * non-exported symbols).  Works on struct elf_obj; writes no output.
 */
#ifndef CLP_ANALYZE_H
#define CLP_ANALYZE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "elfobj.h"
#include "inlines.h"
#include "ksyms.h"

enum unit_kind {
	UNIT_C,			/* a .c patch file, compiled by kbuild */
	UNIT_DIFF,		/* a unified diff: a patch name, no object of its own */
	UNIT_OBJ,		/* an object the diffs changed (build_diff.c) */
};

struct unit {
	int id;			/* CLP_UNIT, 1-based */
	enum unit_kind kind;
	char *name;		/* patch name, e.g. "cmdline-banner" */
	char *src;		/* the patch source as given */
	char *obj;		/* the compiled object */
};

enum marker_kind { MK_FUNC, MK_SYM, MK_CALLBACK, MK_STATE, MK_UNAFFECTED };

struct marker {
	enum marker_kind kind;
	int unit;
	char *obj;		/* "vmlinux" or a module name */
	char *name;		/* old function (MK_FUNC, MK_UNAFFECTED), symbol
				 * (MK_SYM) or callback (MK_CALLBACK: pre_patch,
				 * ...) */
	char *other;		/* MK_UNAFFECTED: the clone or caller of name */
	char *fn;		/* replacement or callback as written */
	char *newsym;		/* global alias of the replacement/callback */
	char *file;
	char *credit;		/* MK_FUNC from diffs: the patches that changed it */
	unsigned long line;
	unsigned long pos;
	unsigned long flags;	/* CLP_FUNC_* */
	unsigned long state_id, state_version;	/* MK_STATE */
};

/* A reference the core resolves at load (struct clp_reloc). */
struct ref {
	int unit;
	char *sym;
	char *obj;
	unsigned long pos;
	char *anchor;		/* global symbol at the start of the section */
	size_t sec;		/* that section's index in the unit's object */
	uint64_t offset;
	unsigned int type;
	int64_t addend;
};

struct analysis {
	struct unit *units;
	size_t nunits;
	char **patches;		/* the set's patch names in order (NULL: the units') */
	size_t npatches;
	const struct ksyms *ks;	/* may have no table: checks are skipped */
	const struct inline_index *inl;	/* NULL: inlining is not checked */
	const char *release;
	struct marker *markers;
	size_t nmarkers;
	struct ref *refs;
	size_t nrefs;
	struct strmap globals;	/* globals defined by the set -> unit */
	int errors;
	FILE *diag;		/* where errors go; NULL: stderr */
};

/* Collect the markers and global definitions of one unit's object. */
int analyze_markers(struct analysis *a, struct elf_obj *o, int unit);
/* Conflicts and symbol-table checks over all markers collected. */
void analyze_check(struct analysis *a);
/*
 * The other copies of each replaced function: its GCC clones in the symbol
 * table and the functions the inline index says it is inlined into.  Each
 * must be replaced too or acknowledged (CLP_UNAFFECTED), else an error
 * names them; an acknowledgement naming neither is an error too.
 */
void analyze_coverage(struct analysis *a);
/*
 * Find the references of @o that the module loader cannot resolve; record
 * them and, with @edit, retarget them at the glue's __clp_unresolved and add
 * section anchors (the caller writes the object).
 */
int analyze_refs(struct analysis *a, struct elf_obj *o, int unit, bool edit);
/*
 * References into a module M the set has an object for are rewritten by the
 * core whenever M loads or unloads; refuse them in code of @o (after
 * analyze_refs()) that is not a replacement the set installs in M, nor a
 * local function only such replacements call (modrefs.c).
 */
int analyze_module_refs(struct analysis *a, struct elf_obj *o, int unit);
void analysis_free(struct analysis *a);

/* The unit of @id. */
/* Print "file[:line]: error: msg" to a->diag (stderr) and count it. */
void analysis_error(struct analysis *a, const char *file, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The source file of unit @id, or "?". */
const char *analysis_unit_src(const struct analysis *a, int id);
const struct unit *analysis_unit(const struct analysis *a, int id);

#endif
