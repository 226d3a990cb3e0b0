// SPDX-License-Identifier: GPL-2.0
/*
 * The analysis of compiled patch objects: the markers each file carries
 * (functions, symbols, callbacks, states, acknowledgements), read back
 * and checked against each other and the target's symbols.  Clones and
 * inlined copies are coverage.c's, references refs.c's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

#define MARKER_SECTION	".discard.clp.markers"

/* Print "file[:line]: error: msg" and count it. */
void analysis_error(struct analysis *a, const char *file, unsigned long line, const char *fmt, ...)
{
	FILE *f = a->diag ? a->diag : stderr;
	va_list ap;

	if (line)
		fprintf(f, "%s:%lu: error: ", file, line);
	else
		fprintf(f, "%s: error: ", file);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	a->errors++;
}

const struct unit *analysis_unit(const struct analysis *a, int id)
{
	size_t i;

	for (i = 0; i < a->nunits; i++)
		if (a->units[i].id == id)
			return &a->units[i];
	return NULL;
}

const char *analysis_unit_src(const struct analysis *a, int id)
{
	const struct unit *u = analysis_unit(a, id);

	return u ? u->src : "?";
}

static bool is_ident(const char *s, bool dash_ok)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && !(dash_ok && *s == '-'))
			return false;
	return true;
}

/* A kallsyms function name: an identifier, or one with .suffix parts (clones). */
static bool is_symname(const char *s)
{
	size_t n = strcspn(s, ".");
	char *base = xasprintf("%.*s", (int)n, s);
	bool ok = is_ident(base, false);

	free(base);
	for (s += n; ok && *s == '.'; s += n) {
		s++;
		n = strcspn(s, ".");
		if (!n)
			return false;
		while (n && (isalnum((unsigned char)s[n - 1]) || s[n - 1] == '_'))
			n--;
		if (n)
			return false;
		n = strcspn(s, ".");
	}
	return ok && !*s;
}

static bool parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		return false;
	*v = strtoul(s, &end, 10);
	return *end == '\0' && *v < 1000000;
}

/* An integer constant as the preprocessor left it: 42, 0x2a, 42UL. */
static bool parse_const(const char *s, unsigned long *v)
{
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoul(s, &end, 0);
	while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
		end++;
	return !errno && *end == '\0';
}

static bool parse_flags(const char *s, unsigned long *flags)
{
	*flags = 0;
	if (!strcmp(s, "0"))
		return true;
	if (!strcmp(s, "NOCHECK") || !strcmp(s, "CLP_F_NOCHECK")) {
		*flags = 1;	/* CLP_F_NOCHECK */
		return true;
	}
	return false;
}

static char *normalize_mod(const char *s)
{
	char *p = xstrdup(s), *q;

	for (q = p; *q; q++)
		if (*q == '-')
			*q = '_';
	return p;
}

/* Does @o define the function @name (a marker's alias)? */
static bool defined_func(const struct elf_obj *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->nsyms; i++)
		if (!strcmp(o->syms[i].name, name))
			return o->syms[i].sym.st_shndx != SHN_UNDEF &&
			       GELF_ST_TYPE(o->syms[i].sym.st_info) == STT_FUNC;
	return false;
}

/* The fields of one marker record ("key=value" strings), NULL if absent. */
struct fields {
	const char *kind, *obj, *old, *fn, *nw, *pos, *flags, *file, *line, *sym,
		*cb, *id, *version, *other, *patches;
};

static const struct {
	const char *key;
	size_t off;
} field_keys[] = {
	{ "kind", offsetof(struct fields, kind) },
	{ "obj", offsetof(struct fields, obj) },
	{ "old", offsetof(struct fields, old) },
	{ "fn", offsetof(struct fields, fn) },
	{ "new", offsetof(struct fields, nw) },
	{ "pos", offsetof(struct fields, pos) },
	{ "flags", offsetof(struct fields, flags) },
	{ "file", offsetof(struct fields, file) },
	{ "line", offsetof(struct fields, line) },
	{ "sym", offsetof(struct fields, sym) },
	{ "cb", offsetof(struct fields, cb) },
	{ "id", offsetof(struct fields, id) },
	{ "version", offsetof(struct fields, version) },
	{ "other", offsetof(struct fields, other) },
	{ "patches", offsetof(struct fields, patches) },
};

