// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/* What in the source changed a function: see srclines.h. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "srclines.h"
#include "util.h"

#define NO_DECL ((size_t)-1)

struct loader {
	struct srclines *s;
	struct strmap ids;	/* "line\tfile\tname" -> decl index */
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	char *compdir;		/* of the current CU, normalized */
};

/* @p with "." and ".." resolved and repeated slashes dropped. */
static char *norm_path(const char *p)
{
	char *copy = xstrdup(p), *out = xmalloc(strlen(p) + 2), *t, *save = NULL;
	size_t n = 0, root = p[0] == '/';

	if (root)
		out[n++] = '/';
	out[n] = '\0';
	for (t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		char *last = strrchr(out, '/');

		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..") && n > root && strcmp(last ? last + 1 : out, "..")) {
			n = !last ? 0 : last == out ? 1 : (size_t)(last - out);
			out[n] = '\0';
			continue;
		}
		if (n > root)
			out[n++] = '/';
		strcpy(out + n, t);
		n += strlen(t);
	}
	free(copy);
	return out;
}

/* A file name of the DWARF, relative to the compile directory when under it. */
static char *rel_path(const struct loader *l, const char *file)
{
	char *full = file[0] != '/' && l->compdir ? xasprintf("%s/%s", l->compdir, file) :
						     xstrdup(file);
	char *n = norm_path(full);
	size_t len = l->compdir ? strlen(l->compdir) : 0;

	free(full);
	if (len && !strncmp(n, l->compdir, len) && n[len] == '/') {
		char *r = xstrdup(n + len + 1);

		free(n);
		return r;
	}
	return n;
}

/* The declaration of @die (its own or its abstract origin's), or NO_DECL. */
static size_t decl_of(struct loader *l, Dwarf_Die *die)
{
	struct srclines *s = l->s;
	const char *file = dwarf_decl_file(die), *name = dwarf_diename(die);
	struct strmap_ent *e;
	char *rel, *key;
	int line;

	if (!file || dwarf_decl_line(die, &line) || line <= 0)
		return NO_DECL;
	rel = rel_path(l, file);
	key = xasprintf("%d\t%s\t%s", line, rel, name ? name : "");
	e = strmap_get(&l->ids, key);
	if (!e) {
		e = strmap_put(&l->ids, key);
		e->val = s->ndecls;
		s->decls = xrealloc(s->decls, (s->ndecls + 1) * sizeof(*s->decls));
		s->decls[s->ndecls++] = (struct sl_decl){
			.name = name ? xstrdup(name) : NULL, .file = rel, .line = line,
		};
		rel = NULL;
	}
	free(rel);
	free(key);
	return e->val;
}

static bool has_code(Dwarf_Die *die)
{
	return dwarf_hasattr(die, DW_AT_low_pc) || dwarf_hasattr(die, DW_AT_ranges) ||
	       dwarf_hasattr(die, DW_AT_entry_pc);
}

/* The ELF symbol at the entry of function @die, or NULL. */
static char *entry_sym(struct loader *l, Dwarf_Die *die)
{
	Dwarf_Addr pc, bias;
	GElf_Off off;
	GElf_Sym sym;
	GElf_Word shndx;
	Elf *elf = NULL;
	const char *name;

	if (dwarf_entrypc(die, &pc) != 0 && dwarf_lowpc(die, &pc) != 0) {
		Dwarf_Addr base, start, end;

		if (dwarf_ranges(die, 0, &base, &start, &end) <= 0)
			return NULL;
		pc = start;
	}
	name = dwfl_module_addrinfo(l->mod, pc + l->bias, &off, &sym, &shndx, &elf, &bias);
	return name && off == 0 ? xstrdup(name) : NULL;
}

/* Does function @f of one object stand for @g of the other? */
static bool same_func(const struct sl_func *f, const struct sl_func *g)
{
	return f->sym && g->sym ? !strcmp(f->sym, g->sym) : !strcmp(f->name, g->name);
}

static void set_add(struct sl_set *x, size_t d)
{
	size_t k;

	for (k = 0; k < x->n && x->v[k] != d; k++)
		;
	if (k == x->n) {
		x->v = xrealloc(x->v, (x->n + 1) * sizeof(*x->v));
		x->v[x->n++] = d;
	}
}

static void map_decl(const struct srclines *s, struct strmap *m, size_t d)
{
	char *key;

	if (!s->decls[d].name)
		return;
	key = xasprintf("%s\t%s", s->decls[d].name, s->decls[d].file);
	if (!strmap_get(m, key))
		strmap_put(m, key)->val = d;
	free(key);
}

/*
 * Every function inlined into @die, at any depth, into @f->inl; those its
 * call sites (its own and those of inlined code) name into @f->calls.
 */
