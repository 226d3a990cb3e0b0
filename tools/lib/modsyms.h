/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modsyms - the symbol table of one module of the target kernel (its .ko
 * as the distribution ships it, compressed or not), for patch units whose
 * functions live in that module: which names the module defines, and the
 * position of a local symbol among same-named ones as the core counts it
 * (the module's own symbol table, in its order).
 *
 * A module's .symtab has no FILE symbols, so which of several same-named
 * locals comes from a given source file is found from the link order: the
 * linker writes the local symbols of each input object as one run, in
 * input order.  The run of an object is located by its anchors, local
 * names it defines that occur once in the module, and is bounded by
 * foreign anchors, unique local names the object does not define.  A
 * duplicated name resolves when exactly one of its occurrences lies in
 * that run; otherwise the build is refused with the reason.
 */
#ifndef CLP_MODSYMS_H
#define CLP_MODSYMS_H

#include <stdbool.h>
#include <stddef.h>

struct ms_sym {
	char *name;
	bool local;
	bool text;		/* in an executable section (kallsyms t/T/w/W) */
	bool core;		/* in an allocated section that stays after init */
};

struct modsyms {
	char *name;		/* module name: ext4, nf_tables */
	char *path;		/* the .ko read */
	struct ms_sym *syms;	/* defined symbols with a name, in .symtab order */
	size_t n;
};

/*
 * The shipped .ko of module @name of @release, under
 * <cache>/kernels/<release>/root/lib/modules (unpacked by setup), else
 * /lib/modules/<release>/kernel; .ko, .ko.xz, .ko.zst or .ko.gz.  At
 * @modfile ("fs/ext4/ext4", KBUILD_MODFILE) when given and there, else
 * the module of that name (- and _ alike) whose directory is nearest the
 * source file @src.  NULL if none is found.
 */
char *modsyms_find_ko(const char *cache, const char *release, const char *name,
		      const char *modfile, const char *src);
/* Read @path (decompressing it); -1 with a message in @err on failure. */
int modsyms_load(struct modsyms *m, const char *name, const char *path, char *err, size_t errlen);
void modsyms_free(struct modsyms *m);
/* Does the module define a global (or weak) symbol @name? */
bool modsyms_defines_global(const struct modsyms *m, const char *name);
/* How many symbols called @name the module defines (@text: text only). */
size_t modsyms_count(const struct modsyms *m, const char *name, bool text);
/*
 * The position of the local symbol @name of the object whose local
 * symbols are @own (@nown names) among the module's symbols of that name:
 * 0 when unique, 1-based otherwise, -1 with the reason in @why.
 */
long modsyms_pos(const struct modsyms *m, const char *name, bool text, char **own, size_t nown,
		 char *why, size_t whylen);

#endif
