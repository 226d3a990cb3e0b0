// SPDX-License-Identifier: GPL-2.0
/*
 * Other copies of a replaced function: GCC clones in the target's symbol
 * table and copies inlined into other functions (the inline index).  Each
 * must be replaced too or acknowledged (CLP_UNAFFECTED), else the set is
 * refused naming them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

#define NAMES_SHOWN 8	/* names listed in one error; the rest are counted */

static bool replaced(const struct analysis *a, const char *obj, const char *name)
{
	size_t i;

	for (i = 0; i < a->nmarkers; i++)
		if (a->markers[i].kind == MK_FUNC && !strcmp(a->markers[i].obj, obj) &&
		    !strcmp(a->markers[i].name, name))
			return true;
	return false;
}

static bool acknowledged(const struct analysis *a, const char *obj, const char *func,
			 const char *other)
{
	size_t i;

	for (i = 0; i < a->nmarkers; i++) {
		const struct marker *m = &a->markers[i];

		if (m->kind == MK_UNAFFECTED && !strcmp(m->obj, obj) &&
		    !strcmp(m->name, func) && !strcmp(m->other, other))
			return true;
	}
	return false;
}

/* Add @name to the list in @sb if it is neither replaced nor acknowledged. */
static void uncovered(const struct analysis *a, const struct marker *m, const char *name,
		      struct strbuf *sb, size_t *n)
{
	if (replaced(a, m->obj, name) || acknowledged(a, m->obj, m->name, name))
		return;
	if (*n < NAMES_SHOWN)
		sb_printf(sb, "%s%s", *n ? ", " : "", name);
	(*n)++;
}

static void more(struct strbuf *sb, size_t n)
{
	if (n > NAMES_SHOWN)
		sb_printf(sb, " and %zu more", n - NAMES_SHOWN);
}

/* The functions @m's function is inlined into, as a new list (NULL: none). */
static char **inline_callers(const struct analysis *a, const struct marker *m, size_t *np)
{
	char *base = xasprintf("%.*s", (int)sym_base_len(m->name), m->name);
	const char *list = a->inl ? inline_index_callers(a->inl, m->obj, base) : NULL;
	char **v = NULL, *copy, *t, *save = NULL;
	size_t n = 0;

	*np = 0;
	if (!list) {
		free(base);
		return NULL;
	}
	copy = xstrdup(list);
	for (t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		/* its own clones are the other rule's */
		if (!strcmp(t, m->name) || sym_is_clone_of(t, base))
			continue;
		v = xrealloc(v, (n + 1) * sizeof(char *));
		v[n++] = xstrdup(t);
	}
	free(copy);
	free(base);
	*np = n;
	return v;
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static const char *mod_suffix(const struct marker *m)
{
	return strcmp(m->obj, "vmlinux") ? "_MOD" : "";
}

static void check_copies(struct analysis *a, const struct marker *m)
{
	struct strbuf sb = { 0 };
	const char **cl = NULL;
	char **callers, *base;
	size_t i, n = 0, ncl, ncallers;

	if (ksyms_has_obj(a->ks, m->obj)) {
		ncl = ksyms_clones(a->ks, m->obj, m->name, &cl);
		for (i = 0; i < ncl; i++)
			uncovered(a, m, cl[i], &sb, &n);
		more(&sb, n);
		if (n)
			analysis_error(a, m->file, m->line,
			       "%s has %zu GCC clone%s in %s of kernel %s that would still run the old code: %s; replace each too (CLP_FUNC_CLONE%s) or acknowledge it (CLP_UNAFFECTED%s)",
			       m->name, n, n == 1 ? "" : "s", m->obj, a->release, sb.buf,
			       mod_suffix(m), mod_suffix(m));
		free(cl);
		sb_free(&sb);
	}
	n = 0;
	base = xasprintf("%.*s", (int)sym_base_len(m->name), m->name);
	/* a clone's inlined copies are its function's, reported with it */
	callers = strcmp(base, m->name) && replaced(a, m->obj, base) ? NULL :
		  inline_callers(a, m, &ncallers);
	if (!callers)
		ncallers = 0;
	for (i = 0; i < ncallers; i++)
		if (!acknowledged(a, m->obj, base, callers[i]))
			uncovered(a, m, callers[i], &sb, &n);
	more(&sb, n);
	if (n)
		analysis_error(a, m->file, m->line,
		       "%s is inlined into %zu function%s of %s (kernel %s) that would still run the old code: %s; replace each too or acknowledge it (CLP_UNAFFECTED%s)",
		       m->name, n, n == 1 ? "" : "s", m->obj, a->release, sb.buf, mod_suffix(m));
	free_list(callers, ncallers);
	free(base);
	sb_free(&sb);
}

static void check_acknowledgement(struct analysis *a, const struct marker *u)
{
	char **callers;
	size_t i, n;
	bool found = false;

	if (!replaced(a, u->obj, u->name)) {
		analysis_error(a, u->file, u->line,
		       "CLP_UNAFFECTED(%s, \"%s\"): the set does not replace %s in %s",
		       u->name, u->other, u->name, u->obj);
		return;
	}
	if (replaced(a, u->obj, u->other)) {
		analysis_error(a, u->file, u->line,
		       "CLP_UNAFFECTED(%s, \"%s\"): %s is replaced by the set; it cannot also be unaffected",
		       u->name, u->other, u->other);
		return;
	}
	if (sym_is_clone_of(u->other, u->name)) {
		if (ksyms_has_obj(a->ks, u->obj) && !ksyms_count(a->ks, u->obj, u->other, true))
			analysis_error(a, u->file, u->line,
			       "CLP_UNAFFECTED(%s, \"%s\"): no clone %s in %s of kernel %s",
			       u->name, u->other, u->other, u->obj, a->release);
		return;
	}
	if (!a->inl)
		return;		/* no index: a caller cannot be checked */
	callers = inline_callers(a, u, &n);
	for (i = 0; i < n; i++)
		found |= !strcmp(callers[i], u->other);
	free_list(callers, n);
	if (!found)
		analysis_error(a, u->file, u->line,
		       "CLP_UNAFFECTED(%s, \"%s\"): %s is neither a clone of %s nor a function it is inlined into in %s of kernel %s",
		       u->name, u->other, u->other, u->name, u->obj, a->release);
}

void analyze_coverage(struct analysis *a)
{
	struct strmap warned = { 0 };
	size_t i;

	/* an object the index knows nothing about: say so, once */
	for (i = 0; a->inl && i < a->nmarkers; i++) {
		const struct marker *m = &a->markers[i];

		if (m->kind != MK_FUNC || inline_index_has(a->inl, m->obj) ||
		    strmap_get(&warned, m->obj))
			continue;
		strmap_put(&warned, m->obj);
		fprintf(a->diag ? a->diag : stderr,
			"clp: warning: the inline index has nothing on %s (not in the kernel's -dbg package, e.g. an out-of-tree module): copies of its functions inlined into others are not checked\n",
			m->obj);
	}
	strmap_free(&warned);
	for (i = 0; i < a->nmarkers; i++) {
		if (a->markers[i].kind == MK_FUNC)
			check_copies(a, &a->markers[i]);
		else if (a->markers[i].kind == MK_UNAFFECTED)
			check_acknowledgement(a, &a->markers[i]);
	}
}