static void walk_body(struct loader *l, Dwarf_Die *die, struct sl_func *f)
{
	Dwarf_Die child, callee;
	Dwarf_Attribute a;
	size_t d;

	if (dwarf_child(die, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);

		if (tag == DW_TAG_subprogram)
			continue;	/* a nested function has code of its own */
		if (tag == DW_TAG_inlined_subroutine && (d = decl_of(l, &child)) != NO_DECL)
			set_add(&f->inl, d);
		if ((tag == DW_TAG_call_site || tag == DW_TAG_GNU_call_site) &&
		    (dwarf_attr(&child, DW_AT_call_origin, &a) ||
		     dwarf_attr(&child, DW_AT_abstract_origin, &a)) &&
		    dwarf_formref_die(&a, &callee) && (d = decl_of(l, &callee)) != NO_DECL)
			set_add(&f->calls, d);
		walk_body(l, &child, f);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static void load_cu(struct loader *l, Dwarf_Die *cu)
{
	struct srclines *s = l->s;
	Dwarf_Attribute a;
	const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a));
	Dwarf_Die child;

	free(l->compdir);
	l->compdir = dir ? norm_path(dir) : NULL;
	if (dwarf_child(cu, &child) != 0)
		return;
	do {
		size_t d = decl_of(l, &child);
		const char *name;

		if (dwarf_tag(&child) != DW_TAG_subprogram || !has_code(&child))
			continue;
		name = dwarf_diename(&child);
		s->funcs = xrealloc(s->funcs, (s->nfuncs + 1) * sizeof(*s->funcs));
		s->funcs[s->nfuncs] = (struct sl_func){
			.sym = entry_sym(l, &child), .name = xstrdup(name ? name : ""), .decl = d,
		};
		walk_body(l, &child, &s->funcs[s->nfuncs]);
		s->nfuncs++;
	} while (dwarf_siblingof(&child, &child) == 0);
}

int srclines_load(struct srclines *s, const char *obj, char *err, size_t errlen)
{
	static char *debuginfo_path = "/nonexistent";
	static const Dwfl_Callbacks cb = {
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = &debuginfo_path,
	};
	struct loader l = { .s = s };
	Dwfl *dwfl = dwfl_begin(&cb);
	Dwarf_Die *cu;
	Dwarf_Addr cubias;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	if (!dwfl) {
		snprintf(err, errlen, "%s: %s", obj, dwfl_errmsg(-1));
		return -1;
	}
	dwfl_report_begin(dwfl);
	l.mod = dwfl_report_offline(dwfl, obj, obj, -1);
	dwfl_report_end(dwfl, NULL, NULL);
	if (!l.mod || !dwfl_module_getdwarf(l.mod, &l.bias)) {
		snprintf(err, errlen, "%s: no DWARF (%s)", obj, dwfl_errmsg(-1));
		rc = -1;
		goto out;
	}
	for (cu = NULL; (cu = dwfl_module_nextcu(l.mod, cu, &cubias));)
		load_cu(&l, cu);
	if (!s->nfuncs) {
		snprintf(err, errlen, "%s: its DWARF describes no function", obj);
		rc = -1;
	}
out:
	free(l.compdir);
	strmap_free(&l.ids);
	dwfl_end(dwfl);
	return rc;
}

/* The declarations of set @from of object @t added to @to, as those of @s of the same name and file. */
static void set_merge(struct sl_set *to, const struct srclines *t, const struct sl_set *from,
		      const struct strmap *m)
{
	size_t k;

	for (k = 0; k < from->n; k++) {
		const struct sl_decl *d = &t->decls[from->v[k]];
		char *key = xasprintf("%s\t%s", d->name ? d->name : "", d->file);
		struct strmap_ent *e = strmap_get(m, key);

		if (e)
			set_add(to, e->val);
		free(key);
	}
}

int srclines_add_original(struct srclines *s, const char *orig, char *err, size_t errlen)
{
	struct srclines t;
	struct strmap m = { 0 };
	size_t i, j, k;

	if (srclines_load(&t, orig, err, errlen))
		return -1;
	/* name and file -> declaration; function definitions first */
	for (i = 0; i < s->nfuncs; i++) {
		if (s->funcs[i].decl != NO_DECL)
			map_decl(s, &m, s->funcs[i].decl);
		for (k = 0; k < s->funcs[i].inl.n; k++)
			map_decl(s, &m, s->funcs[i].inl.v[k]);
	}
	for (i = 0; i < s->ndecls; i++)
		map_decl(s, &m, i);
	for (i = 0; i < t.nfuncs; i++) {
		for (j = 0; j < s->nfuncs; j++) {
			if (!same_func(&t.funcs[i], &s->funcs[j]))
				continue;
			set_merge(&s->funcs[j].inl, &t, &t.funcs[i].inl, &m);
			set_merge(&s->funcs[j].calls, &t, &t.funcs[i].calls, &m);
		}
	}
	strmap_free(&m);
	srclines_free(&t);
	return 0;
}

static void add_line(struct sl_file *f, int line)
{
	if (f->n && f->lines[f->n - 1] >= line)
		return;		/* diff prints its commands in order */
	f->lines = xrealloc(f->lines, (f->n + 1) * sizeof(*f->lines));
	f->lines[f->n++] = line;
}

