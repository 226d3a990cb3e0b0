/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksyms - the target kernel's symbols: a System.map or /proc/kallsyms (names
 * per object, with counts for sympos checks) and Module.symvers (exports).
 */
#ifndef CLP_KSYMS_H
#define CLP_KSYMS_H

#include <stdbool.h>
#include "util.h"

struct ksyms {
	struct strmap all;	/* "obj:name" -> number of symbols */
	struct strmap text;	/* "obj:name" -> number of text symbols */
	struct strmap mods;	/* objects (modules) present in the table */
	bool have_table;
	struct strmap exports;	/* Module.symvers: name -> 1 */
	struct strmap dotted;	/* "obj:base" -> struct namelist * of the text
				 * symbols named base.<something> */
};

struct namelist {
	char **v;
	size_t n;
};

/* Load a System.map or kallsyms file; -1 with a message on failure. */
int ksyms_load_map(struct ksyms *k, const char *path);
int ksyms_load_symvers(struct ksyms *k, const char *path);
void ksyms_free(struct ksyms *k);

/* Number of symbols called @name in @obj ("vmlinux" or a module). */
long ksyms_count(const struct ksyms *k, const char *obj, const char *name, bool text_only);
bool ksyms_exported(const struct ksyms *k, const char *name);
/* Whether the table lists symbols of @obj (vmlinux always, modules if loaded). */
bool ksyms_has_obj(const struct ksyms *k, const char *obj);

/*
 * Whether @sym is a GCC clone of @func with an entry point of its own:
 * "<func>." followed by dot-separated parts of which one is constprop, isra,
 * part or lto_priv (foo.isra.0, foo.constprop.0.isra.0, foo.part.0.cold,
 * foo.lto_priv.0).  foo.cold and foo.localalias are parts or aliases of foo
 * itself, not clones.
 */
bool sym_is_clone_of(const char *sym, const char *func);
/* The length of the source function's name in @sym: up to the first '.'. */
size_t sym_base_len(const char *sym);
/*
 * The clones of @func in @obj (text symbols; see sym_is_clone_of()) into
 * *out (a new array of names the table owns); returns their number.
 */
size_t ksyms_clones(const struct ksyms *k, const char *obj, const char *func,
		    const char ***out);

#endif
