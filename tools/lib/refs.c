// SPDX-License-Identifier: GPL-2.0
/*
 * References from patch code to symbols the module loader cannot resolve
 * (static or unexported): checked against the target's symbols, and with
 * edit set pointed at the stub and listed for the core's reference table.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

#define STUB_SYMBOL	"__clp_unresolved"

static bool section_ok(const char *name)
{
	if (str_starts(name, ".init") || str_starts(name, ".exit"))
		return false;
	return !strcmp(name, ".text") || str_starts(name, ".text.") || !strcmp(name, ".data") ||
	       str_starts(name, ".data.") || !strcmp(name, ".rodata") ||
	       str_starts(name, ".rodata.") || str_starts(name, ".data..");
}

static bool type_ok(unsigned int type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_32S ||
	       type == R_X86_64_64;
}

/* Decide object and sympos of a load-time reference to @sym. */
static int place_sym(struct analysis *a, int unit, const char *sym, char **objp,
		     unsigned long *posp)
{
	const struct marker *decl = NULL;
	const char *mod = NULL, *src = analysis_unit_src(a, unit);
	bool mods_many = false;
	size_t i;
	long n;

	for (i = 0; i < a->nmarkers; i++) {
		const struct marker *m = &a->markers[i];

		if (m->kind == MK_SYM && !strcmp(m->name, sym) && (!decl || m->unit == unit))
			decl = m;
		if (m->kind == MK_FUNC && m->unit == unit && strcmp(m->obj, "vmlinux")) {
			if (mod && strcmp(mod, m->obj))
				mods_many = true;
			mod = m->obj;
		}
	}
	if (decl) {
		*objp = xstrdup(decl->obj);
		*posp = decl->pos;
	} else if (!a->ks->have_table || ksyms_count(a->ks, "vmlinux", sym, false)) {
		*objp = xstrdup("vmlinux");
		*posp = 0;
	} else if (mod && !mods_many) {
		*objp = xstrdup(mod);
		*posp = 0;
	} else {
		analysis_error(a, src, 0,
		       "'%s' is neither exported nor in the symbol table of vmlinux %s; if it lives in a module, say which with CLP_SYM_MOD()",
		       sym, a->release);
		return -1;
	}
	if (!ksyms_has_obj(a->ks, *objp))
		return 0;	/* checked by the core at load */
	n = ksyms_count(a->ks, *objp, sym, false);
	if (n == 0) {
		analysis_error(a, decl ? decl->file : src, decl ? decl->line : 0,
		       "'%s' is neither exported nor in the symbol table of %s (%s)", sym, *objp,
		       a->release);
		return -1;
	}
	if (n > 1 && !*posp) {
		analysis_error(a, src, 0,
		       "'%s' is ambiguous: %s has %ld symbols of that name; give its sympos with CLP_SYM_POS(%s, N)",
		       sym, *objp, n, sym);
		return -1;
	}
	if ((long)*posp > n) {
		analysis_error(a, decl->file, decl->line, "sympos %lu of '%s' out of range: %s has %ld",
		       *posp, sym, *objp, n);
		return -1;
	}
	return 0;
}

/*
 * Does @unit say @sym lives in a module (CLP_SYM_MOD, or a unit from a
 * diff to a module's file)?  Then the core resolves it when that module
 * loads, even if the module exports it: a module dependency would keep
 * the patch from loading before the module.
 */
static bool declared_in_module(const struct analysis *a, int unit, const char *sym)
{
	size_t i;

	for (i = 0; i < a->nmarkers; i++) {
		const struct marker *m = &a->markers[i];

		if (m->kind == MK_SYM && m->unit == unit && !strcmp(m->name, sym))
			return strcmp(m->obj, "vmlinux") != 0;
	}
	return false;
}