/* Store one "key=value" field; unknown keys are ignored (newer markers). */
static void set_field(struct fields *f, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t i, kl;

	if (!eq)
		return;
	kl = eq - kv;
	for (i = 0; i < sizeof(field_keys) / sizeof(field_keys[0]); i++)
		if (strlen(field_keys[i].key) == kl && !strncmp(kv, field_keys[i].key, kl)) {
			*(const char **)((char *)f + field_keys[i].off) = eq + 1;
			return;
		}
}

static void malformed(struct analysis *a, struct elf_obj *o, const char *why)
{
	analysis_error(a, o->path, 0, "malformed marker section %s (%s)", MARKER_SECTION, why);
}

/*
 * One kind of marker: the fields it needs, checked and stored into @m.
 * Returns false after reporting.
 */
typedef bool (*marker_fn)(struct analysis *a, struct elf_obj *o,
			  const struct fields *f, struct marker *m);

static bool marker_func(struct analysis *a, struct elf_obj *o, const struct fields *f,
			struct marker *m)
{
	if (!f->old || !f->fn || !f->nw || !f->flags) {
		malformed(a, o, "missing field");
		return false;
	}
	if (!is_symname(f->old)) {
		analysis_error(a, f->file, m->line, "'%s' is not a function name", f->old);
		return false;
	}
	if (!parse_flags(f->flags, &m->flags)) {
		analysis_error(a, f->file, m->line, "unknown flags '%s' (use 0 or NOCHECK)", f->flags);
		return false;
	}
	if (!defined_func(o, f->nw)) {
		analysis_error(a, f->file, m->line, "replacement '%s' of %s is not a function defined in this file",
		       f->fn, f->old);
		return false;
	}
	m->name = xstrdup(f->old);
	m->fn = xstrdup(f->fn);
	m->newsym = xstrdup(f->nw);
	return true;
}

static bool marker_callback(struct analysis *a, struct elf_obj *o, const struct fields *f,
			    struct marker *m)
{
	if (!f->cb || !f->fn || !f->nw) {
		malformed(a, o, "missing field");
		return false;
	}
	if (strcmp(f->cb, "pre_patch") && strcmp(f->cb, "post_patch") &&
	    strcmp(f->cb, "pre_unpatch") && strcmp(f->cb, "post_unpatch")) {
		analysis_error(a, f->file, m->line, "unknown callback '%s'", f->cb);
		return false;
	}
	if (!defined_func(o, f->nw)) {
		analysis_error(a, f->file, m->line, "callback '%s' is not a function defined in this file", f->fn);
		return false;
	}
	m->name = xstrdup(f->cb);
	m->fn = xstrdup(f->fn);
	m->newsym = xstrdup(f->nw);
	return true;
}

static bool marker_state(struct analysis *a, struct elf_obj *o, const struct fields *f,
			 struct marker *m)
{
	(void)o;
	if (!f->id || !f->version || !parse_const(f->id, &m->state_id) || !m->state_id ||
	    !parse_const(f->version, &m->state_version) || m->state_version > 0xffffffffUL) {
		analysis_error(a, f->file, m->line,
		       "CLP_STATE(%s, %s): the id must be a non-zero and the version an unsigned integer constant",
		       f->id ? f->id : "?", f->version ? f->version : "?");
		return false;
	}
	m->name = xasprintf("state %#lx", m->state_id);
	return true;
}

static bool marker_unaffected(struct analysis *a, struct elf_obj *o, const struct fields *f,
			      struct marker *m)
{
	if (!f->old || !f->other) {
		malformed(a, o, "missing field");
		return false;
	}
	if (!is_symname(f->old) || !is_symname(f->other)) {
		analysis_error(a, f->file, m->line, "CLP_UNAFFECTED(%s, \"%s\"): not function names",
		       f->old, f->other);
		return false;
	}
	m->name = xstrdup(f->old);
	m->other = xstrdup(f->other);
	return true;
}

