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

#endif