/* One command of diff's normal output: "5,7c5,8", "10a11,12", "15,16d14". */
static void diff_command(struct sl_file *f, const char *p)
{
	char *end;
	long r1, r2, k;
	char cmd;

	strtol(p, &end, 10);
	if (*end == ',')
		strtol(end + 1, &end, 10);
	cmd = *end++;
	if (cmd != 'a' && cmd != 'c' && cmd != 'd')
		return;
	r1 = strtol(end, &end, 10);
	r2 = *end == ',' ? strtol(end + 1, &end, 10) : r1;
	if (cmd == 'd') {
		add_line(f, r1 + 1);	/* deleted after line r1 of the new version */
		return;
	}
	for (k = r1; k <= r2 && k < INT_MAX; k++)
		add_line(f, k);
}

int srclines_diff(struct srclines *s, const char *path, const char *old, const char *new,
		  char *err, size_t errlen)
{
	char *argv[] = { "diff", "--", (char *)old, (char *)new, NULL };
	struct sl_file f = { 0 };
	char *line = NULL;
	size_t cap = 0;
	int fds[2], st;
	FILE *in;
	pid_t pid;

	if (pipe(fds)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (in && getline(&line, &cap, in) > 0)
		if (line[0] >= '0' && line[0] <= '9')
			diff_command(&f, line);
	free(line);
	if (in)
		fclose(in);
	else
		close(fds[0]);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) > 1) {
		snprintf(err, errlen, "diff %s %s failed", old, new);
		free(f.lines);
		return -1;
	}
	f.path = xstrdup(path);
	s->files = xrealloc(s->files, (s->nfiles + 1) * sizeof(*s->files));
	s->files[s->nfiles++] = f;
	return 0;
}

/* Does the source span of declaration @d hold a changed line? */
static bool span_changed(const struct srclines *s, size_t d)
{
	const struct sl_decl *x = &s->decls[d];
	const struct sl_file *f = NULL;
	int end = INT_MAX;
	size_t i;

	for (i = 0; i < s->nfiles && !f; i++)
		if (!strcmp(s->files[i].path, x->file))
			f = &s->files[i];
	if (!f || !f->n)
		return false;
	for (i = 0; i < s->ndecls; i++)
		if (s->decls[i].line > x->line && s->decls[i].line < end &&
		    !strcmp(s->decls[i].file, x->file))
			end = s->decls[i].line;
	for (i = 0; i < f->n; i++)
		if (f->lines[i] >= x->line && f->lines[i] < end)
			return true;
	return false;
}

/* The names of the declarations of @x whose spans changed, to @sb ("a, b"). */
static void changed_names(const struct srclines *s, const struct sl_set *x, struct strbuf *sb)
{
	size_t k;

	for (k = 0; k < x->n; k++) {
		const char *name = s->decls[x->v[k]].name;
		size_t len = name ? strlen(name) : 0;
		const char *at;
		bool seen = false;

		if (!name || !span_changed(s, x->v[k]))
			continue;
		for (at = sb->buf; at && !seen; at = strchr(at, ' '), at = at ? at + 1 : NULL)
			seen = !strncmp(at, name, len) && (at[len] == ',' || !at[len]);
		if (!seen)
			sb_printf(sb, "%s%s", sb->len ? ", " : "", name);
	}
}

char *srclines_explain(const struct srclines *s, const char *func)
{
	size_t i, n = 0;
	bool exact = false, own = false;
	char *base = xasprintf("%.*s", (int)strcspn(func, "."), func), *r;
	struct strbuf inl = { 0 }, calls = { 0 };

	for (i = 0; i < s->nfuncs; i++)
		exact |= s->funcs[i].sym && !strcmp(s->funcs[i].sym, func);
	for (i = 0; i < s->nfuncs; i++) {
		const struct sl_func *f = &s->funcs[i];

		if (exact ? !f->sym || strcmp(f->sym, func) : strcmp(f->name, base))
			continue;
		if (f->decl == NO_DECL)
			continue;
		n++;
		own |= span_changed(s, f->decl);
		changed_names(s, &f->inl, &inl);
		changed_names(s, &f->calls, &calls);
	}
	if (!n)
		r = NULL;
	else if (own)
		r = xstrdup("changed");
	else if (inl.len)
		r = xasprintf("changed only through inlined code: %s", inl.buf);
	else if (calls.len)
		r = xasprintf("changed only through changed callees, by GCC's clones of them or what it assumed across the calls: %s",
			      calls.buf);
	else
		r = xstrdup("changed, not in its own lines nor in a function inlined into it: a macro, type or constant it uses?");
	sb_free(&inl);
	sb_free(&calls);
	free(base);
	return r;
}

void srclines_free(struct srclines *s)
{
	size_t i;

	for (i = 0; i < s->ndecls; i++) {
		free(s->decls[i].name);
		free(s->decls[i].file);
	}
	for (i = 0; i < s->nfuncs; i++) {
		free(s->funcs[i].sym);
		free(s->funcs[i].name);
		free(s->funcs[i].inl.v);
		free(s->funcs[i].calls.v);
	}
	for (i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].lines);
	}
	free(s->decls);
	free(s->funcs);
	free(s->files);
	memset(s, 0, sizeof(*s));
}