static bool marker_sym(struct analysis *a, struct elf_obj *o, const struct fields *f,
		       struct marker *m)
{
	(void)o;
	if (!f->sym || !is_symname(f->sym)) {
		analysis_error(a, f->file, m->line, "bad symbol name in CLP_SYM marker");
		return false;
	}
	m->name = xstrdup(f->sym);
	return true;
}

static const struct {
	const char *kind;
	enum marker_kind mk;
	marker_fn parse;
} marker_kinds[] = {
	{ "func", MK_FUNC, marker_func },
	{ "callback", MK_CALLBACK, marker_callback },
	{ "state", MK_STATE, marker_state },
	{ "unaffected", MK_UNAFFECTED, marker_unaffected },
	{ "sym", MK_SYM, marker_sym },
};

/* Parse one record of fields starting at *pp; advance *pp past it. */
static int parse_record(struct analysis *a, struct elf_obj *o, int unit,
			const char **pp, const char *end)
{
	const char *p = *pp;
	struct fields f = { 0 };
	struct marker m = { .unit = unit };
	bool first = true;
	size_t i;

	for (;;) {
		const char *nul = memchr(p, '\0', end - p);

		if (!nul) {
			malformed(a, o, "unterminated field");
			return -1;
		}
		if (first) {
			if (strcmp(p, "clp1")) {
				malformed(a, o, "bad magic");
				return -1;
			}
			first = false;
		} else if (nul == p) {
			p++;
			break;
		} else {
			set_field(&f, p);
		}
		p = nul + 1;
	}
	*pp = p;
	if (!f.kind || !f.obj || !f.pos || !f.file || !f.line) {
		malformed(a, o, "missing field");
		return -1;
	}
	m.file = xstrdup(f.file);
	if (f.patches && *f.patches)
		m.credit = xstrdup(f.patches);
	if (!parse_ulong(f.line, &m.line))
		m.line = 0;
	if (!is_ident(f.obj, true)) {
		analysis_error(a, f.file, m.line, "bad object name '%s' in marker (write vmlinux or a module name)",
		       f.obj);
		goto bad;
	}
	m.obj = normalize_mod(f.obj);
	if (!parse_ulong(f.pos, &m.pos)) {
		analysis_error(a, f.file, m.line, "sympos '%s' is not a number", f.pos);
		goto bad;
	}
	for (i = 0; i < sizeof(marker_kinds) / sizeof(marker_kinds[0]); i++)
		if (!strcmp(f.kind, marker_kinds[i].kind))
			break;
	if (i == sizeof(marker_kinds) / sizeof(marker_kinds[0])) {
		analysis_error(a, f.file, m.line, "unknown marker kind '%s' (clp/markers.h newer than clp?)", f.kind);
		goto bad;
	}
	m.kind = marker_kinds[i].mk;
	if (!marker_kinds[i].parse(a, o, &f, &m))
		goto bad;
	a->markers = xrealloc(a->markers, (a->nmarkers + 1) * sizeof(*a->markers));
	a->markers[a->nmarkers++] = m;
	return 0;
bad:
	free(m.file);
	free(m.credit);
	free(m.obj);
	free(m.name);
	free(m.fn);
	free(m.newsym);
	free(m.other);
	return 0;	/* reported; keep looking for more errors */
}