int analyze_refs(struct analysis *a, struct elf_obj *o, int unit, bool edit)
{
	const char *src = analysis_unit_src(a, unit);
	char *need = xcalloc(o->nsyms, 1);
	char **objs = xcalloc(o->nsyms, sizeof(char *));
	unsigned long *pos = xcalloc(o->nsyms, sizeof(unsigned long));
	char **anchors = xcalloc(o->nsecs, sizeof(char *));
	int errors = a->errors, ret = 0;
	size_t i, j, nsyms = o->nsyms;

	for (i = 1; i < o->nsyms; i++) {
		const struct elf_sym *y = &o->syms[i];

		if (y->sym.st_shndx != SHN_UNDEF || GELF_ST_BIND(y->sym.st_info) != STB_GLOBAL ||
		    !*y->name)
			continue;
		if ((ksyms_exported(a->ks, y->name) && !declared_in_module(a, unit, y->name)) ||
		    strmap_get(&a->globals, y->name) ||
		    !strcmp(y->name, "__this_module") || str_starts(y->name, "__clp_") ||
		    !strcmp(y->name, "clp_register_patch") || !strcmp(y->name, "clp_unregister_patch"))
			continue;
		if (place_sym(a, unit, y->name, &objs[i], &pos[i]))
			continue;
		need[i] = 1;
	}
	for (i = 1; i < o->nsecs; i++) {
		const struct elf_sec *rs = &o->secs[i];
		struct elf_sec *t = elfobj_rela_alloc_target(o, rs);

		if (!t)
			continue;
		for (j = 0; j < elfobj_rela_count(rs); j++) {
			GElf_Rela r;
			size_t si;
			unsigned int type;
			struct ref *ref;

			if (elfobj_get_rela(o, rs, j, &r)) {
				analysis_error(a, src, 0, "%s", o->err);
				ret = -1;
				goto out;
			}
			si = GELF_R_SYM(r.r_info);
			type = GELF_R_TYPE(r.r_info);
			if (!need[si])
				continue;
			if (!section_ok(t->name)) {
				analysis_error(a, src, 0,
				       "reference to '%s' from section %s cannot be resolved by clp at load time",
				       o->syms[si].name, t->name);
				continue;
			}
			if (!type_ok(type)) {
				analysis_error(a, src, 0, "reference to '%s' uses relocation %s (%u), which clp does not support",
				       o->syms[si].name, elfobj_reloc_name(type), type);
				continue;
			}
			if (!anchors[t->index])
				anchors[t->index] = xasprintf("__clp_anchor_%d_%zu", unit, t->index);
			a->refs = xrealloc(a->refs, (a->nrefs + 1) * sizeof(*a->refs));
			ref = &a->refs[a->nrefs++];
			*ref = (struct ref){
				.unit = unit,
				.sym = xstrdup(o->syms[si].name),
				.obj = xstrdup(objs[si]),
				.pos = pos[si],
				.anchor = xstrdup(anchors[t->index]),
				.sec = t->index,
				.offset = r.r_offset,
				.type = type,
				.addend = r.r_addend,
			};
		}
	}
	if (a->errors != errors || !edit)
		goto out;
	for (i = 1; i < o->nsyms; i++) {
		if (need[i] && elfobj_rename_sym(o, i, STUB_SYMBOL)) {
			analysis_error(a, src, 0, "%s", o->err);
			ret = -1;
			goto out;
		}
	}
	for (i = 1; i < o->nsecs; i++) {
		if (anchors[i] && elfobj_add_global(o, anchors[i], i, 0)) {
			analysis_error(a, src, 0, "%s", o->err);
			ret = -1;
			goto out;
		}
	}
out:
	/* anchors stay referenced by @o's symbols until it is closed */
	for (i = 0; i < nsyms; i++)
		free(objs[i]);
	free(objs);
	free(need);
	free(pos);
	if (!edit) {
		for (i = 0; i < o->nsecs; i++)
			free(anchors[i]);
		free(anchors);
	} else {
		/* leaked on purpose: names live as long as the object */
		(void)anchors;
	}
	return ret;
}