int analyze_markers(struct analysis *a, struct elf_obj *o, int unit)
{
	struct elf_sec *s = elfobj_find_sec(o, MARKER_SECTION);
	size_t i, before = a->nmarkers;
	bool any_func = false;

	for (i = 1; i < o->nsyms; i++) {
		const struct elf_sym *y = &o->syms[i];
		int bind = GELF_ST_BIND(y->sym.st_info);
		struct strmap_ent *e;

		if (y->sym.st_shndx == SHN_UNDEF || bind != STB_GLOBAL || !*y->name)
			continue;
		if (!strncmp(y->name, "__clp_", 6))
			continue;
		e = strmap_get(&a->globals, y->name);
		if (e && e->val != unit) {
			analysis_error(a, analysis_unit_src(a, unit), 0,
			       "global symbol '%s' is also defined by %s; make one of them static",
			       y->name, analysis_unit_src(a, e->val));
			continue;
		}
		strmap_put(&a->globals, y->name)->val = unit;
	}
	if (s && s->data && s->sh.sh_type == SHT_PROGBITS) {
		const char *p = s->data->d_buf, *end = p + s->data->d_size;

		while (p < end) {
			if (*p == '\0') {	/* alignment padding */
				p++;
				continue;
			}
			if (parse_record(a, o, unit, &p, end))
				return -1;
		}
	}
	for (i = before; i < a->nmarkers; i++)
		any_func |= a->markers[i].kind == MK_FUNC || a->markers[i].kind == MK_CALLBACK;
	if (!any_func)
		analysis_error(a, analysis_unit_src(a, unit), 0,
		       "no CLP_FUNC() or callback marker: a patch must replace a function or run a callback");
	return 0;
}

static bool same_target(const struct marker *x, const struct marker *y)
{
	return !strcmp(x->obj, y->obj) && !strcmp(x->name, y->name) &&
	       (x->pos == y->pos || !x->pos || !y->pos);
}

void analyze_check(struct analysis *a)
{
	size_t i, j;

	for (i = 0; i < a->nmarkers; i++) {
		const struct marker *m = &a->markers[i];
		long n;

		if (m->kind == MK_CALLBACK || m->kind == MK_STATE) {
			for (j = 0; j < i; j++) {
				const struct marker *p = &a->markers[j];

				if (p->kind != m->kind || strcmp(p->name, m->name) ||
				    (m->kind == MK_CALLBACK && strcmp(p->obj, m->obj)))
					continue;
				if (m->kind == MK_CALLBACK)
					analysis_error(a, m->file, m->line,
					       "conflict: %s callback of %s is also defined at %s:%lu; a module has one per object",
					       m->name, m->obj, p->file, p->line);
				else
					analysis_error(a, m->file, m->line,
					       "conflict: %s is also declared at %s:%lu", m->name,
					       p->file, p->line);
				break;
			}
			continue;
		}
		if (m->kind != MK_FUNC)
			continue;
		for (j = 0; j < i; j++) {
			const struct marker *p = &a->markers[j];

			if (p->kind == MK_FUNC && same_target(p, m)) {
				if (p->unit == m->unit)
					analysis_error(a, m->file, m->line, "%s is already replaced at line %lu",
					       m->name, p->line);
				else
					analysis_error(a, m->file, m->line,
					       "conflict: %s:%s is also replaced by %s:%lu; a cumulative set carries one version of a function",
					       m->obj, m->name, p->file, p->line);
				break;
			}
		}
		if (!ksyms_has_obj(a->ks, m->obj))
			continue;
		n = ksyms_count(a->ks, m->obj, m->name, true);
		if (n == 0)
			analysis_error(a, m->file, m->line, "no function '%s' in %s of kernel %s", m->name, m->obj,
			       a->release);
		else if (n > 1 && !m->pos)
			analysis_error(a, m->file, m->line,
			       "'%s' is ambiguous: %s has %ld functions of that name; give its sympos (CLP_FUNC_POS)",
			       m->name, m->obj, n);
		else if ((long)m->pos > n)
			analysis_error(a, m->file, m->line, "sympos %lu of '%s' out of range: %s has %ld", m->pos,
			       m->name, m->obj, n);
	}
}

void analysis_free(struct analysis *a)
{
	size_t i;

	for (i = 0; i < a->nmarkers; i++) {
		struct marker *m = &a->markers[i];

		free(m->obj);
		free(m->name);
		free(m->fn);
		free(m->newsym);
		free(m->file);
		free(m->credit);
		free(m->other);
	}
	free(a->markers);
	for (i = 0; i < a->nrefs; i++) {
		free(a->refs[i].sym);
		free(a->refs[i].obj);
		free(a->refs[i].anchor);
	}
	free(a->refs);
	strmap_free(&a->globals);
	a->markers = NULL;
	a->refs = NULL;
	a->nmarkers = a->nrefs = 0;
}
