// SPDX-License-Identifier: GPL-2.0
/*
 * The object differ: see objdiff.h.
 *
 * Pairing.  A symbol of the patched object is the original's of the same
 * name, except for names GCC numbers (static locals "count.2",
 * "__key.264", "__func__.5"; clones "f.isra.0"), whose numbers change when
 * any other function of the file changes.  Those are paired by the
 * functions that use them: the k-th use of "__key" in function f of the
 * patched object is the k-th use of "__key" in f of the original.
 *
 * Comparing.  Two functions are the same when their bytes, their
 * relocations (what each points at, by paired name, string content or
 * section and offset) and the entries special sections hold for them
 * (jump labels, exception table, alternatives) are the same.  The line in
 * a __bug_table entry is not compared: a WARN() that only moved is no
 * change.
 *
 * Writing.  An included function is copied with its relocations; what it
 * points at is, in order: another included function (the copy), a string
 * literal or constant (copied), a pr_debug descriptor (copied: the module
 * registers its own), or a symbol of the running kernel (a reference by
 * the original's name, with the position of a local symbol from the FILE
 * blocks of vmlinux).  Entries of special sections that belong to included
 * functions are copied; the running kernel's data is never copied.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "elfout.h"
#include "objdiff.h"
#include "util.h"

#define MARKER_SECTION	".discard.clp.markers"

static void od_error(struct objdiff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void od_note(struct objdiff *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A refusal.  Every message about one function starts with its name, says
 * why and what the author can do; it is also kept as the function's
 * refusal for --explain.
 */
static void od_error(struct objdiff *d, const char *fmt, ...)
{
	FILE *f = d->diag ? d->diag : stderr;
	va_list ap;
	char *msg;
	int n;
	size_t i;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc(n > 0 ? n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(msg, n > 0 ? n + 1 : 1, fmt, ap);
	va_end(ap);
	fprintf(f, "%s: error: %s\n", d->src, msg);
	d->errors++;
	for (i = 0; i < d->nfuncs; i++) {
		struct od_func *fn = &d->funcs[i];
		size_t len = strlen(fn->name);

		if (!fn->refused && !strncmp(msg, fn->name, len) &&
		    (msg[len] == ' ' || msg[len] == ':')) {
			fn->refused = msg;
			return;
		}
	}
	free(msg);
}

static void od_note(struct objdiff *d, const char *fmt, ...)
{
	FILE *f = d->diag ? d->diag : stderr;
	va_list ap;

	if (!d->explain)
		return;
	fprintf(f, "%s: ", d->src);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

char *objdiff_normname(const char *name)
{
	char *s = xstrdup(name);
	size_t n = strlen(s);

	/* drop trailing ".<digits>" parts: f.isra.0 -> f.isra, x.12 -> x */
	for (;;) {
		size_t i = n;

		while (i > 0 && isdigit((unsigned char)s[i - 1]))
			i--;
		if (i == n || i < 2 || s[i - 1] != '.')
			break;
		n = i - 1;
		s[n] = '\0';
	}
	return s;
}

static bool numbered(const char *name)
{
	char *n = objdiff_normname(name);
	bool r = strcmp(n, name) != 0;

	free(n);
	return r;
}

static const struct elf_sym *sym(const struct od_obj *x, size_t i)
{
	return &x->e->syms[i];
}

static unsigned char stype(const struct od_obj *x, size_t i)
{
	return GELF_ST_TYPE(sym(x, i)->sym.st_info);
}

static bool defined(const struct od_obj *x, size_t i)
{
	size_t sh = sym(x, i)->sym.st_shndx;

	return sh != SHN_UNDEF && sh < x->e->nsecs && sh != SHN_ABS;
}

static const struct elf_sec *sec_of(const struct od_obj *x, size_t i)
{
	return defined(x, i) ? &x->e->secs[sym(x, i)->sym.st_shndx] : NULL;
}

static bool is_text(const struct elf_sec *s)
{
	return s && (s->sh.sh_flags & SHF_EXECINSTR);
}

static bool init_exit_sec(const char *n)
{
	return str_starts(n, ".init.") || str_starts(n, ".exit.") || !strcmp(n, ".init.text") ||
	       !strcmp(n, ".exit.text") || str_starts(n, ".meminit.") || str_starts(n, ".head.text");
}

static bool pcrel(unsigned int type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_PC64 ||
	       type == R_X86_64_GOTPCREL;
}

static int cmp_rel(const void *a, const void *b)
{
	const struct od_rel *x = a, *y = b;

	return x->r.r_offset < y->r.r_offset ? -1 : x->r.r_offset > y->r.r_offset;
}

static int load_obj(struct objdiff *d, struct od_obj *x, struct elf_obj *e)
{
	size_t i, j;

	x->e = e;
	x->rels = xcalloc(e->nsecs, sizeof(*x->rels));
	x->nrels = xcalloc(e->nsecs, sizeof(*x->nrels));
	x->pair = xmalloc(e->nsyms * sizeof(*x->pair));
	for (i = 0; i < e->nsyms; i++)
		x->pair[i] = -1;
	for (i = 0; i < e->nsecs; i++) {
		struct elf_sec *rs = &e->secs[i], *t;
		size_t n;

		if (rs->sh.sh_type != SHT_RELA)
			continue;
		t = elfobj_rela_target(e, rs);
		if (!t || x->rels[t->index])
			continue;
		n = elfobj_rela_count(rs);
		x->rels[t->index] = xcalloc(n ? n : 1, sizeof(struct od_rel));
		for (j = 0; j < n; j++) {
			if (elfobj_get_rela(e, rs, j, &x->rels[t->index][j].r)) {
				od_error(d, "%s (clp cannot read the object: report it)", e->err);
				return -1;
			}
			x->rels[t->index][j].sec = t->index;
		}
		x->nrels[t->index] = n;
		qsort(x->rels[t->index], n, sizeof(struct od_rel), cmp_rel);
	}
	return 0;
}

/* The named function or object of section @sh that holds offset @off, or -1. */
static long containing(const struct od_obj *x, size_t sh, int64_t off)
{
	size_t i;
	long any = -1;

	for (i = 1; i < x->e->nsyms; i++) {
		const GElf_Sym *s = &sym(x, i)->sym;
		unsigned char t = GELF_ST_TYPE(s->st_info);

		if (s->st_shndx != sh || (t != STT_FUNC && t != STT_OBJECT) || !*sym(x, i)->name)
			continue;
		if (off >= (int64_t)s->st_value && off < (int64_t)(s->st_value + s->st_size))
			return i;
		if (!s->st_size && off == (int64_t)s->st_value)
			any = i;
	}
	return any;
}

/*
 * What relocation @r points at: a named symbol and the offset from it, or a
 * section symbol and the addend when no named symbol holds the place.
 */
static void target(const struct od_obj *x, const GElf_Rela *r, size_t *ts, int64_t *toff)
{
	size_t si = GELF_R_SYM(r->r_info);
	const GElf_Sym *s = &sym(x, si)->sym;
	unsigned int type = GELF_R_TYPE(r->r_info);
	int k;

	*ts = si;
	*toff = r->r_addend;
	if (GELF_ST_TYPE(s->st_info) != STT_SECTION || s->st_shndx >= x->e->nsecs)
		return;
	for (k = pcrel(type) ? 4 : 0; k <= (pcrel(type) ? 8 : 0); k++) {
		long c = containing(x, s->st_shndx, r->r_addend + k);

		if (c >= 0) {
			*ts = c;
			*toff = r->r_addend - (int64_t)sym(x, c)->sym.st_value;
			return;
		}
	}
}

static bool strings_sec(const struct elf_sec *s)
{
	return (s->sh.sh_flags & SHF_STRINGS) && s->data;
}

/* The relocation's target as a comparable string (patched names paired). */
static void rel_key(const struct od_obj *x, bool patched, const struct od_obj *other,
		    const GElf_Rela *r, struct strbuf *sb)
{
	size_t ts;
	int64_t off;
	const struct elf_sym *s;

	target(x, r, &ts, &off);
	s = sym(x, ts);
	sb_printf(sb, "%u:", (unsigned)GELF_R_TYPE(r->r_info));
	if ((GELF_ST_TYPE(s->sym.st_info) == STT_SECTION ||
	     (GELF_ST_TYPE(s->sym.st_info) == STT_NOTYPE && GELF_ST_BIND(s->sym.st_info) == STB_LOCAL)) &&
	    defined(x, ts)) {
		/* a section, or a label the assembler kept (.LC1): by content */
		const struct elf_sec *sec = sec_of(x, ts);
		int64_t at = (int64_t)s->sym.st_value + off + (pcrel(GELF_R_TYPE(r->r_info)) ? 4 : 0);

		if (strings_sec(sec) && at >= 0 && (uint64_t)at < sec->sh.sh_size) {
			const char *str = (const char *)sec->data->d_buf + at;
			size_t max = sec->sh.sh_size - at;

			sb_printf(sb, "str:%.*s", (int)strnlen(str, max), str);
		} else {
			char *n = objdiff_normname(sec->name);

			sb_printf(sb, "sec:%s%+lld", n, (long long)(s->sym.st_value + off));
			free(n);
		}
		return;
	}
	if (patched && defined(x, ts) && x->pair[ts] < 0)
		sb_printf(sb, "new:%s%+lld", s->name, (long long)off);
	else if (patched && defined(x, ts))
		sb_printf(sb, "sym:%s%+lld", sym(other, x->pair[ts])->name, (long long)off);
	else
		sb_printf(sb, "sym:%s%+lld", s->name, (long long)off);
}

/* ---- pairing ------------------------------------------------------------ */

static bool pairable(const struct od_obj *x, size_t i)
{
	unsigned char t = stype(x, i);

	return (t == STT_FUNC || t == STT_OBJECT) && *sym(x, i)->name && defined(x, i);
}

static void set_pair(struct objdiff *d, size_t p, size_t o)
{
	if (d->p.pair[p] >= 0 || d->o.pair[o] >= 0)
		return;
	d->p.pair[p] = o;
	d->o.pair[o] = p;
}

static long find_sym(const struct od_obj *x, const char *name)
{
	size_t i;

	for (i = 1; i < x->e->nsyms; i++)
		if (pairable(x, i) && !strcmp(sym(x, i)->name, name))
			return i;
	return -1;
}

/* The numbered symbols function @f points at, in order of use. */
static size_t numbered_uses(const struct od_obj *x, size_t f, size_t **out)
{
	const GElf_Sym *fs = &sym(x, f)->sym;
	size_t sh = fs->st_shndx, i, n = 0;

	*out = NULL;
	for (i = 0; i < x->nrels[sh]; i++) {
		const GElf_Rela *r = &x->rels[sh][i].r;
		size_t ts;
		int64_t off;

		if (r->r_offset < fs->st_value || r->r_offset >= fs->st_value + fs->st_size)
			continue;
		target(x, r, &ts, &off);
		if (!pairable(x, ts) || !numbered(sym(x, ts)->name))
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = ts;
	}
	return n;
}

static void pair_symbols(struct objdiff *d)
{
	size_t i, j, k;

	/* plain names */
	for (i = 1; i < d->p.e->nsyms; i++) {
		long o;

		if (!pairable(&d->p, i) || numbered(sym(&d->p, i)->name))
			continue;
		o = find_sym(&d->o, sym(&d->p, i)->name);
		if (o >= 0 && stype(&d->o, o) == stype(&d->p, i))
			set_pair(d, i, o);
	}
	/* numbered names, by the paired functions that use them, in order */
	for (k = 0; k < 2; k++) {
		for (i = 1; i < d->p.e->nsyms; i++) {
			size_t *pu, *ou, np, no;
			long o = d->p.pair[i];

			if (o < 0 || stype(&d->p, i) != STT_FUNC)
				continue;
			np = numbered_uses(&d->p, i, &pu);
			no = numbered_uses(&d->o, o, &ou);
			for (j = 0; j < np; j++) {
				char *pn = objdiff_normname(sym(&d->p, pu[j])->name);
				size_t nth = 0, m, seen = 0;

				/* which use of this base name is it */
				for (m = 0; m < j; m++) {
					char *q = objdiff_normname(sym(&d->p, pu[m])->name);

					if (!strcmp(q, pn) && pu[m] != pu[j])
						nth++;
					free(q);
				}
				for (m = 0; m < no; m++) {
					char *q = objdiff_normname(sym(&d->o, ou[m])->name);
					bool same = !strcmp(q, pn);

					free(q);
					if (!same)
						continue;
					if (seen++ == nth) {
						if (stype(&d->o, ou[m]) == stype(&d->p, pu[j]))
							set_pair(d, pu[j], ou[m]);
						break;
					}
				}
				free(pn);
			}
			free(pu);
			free(ou);
		}
	}
	/* what is left: a numbered name whose base is unique on both sides */
	for (i = 1; i < d->p.e->nsyms; i++) {
		char *pn;
		long cand = -1;
		int ncand = 0, np = 0;

		if (!pairable(&d->p, i) || d->p.pair[i] >= 0 || !numbered(sym(&d->p, i)->name))
			continue;
		pn = objdiff_normname(sym(&d->p, i)->name);
		for (j = 1; j < d->p.e->nsyms; j++) {
			char *q;

			if (!pairable(&d->p, j))
				continue;
			q = objdiff_normname(sym(&d->p, j)->name);
			np += !strcmp(q, pn);
			free(q);
		}
		for (j = 1; j < d->o.e->nsyms; j++) {
			char *q;

			if (!pairable(&d->o, j))
				continue;
			q = objdiff_normname(sym(&d->o, j)->name);
			if (!strcmp(q, pn)) {
				ncand++;
				cand = j;
			}
			free(q);
		}
		if (np == 1 && ncand == 1 && d->o.pair[cand] < 0 &&
		    stype(&d->o, cand) == stype(&d->p, i))
			set_pair(d, i, cand);
		free(pn);
	}
}

/* ---- comparing ---------------------------------------------------------- */

/* Entry tables: section name, relocations per entry. */
static const struct {
	const char *name;
	unsigned int rels;
	bool compare;		/* part of what a function is */
} tables[] = {
	{ "__jump_table", 3, true },
	{ "__ex_table", 2, true },
	{ ".altinstructions", 2, true },
	{ "__bug_table", 2, false },
	{ ".static_call_sites", 2, false },
	{ "__mcount_loc", 1, false },
	{ ".return_sites", 1, false },
	{ ".retpoline_sites", 1, false },
	{ ".call_sites", 1, false },
	{ ".smp_locks", 1, false },
	{ ".orc_unwind_ip", 1, false },
	{ ".parainstructions", 1, false },
	{ ".discard.unreachable", 1, false },
	{ ".discard.reachable", 1, false },
	{ ".discard.retpoline_safe", 1, false },
	{ ".discard.instr_begin", 1, false },
	{ ".discard.instr_end", 1, false },
	{ ".discard.intra_function_calls", 1, false },
	{ ".discard.annotate_insn", 1, false },
	{ ".discard.noendbr", 1, false },
	{ ".discard.func_stack_frame_non_standard", 1, false },
};

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* Entry size of table section @s, or 0 if it does not look like one. */
static size_t entry_size(const struct od_obj *x, const struct elf_sec *s, unsigned int per)
{
	size_t n = x->nrels[s->index], size = s->sh.sh_size, ents, i;

	if (!n || n % per)
		return 0;
	ents = n / per;
	if (size % ents)
		return 0;
	for (i = 0; i < n; i += per)
		if (x->rels[s->index][i].r.r_offset != (i / per) * (size / ents))
			return 0;
	return size / ents;
}

/* Is the place (section symbol or named target) inside [start, end) of section sh? */
static bool rel_in(const struct od_obj *x, const GElf_Rela *r, size_t sh, uint64_t start,
		   uint64_t end)
{
	const GElf_Sym *s = &sym(x, GELF_R_SYM(r->r_info))->sym;
	int64_t at;

	if (s->st_shndx != sh)
		return false;
	at = (int64_t)s->st_value + r->r_addend;
	return at >= (int64_t)start && at < (int64_t)end;
}

/* The entries of comparable tables that belong to function @f, as text. */
static void func_entries(const struct od_obj *x, bool patched, const struct od_obj *other,
			 size_t f, struct strbuf *sb)
{
	const GElf_Sym *fs = &sym(x, f)->sym;
	size_t t, i;

	for (t = 0; t < NTABLES; t++) {
		struct elf_sec *s = elfobj_find_sec(x->e, tables[t].name);
		size_t es, per = tables[t].rels;

		if (!tables[t].compare || !s || !(es = entry_size(x, s, per)))
			continue;
		for (i = 0; i < x->nrels[s->index]; i += per) {
			const GElf_Rela *a = &x->rels[s->index][i].r;
			unsigned int k;

			if (!rel_in(x, a, fs->st_shndx, fs->st_value, fs->st_value + fs->st_size))
				continue;
			sb_printf(sb, "%s@%lld", tables[t].name,
				  (long long)(sym(x, GELF_R_SYM(a->r_info))->sym.st_value + a->r_addend -
					      fs->st_value));
			for (k = 1; k < per; k++) {
				sb_printf(sb, " ");
				rel_key(x, patched, other, &x->rels[s->index][i + k].r, sb);
			}
			if (s->data) {
				size_t b, start = x->rels[s->index][i].r.r_offset;

				sb_printf(sb, " [");
				for (b = start; b < start + es; b++) {
					bool inrel = false;

					for (k = 0; k < per; k++) {
						const GElf_Rela *q = &x->rels[s->index][i + k].r;

						if (b >= q->r_offset &&
						    b < q->r_offset + elfobj_reloc_size(GELF_R_TYPE(q->r_info)))
							inrel = true;
					}
					if (!inrel)
						sb_printf(sb, "%02x", ((unsigned char *)s->data->d_buf)[b]);
				}
				sb_printf(sb, "]");
			}
			sb_printf(sb, "\n");
		}
	}
}

/* Describe a symbol's relocations from offset 0 of it, as text. */
static void range_rels(const struct od_obj *x, bool patched, const struct od_obj *other, size_t si,
		       struct strbuf *sb)
{
	const GElf_Sym *s = &sym(x, si)->sym;
	size_t i;

	for (i = 0; i < x->nrels[s->st_shndx]; i++) {
		const GElf_Rela *r = &x->rels[s->st_shndx][i].r;

		if (r->r_offset < s->st_value || r->r_offset >= s->st_value + s->st_size)
			continue;
		sb_printf(sb, "%llu ", (unsigned long long)(r->r_offset - s->st_value));
		rel_key(x, patched, other, r, sb);
		sb_printf(sb, "\n");
	}
}

/* NULL when the two symbols are the same, else what differs. */
static const char *compare_sym(struct objdiff *d, size_t p, size_t o, bool with_entries)
{
	const GElf_Sym *ps = &sym(&d->p, p)->sym, *os = &sym(&d->o, o)->sym;
	const struct elf_sec *psec = sec_of(&d->p, p), *osec = sec_of(&d->o, o);
	struct strbuf a = { 0 }, b = { 0 };
	const char *why = NULL;

	if (ps->st_size != os->st_size)
		return "size";
	if ((psec->data == NULL) != (osec->data == NULL))
		return "section type";
	if (psec->data) {
		const unsigned char *pb = (const unsigned char *)psec->data->d_buf + ps->st_value;
		const unsigned char *ob = (const unsigned char *)osec->data->d_buf + os->st_value;

		if (ps->st_value + ps->st_size > psec->sh.sh_size ||
		    os->st_value + os->st_size > osec->sh.sh_size)
			return "symbol beyond its section";
		if (memcmp(pb, ob, ps->st_size))
			why = "code or data bytes";
	}
	if (!why) {
		range_rels(&d->p, true, &d->o, p, &a);
		range_rels(&d->o, false, &d->p, o, &b);
		if ((a.buf ? strcmp(a.buf, b.buf ? b.buf : "") : (b.buf && *b.buf)))
			why = "relocations (a call, a variable or a string)";
	}
	if (!why && with_entries) {
		sb_free(&a);
		sb_free(&b);
		func_entries(&d->p, true, &d->o, p, &a);
		func_entries(&d->o, false, &d->p, o, &b);
		if ((a.buf ? strcmp(a.buf, b.buf ? b.buf : "") : (b.buf && *b.buf)))
			why = "jump labels, exception table or alternatives";
	}
	sb_free(&a);
	sb_free(&b);
	return why;
}

static bool skip_data_sec(const char *n)
{
	size_t t;

	if (init_exit_sec(n) || str_starts(n, ".discard") || str_starts(n, ".debug") ||
	    str_starts(n, ".initcall") || str_starts(n, ".con_initcall") || !strcmp(n, "__dyndbg") ||
	    !strcmp(n, "__dyndbg_classes") || str_starts(n, ".init.") || !strcmp(n, ".modinfo") ||
	    str_starts(n, "__param") || str_starts(n, "__ksymtab") || str_starts(n, ".orc_"))
		return true;
	for (t = 0; t < NTABLES; t++)
		if (!strcmp(n, tables[t].name))
			return true;
	return false;
}

static void add_func(struct objdiff *d, size_t p)
{
	struct od_func *f;

	d->funcs = xrealloc(d->funcs, (d->nfuncs + 1) * sizeof(*d->funcs));
	f = &d->funcs[d->nfuncs++];
	memset(f, 0, sizeof(*f));
	f->sym = p;
	f->osym = d->p.pair[p];
	f->name = sym(&d->p, p)->name;
	f->oname = f->osym >= 0 ? sym(&d->o, f->osym)->name : NULL;
}

struct od_func *objdiff_func(struct objdiff *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nfuncs; i++)
		if (!strcmp(d->funcs[i].name, name))
			return &d->funcs[i];
	return NULL;
}

static struct od_func *func_by_sym(struct objdiff *d, size_t p)
{
	size_t i;

	for (i = 0; i < d->nfuncs; i++)
		if (d->funcs[i].sym == p)
			return &d->funcs[i];
	return NULL;
}

static bool has_mcount(const struct od_obj *x, size_t f)
{
	const struct elf_sec *s = elfobj_find_sec(x->e, "__mcount_loc");
	const GElf_Sym *fs = &sym(x, f)->sym;
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < x->nrels[s->index]; i++)
		if (rel_in(x, &x->rels[s->index][i].r, fs->st_shndx, fs->st_value,
			   fs->st_value + fs->st_size))
			return true;
	return false;
}

static bool is_cold(const char *name)
{
	return str_ends(name, ".cold") || strstr(name, ".cold.");
}

/* Functions the included ones point at that must come along. */
static void close_inclusion(struct objdiff *d)
{
	bool again = true;
	size_t i, j;

	while (again) {
		again = false;
		for (i = 0; i < d->nfuncs; i++) {
			const GElf_Sym *fs;

			if (!d->funcs[i].include)
				continue;
			fs = &sym(&d->p, d->funcs[i].sym)->sym;
			for (j = 0; j < d->p.nrels[fs->st_shndx]; j++) {
				const GElf_Rela *r = &d->p.rels[fs->st_shndx][j].r;
				struct od_func *t;
				size_t ts;
				int64_t off;

				if (r->r_offset < fs->st_value || r->r_offset >= fs->st_value + fs->st_size)
					continue;
				target(&d->p, r, &ts, &off);
				t = func_by_sym(d, ts);
				if (!t || t->include)
					continue;
				/* new functions and the cold parts of included ones come along */
				if (t->state == OD_NEW || (is_cold(t->name) && t->state != OD_SAME)) {
					t->include = true;
					t->user = d->funcs[i].name;
					again = true;
				}
			}
		}
	}
}

int objdiff_compare(struct objdiff *d, const char *src, struct elf_obj *orig,
		    struct elf_obj *patched)
{
	size_t i;

	d->src = src;
	if (load_obj(d, &d->o, orig) || load_obj(d, &d->p, patched))
		return -1;
	pair_symbols(d);

	for (i = 1; i < d->p.e->nsyms; i++) {
		if (pairable(&d->p, i) && stype(&d->p, i) == STT_FUNC && is_text(sec_of(&d->p, i)))
			add_func(d, i);
	}
	for (i = 0; i < d->nfuncs; i++) {
		struct od_func *f = &d->funcs[i];

		if (f->osym < 0) {
			f->state = OD_NEW;
			continue;
		}
		f->why = compare_sym(d, f->sym, f->osym, true);
		f->state = f->why ? OD_CHANGED : OD_SAME;
	}
	/* a changed cold part changes its function */
	for (i = 0; i < d->nfuncs; i++) {
		struct od_func *f = &d->funcs[i], *parent;
		char *base;

		if (!is_cold(f->name) || f->state == OD_SAME)
			continue;
		base = xasprintf("%.*s", (int)(strstr(f->name, ".cold") - f->name), f->name);
		parent = objdiff_func(d, base);
		if (parent && parent->state == OD_SAME) {
			parent->state = OD_CHANGED;
			parent->why = "its .cold part";
		}
		free(base);
	}
	for (i = 0; i < d->nfuncs; i++) {
		struct od_func *f = &d->funcs[i];
		const char *secname = sec_of(&d->p, f->sym)->name;

		if (f->state != OD_CHANGED)
			continue;
		if (init_exit_sec(secname)) {
			od_error(d, "%s changed, but it is __init/__exit code (%s): a live patch cannot change code that already ran; split the fix: leave this part to the next boot, and do what must happen now in a post-patch callback (CLP_POST_PATCH in a .c patch)",
				 f->name, secname);
			continue;
		}
		if (is_cold(f->name))
			continue;
		f->include = true;
		f->replace = true;
	}
	close_inclusion(d);
	for (i = 0; i < d->nfuncs; i++) {
		struct od_func *f = &d->funcs[i];

		if (!f->replace)
			continue;
		if (GELF_ST_BIND(sym(&d->o, f->osym)->sym.st_info) == STB_WEAK) {
			od_error(d, "%s changed, but it is a weak definition: the running kernel may use another one; change the strong definition (the architecture's) instead",
				 f->name);
			continue;
		}
		if (!has_mcount(&d->o, f->osym)) {
			od_error(d, "%s changed, but it cannot be traced (notrace, noinstr, or inlined into such code), so clp cannot redirect it; split the fix: change its traceable callers instead (a .c patch can replace them)",
				 f->name);
		}
	}

	/* existing data must not change */
	for (i = 1; i < d->o.e->nsyms; i++) {
		const struct elf_sec *s = sec_of(&d->o, i);
		long p = d->o.pair[i];
		const char *why;

		if (!pairable(&d->o, i) || stype(&d->o, i) != STT_OBJECT || !s ||
		    !(s->sh.sh_flags & SHF_ALLOC) || is_text(s) || skip_data_sec(s->name) || p < 0)
			continue;
		why = compare_sym(d, p, i, false);
		if (why)
			od_error(d, "the data %s changed (%s): a live patch keeps the running kernel's data; keep the initial value in the diff and change the value in a post-patch callback (CLP_POST_PATCH in a .c patch), or keep new state in a shadow variable (clp_shadow_*)",
				 sym(&d->o, i)->name, why);
	}
	return 0;
}

size_t objdiff_nreplaced(const struct objdiff *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->nfuncs; i++)
		n += d->funcs[i].replace;
	return n;
}

void objdiff_explain(struct objdiff *d, char *(*changed)(void *ctx, const char *func), void *ctx)
{
	size_t i;

	for (i = 0; i < d->nfuncs && d->explain; i++) {
		struct od_func *f = &d->funcs[i];
		size_t len = strlen(f->name);
		char *how;

		if (f->refused) {
			/* the message without the name it starts with */
			od_note(d, "%s: refused: %s", f->name,
				f->refused + len + (f->refused[len] == ':') + 1);
		} else if (f->state == OD_SAME) {
			od_note(d, "%s: unchanged", f->name);
		} else if (f->state == OD_NEW) {
			if (f->include)
				od_note(d, "%s: new, used by %s: included", f->name, f->user);
			else
				od_note(d, "%s: new, not used by a changed function: left out",
					f->name);
		} else if (is_cold(f->name)) {
			if (f->include)
				od_note(d, "%s: changed cold part, comes with %s", f->name, f->user);
			else
				od_note(d, "%s: changed cold part of a function not replaced: left out",
					f->name);
		} else if (f->replace) {
			how = changed ? changed(ctx, f->name) : NULL;
			od_note(d, "%s: %s (first difference: %s)", f->name, how ? how : "changed",
				f->why);
			free(how);
		} else {
			od_note(d, "%s: changed, not replaced", f->name);
		}
	}
}

/* ---- writing ------------------------------------------------------------ */

struct writer {
	struct objdiff *d;
	const struct objdiff_out *out;
	struct elfout e;
	size_t *secmap;		/* patched section -> output section, or EO_UNDEF */
	size_t *symmap;		/* patched symbol -> output symbol, or EO_UNDEF */
	int64_t *shift;		/* patched section offset - output offset, per section */
	long block;		/* the source file's FILE block in vmlinux, -2 unknown */
	struct strmap posmarks;	/* local symbols given a position */
	struct strbuf markers;
};

static size_t out_sec_like(struct writer *w, const struct elf_sec *s, const char *name)
{
	size_t i;

	for (i = 0; i < w->e.nsecs; i++)
		if (!strcmp(w->e.secs[i].name, name))
			return i;
	return elfout_add_sec(&w->e, name, s->sh.sh_type, s->sh.sh_flags & ~SHF_GROUP,
			      s->sh.sh_addralign, s->sh.sh_entsize, NULL, 0);
}

static void convert_rel(struct writer *w, const GElf_Rela *r, size_t osec, uint64_t ooff,
			const char *user);

/* Copy a whole section of the patched object (strings, constants, alternatives). */
static size_t copy_section(struct writer *w, size_t sh, const char *user)
{
	const struct elf_sec *s = &w->d->p.e->secs[sh];
	size_t o, i;

	if (w->secmap[sh] != EO_UNDEF)
		return w->secmap[sh];
	o = elfout_add_sec(&w->e, s->name, s->sh.sh_type, s->sh.sh_flags & ~SHF_GROUP,
			   s->sh.sh_addralign, s->sh.sh_entsize, s->data ? s->data->d_buf : NULL,
			   s->sh.sh_size);
	w->secmap[sh] = o;
	w->shift[sh] = 0;
	for (i = 0; i < w->d->p.nrels[sh]; i++)
		convert_rel(w, &w->d->p.rels[sh][i].r, o, w->d->p.rels[sh][i].r.r_offset, user);
	return o;
}

/* The original object's named local functions and variables, in its order. */
static void own_locals(struct writer *w, char ***names, size_t *n)
{
	struct objdiff *d = w->d;
	size_t i;

	*names = NULL;
	*n = 0;
	for (i = 1; i < d->o.e->nsyms; i++) {
		const GElf_Sym *s = &sym(&d->o, i)->sym;
		unsigned char t = GELF_ST_TYPE(s->st_info);

		if (GELF_ST_BIND(s->st_info) != STB_LOCAL || (t != STT_FUNC && t != STT_OBJECT) ||
		    !defined(&d->o, i) || !*sym(&d->o, i)->name)
			continue;
		*names = xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = (char *)sym(&d->o, i)->name;
	}
}

/* The position of local symbol @name of the target module (@text: a function). */
static long module_pos(struct writer *w, const char *name, const char *user, bool text)
{
	char why[400], **names;
	size_t n;
	long pos;

	own_locals(w, &names, &n);
	pos = modsyms_pos(w->out->ms, name, text, names, n, why, sizeof(why));
	free(names);
	if (pos < 0)
		od_error(w->d, "%s uses %s: %s; name the symbol yourself in a .c patch (CLP_SYM_MOD(%s, %s, N)) or leave the function unchanged",
			 user, name, why, w->out->obj, name);
	return pos;
}

/*
 * The kallsyms position of the running kernel's local symbol @name from this
 * file: 0 if unique, or -1 after an error.
 */
static long local_pos(struct writer *w, const char *name, const char *user, bool text)
{
	struct objdiff *d = w->d;
	size_t count;
	long pos;

	if (w->out->ms)
		return module_pos(w, name, user, text);
	count = w->out->sf ? symfiles_count(w->out->sf, name) : 1;
	if (count == 0) {
		od_error(d, "%s uses %s, which is not in the running kernel's symbol table (GCC inlined or dropped it there): keep that use out of the changed code, or, for a function, add a copy of it under a new name to the diff",
			 user, name);
		return -1;
	}
	if (count == 1)
		return 0;
	if (w->block == -2) {
		char why[256];
		char **names;
		size_t n;

		own_locals(w, &names, &n);
		w->block = symfiles_block(w->out->sf, d->src, names, n, why, sizeof(why));
		free(names);
		if (w->block < 0) {
			od_error(d, "%s uses %s, and clp cannot tell which of the %zu symbols of that name is this file's (%s): name it in a .c patch (CLP_SYM_POS(%s, N)), or leave the function unchanged",
				 user, name, count, why, name);
			w->block = -1;
			return -1;
		}
	}
	if (w->block < 0)
		return -1;
	pos = symfiles_pos(w->out->sf, w->block, name);
	if (pos < 0)
		od_error(d, "%s uses %s, but vmlinux has no symbol of that name from %s (GCC inlined or renamed it there): leave that use out of the changed code, or name the symbol in a .c patch (CLP_SYM_POS)",
			 user, name, d->src);
	return pos;
}

/* The marker of a reference the core resolves: vmlinux locals of a position, and everything of a module. */
static void need_position(struct writer *w, const char *name, const char *user, bool local)
{
	long pos = 0;

	if (strmap_get(&w->posmarks, name))
		return;
	strmap_put(&w->posmarks, name);
	if (local) {
		pos = local_pos(w, name, user, false);
	} else if (w->out->ms && modsyms_count(w->out->ms, name, false) != 1) {
		od_error(w->d, "%s uses %s, which module %s defines %zu times: name the one meant in a .c patch (CLP_SYM_MOD(%s, %s, N))",
			 user, name, w->out->obj, modsyms_count(w->out->ms, name, false), w->out->obj,
			 name);
		return;
	}
	if (pos < 0 || (pos == 0 && !w->out->ms))
		return;
	sb_printf(&w->markers, "clp1%ckind=sym%cobj=%s%csym=%s%cpos=%ld%cfile=%s%cline=0%c%c", 0, 0,
		  w->out->obj, 0, name, 0, pos, 0, w->d->src, 0, 0, 0);
}

/* A reference to the running kernel's symbol that @ps of the patched object pairs. */
static size_t kernel_ref(struct writer *w, size_t ps, const char *user)
{
	struct objdiff *d = w->d;
	long o = d->p.pair[ps];
	const char *name;

	if (o < 0)
		return EO_UNDEF;
	name = sym(&d->o, o)->name;
	if (GELF_ST_BIND(sym(&d->o, o)->sym.st_info) == STB_LOCAL || w->out->ms)
		need_position(w, name, user, GELF_ST_BIND(sym(&d->o, o)->sym.st_info) == STB_LOCAL);
	return elfout_undef(&w->e, name);
}

/* Copy one object (a pr_debug descriptor) into the same-named output section. */
static size_t copy_object(struct writer *w, size_t ps, const char *user)
{
	struct objdiff *d = w->d;
	const GElf_Sym *s = &sym(&d->p, ps)->sym;
	const struct elf_sec *sec = sec_of(&d->p, ps);
	size_t o = out_sec_like(w, sec, sec->name), at, i;
	static const unsigned char zero[64];

	/* keep the section's alignment between entries */
	while (w->e.secs[o].size % (sec->sh.sh_addralign ? sec->sh.sh_addralign : 1))
		elfout_append(&w->e, o, zero, 1);
	at = elfout_append(&w->e, o, sec->data ? (unsigned char *)sec->data->d_buf + s->st_value : zero,
			   s->st_size);
	for (i = 0; i < d->p.nrels[sec->index]; i++) {
		const GElf_Rela *r = &d->p.rels[sec->index][i].r;

		if (r->r_offset >= s->st_value && r->r_offset < s->st_value + s->st_size)
			convert_rel(w, r, o, at + (r->r_offset - s->st_value), user);
	}
	w->symmap[ps] = elfout_add_sym(&w->e, sym(&d->p, ps)->name, STB_LOCAL, STT_OBJECT, o, at,
				       s->st_size);
	return w->symmap[ps];
}

static void convert_rel(struct writer *w, const GElf_Rela *r, size_t osec, uint64_t ooff,
			const char *user)
{
	struct objdiff *d = w->d;
	size_t rs = GELF_R_SYM(r->r_info), ts, out;
	unsigned int type = GELF_R_TYPE(r->r_info);
	const struct elf_sym *t;
	const struct elf_sec *tsec;
	int64_t off;

	if (!defined(&d->p, rs)) {
		const char *n = sym(&d->p, rs)->name;

		if (!*n) {
			od_error(d, "%s: a relocation against an unnamed undefined symbol: clp cannot tell what it points at; write the fix as a .c patch",
				 user);
			return;
		}
		if (w->out->ms && !strcmp(n, "__this_module")) {
			od_error(d, "%s uses THIS_MODULE of %s: in a live patch that would be the patch module; leave the function unchanged or replace it with a .c patch that finds the module",
				 user, w->out->obj);
			return;
		}
		if (w->out->ms && modsyms_defines_global(w->out->ms, n))
			need_position(w, n, user, false);
		elfout_add_rela(&w->e, osec, ooff, type, elfout_undef(&w->e, n), r->r_addend);
		return;
	}
	target(&d->p, r, &ts, &off);
	t = sym(&d->p, ts);
	tsec = sec_of(&d->p, ts);
	if (GELF_ST_TYPE(t->sym.st_info) == STT_NOTYPE && GELF_ST_BIND(t->sym.st_info) == STB_LOCAL &&
	    !is_text(tsec) && w->symmap[ts] == EO_UNDEF) {
		/* a label the assembler kept (.LC1 in inline asm): its section */
		if (tsec->sh.sh_flags & SHF_WRITE) {
			od_error(d, "%s uses writable data at the label %s in %s (inline assembly): clp cannot tell which of the running kernel's variables it is; keep that code out of the fix, or write it as a .c patch",
				 user, t->name, tsec->name);
			return;
		}
		out = copy_section(w, tsec->index, user);
		elfout_add_rela(&w->e, osec, ooff, type, w->e.secs[out].secsym,
				(int64_t)t->sym.st_value + off);
		return;
	}
	if (GELF_ST_TYPE(t->sym.st_info) == STT_SECTION) {
		/* no named symbol holds the place: strings, constants, alternatives */
		if (tsec->sh.sh_flags & SHF_WRITE) {
			od_error(d, "%s uses writable data in %s that has no symbol: clp cannot tell which of the running kernel's variables it is; keep new state in a shadow variable (clp_shadow_*), or write the fix as a .c patch",
				 user, tsec->name);
			return;
		}
		if (is_text(tsec) && w->secmap[tsec->index] == EO_UNDEF &&
		    strcmp(tsec->name, ".altinstr_replacement") && strcmp(tsec->name, ".altinstr_aux")) {
			od_error(d, "%s points into %s+0x%llx, which belongs to no function (assembly or a jump table clp cannot follow): write the fix as a .c patch",
				 user, tsec->name, (unsigned long long)r->r_addend);
			return;
		}
		out = copy_section(w, tsec->index, user);
		elfout_add_rela(&w->e, osec, ooff, type, w->e.secs[out].secsym,
				r->r_addend - w->shift[tsec->index]);
		return;
	}
	if (w->symmap[ts] != EO_UNDEF) {
		const struct eo_sym *y = &w->e.syms[w->symmap[ts]];

		/* as the compiler wrote it: objtool reads a jump to a symbol as a call */
		if (GELF_ST_TYPE(sym(&d->p, rs)->sym.st_info) == STT_SECTION && y->sec != EO_UNDEF)
			elfout_add_rela(&w->e, osec, ooff, type, w->e.secs[y->sec].secsym,
					(int64_t)y->value + off);
		else
			elfout_add_rela(&w->e, osec, ooff, type, w->symmap[ts], off);
		return;
	}
	if (!strcmp(tsec->name, "__dyndbg")) {
		elfout_add_rela(&w->e, osec, ooff, type, copy_object(w, ts, user), off);
		return;
	}
	if (d->p.pair[ts] >= 0) {
		out = kernel_ref(w, ts, user);
		elfout_add_rela(&w->e, osec, ooff, type, out, off);
		return;
	}
	/* new, and not an included function */
	if (GELF_ST_TYPE(t->sym.st_info) == STT_OBJECT && !(tsec->sh.sh_flags & SHF_WRITE)) {
		out = copy_section(w, tsec->index, user);
		elfout_add_rela(&w->e, osec, ooff, type, w->e.secs[out].secsym,
				(int64_t)t->sym.st_value + off);
		return;
	}
	if (GELF_ST_TYPE(t->sym.st_info) == STT_OBJECT) {
		od_error(d, "%s uses the new variable %s: a variable a live patch adds would not survive the next cumulative patch; keep new state in a shadow variable (clp_shadow_*)",
			 user, t->name);
		return;
	}
	od_error(d, "%s uses %s, which the running kernel does not have and clp cannot carry (not a function of the object: a label in assembly?): keep that code out of the fix, or write the fix as a .c patch",
		 user, t->name);
}

/* Copy function @f into its own output section. */
static void write_func(struct writer *w, struct od_func *f)
{
	struct objdiff *d = w->d;
	const GElf_Sym *s = &sym(&d->p, f->sym)->sym;
	const struct elf_sec *sec = sec_of(&d->p, f->sym);
	uint64_t start = s->st_value, end = s->st_value + s->st_size;
	char *name;
	size_t o, i, nfuncs = 0;

	for (i = 1; i < d->p.e->nsyms; i++)
		if (sym(&d->p, i)->sym.st_shndx == sec->index && stype(&d->p, i) == STT_FUNC)
			nfuncs++;
	if (nfuncs == 1) {
		/* the whole section: padding before the function and after it */
		start = 0;
		end = sec->sh.sh_size;
		name = xstrdup(sec->name);
	} else {
		name = xasprintf("%s.%s", is_cold(f->name) ? ".text.unlikely" : ".text", f->name);
	}
	o = elfout_add_sec(&w->e, name, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
			   sec->sh.sh_addralign, 0, (unsigned char *)sec->data->d_buf + start,
			   end - start);
	free(name);
	if (nfuncs == 1) {
		w->secmap[sec->index] = o;
		w->shift[sec->index] = 0;
	}
	w->symmap[f->sym] = elfout_add_sym(&w->e, f->name, STB_LOCAL, STT_FUNC, o,
					   s->st_value - start, s->st_size);
}

static void write_func_rels(struct writer *w, struct od_func *f)
{
	struct objdiff *d = w->d;
	const GElf_Sym *s = &sym(&d->p, f->sym)->sym;
	size_t sh = s->st_shndx, o = w->e.syms[w->symmap[f->sym]].sec, i;
	uint64_t start = s->st_value - w->e.syms[w->symmap[f->sym]].value;

	for (i = 0; i < d->p.nrels[sh]; i++) {
		const GElf_Rela *r = &d->p.rels[sh][i].r;

		if (r->r_offset < start || r->r_offset >= start + w->e.secs[o].size)
			continue;
		convert_rel(w, r, o, r->r_offset - start, f->name);
	}
}

/*
 * Which output section and offset does the patched place (sym + addend)
 * land in, and in which function?
 */
static bool out_place(struct writer *w, const GElf_Rela *r, size_t *osec, uint64_t *ooff,
		      const char **fname)
{
	struct objdiff *d = w->d;
	const GElf_Sym *s = &sym(&d->p, GELF_R_SYM(r->r_info))->sym;
	size_t i;

	if (!defined(&d->p, GELF_R_SYM(r->r_info)))
		return false;
	for (i = 0; i < d->nfuncs; i++) {
		const struct od_func *f = &d->funcs[i];
		const GElf_Sym *fs = &sym(&d->p, f->sym)->sym;
		const struct eo_sym *os;
		int64_t at = (int64_t)s->st_value + r->r_addend, start;

		if (!f->include || fs->st_shndx != s->st_shndx)
			continue;
		os = &w->e.syms[w->symmap[f->sym]];
		start = (int64_t)fs->st_value - (int64_t)os->value;
		if (at >= start && at < start + (int64_t)w->e.secs[os->sec].size) {
			*osec = os->sec;
			*ooff = at - start;
			*fname = f->name;
			return true;
		}
	}
	return false;
}

/* Is the reference in output relocation @q one the module loader can resolve? */
static bool loader_resolves(struct writer *w, const struct eo_rela *q)
{
	const struct eo_sym *y = &w->e.syms[q->sym];

	if (y->sec != EO_UNDEF)
		return true;
	return w->out->exported && w->out->exported(w->out->ctx, y->name);
}

/*
 * The tables objtool makes (ORC, return, retpoline and call sites).  When
 * objtool runs on the linked patch module it makes them for every unit,
 * unless a unit already brings one: then it skips that table for the whole
 * module ("file already has .return_sites, skipping").  A module's object
 * has them (objtool ran on it), vmlinux's objects do not yet (objtool runs
 * on vmlinux.o), so a module unit's copies would leave the functions of
 * the vmlinux units of the same patch without return sites, call sites
 * and ORC.
 */
static bool objtool_table(const char *name)
{
	return !strcmp(name, ".orc_unwind_ip") || !strcmp(name, ".return_sites") ||
	       !strcmp(name, ".retpoline_sites") || !strcmp(name, ".call_sites");
}

static void write_tables(struct writer *w)
{
	struct objdiff *d = w->d;
	size_t t, i, k;
	struct elf_sec *orc = elfobj_find_sec(d->p.e, ".orc_unwind");
	size_t orc_out = EO_UNDEF;

	for (t = 0; t < NTABLES; t++) {
		struct elf_sec *s = elfobj_find_sec(d->p.e, tables[t].name);
		size_t es, per = tables[t].rels, o = EO_UNDEF;

		if (!s || (w->out->objtool_later && objtool_table(s->name)))
			continue;
		es = entry_size(&d->p, s, per);
		if (!es) {
			if (d->p.nrels[s->index])
				od_error(d, "section %s: cannot read its entries (%zu relocations, %llu bytes): clp does not know this layout; write the fix as a .c patch",
					 s->name, d->p.nrels[s->index],
					 (unsigned long long)s->sh.sh_size);
			continue;
		}
		for (i = 0; i < d->p.nrels[s->index]; i += per) {
			const GElf_Rela *a = &d->p.rels[s->index][i].r;
			size_t fsec, at, before;
			uint64_t foff;
			const char *fname;

			if (!out_place(w, a, &fsec, &foff, &fname))
				continue;
			if (o == EO_UNDEF)
				o = out_sec_like(w, s, s->name);
			before = w->e.secs[o].nrelas;
			at = elfout_append(&w->e, o, s->data ? (unsigned char *)s->data->d_buf + a->r_offset : NULL, es);
			elfout_add_rela(&w->e, o, at, GELF_R_TYPE(a->r_info), w->e.secs[fsec].secsym,
					(int64_t)foff);
			for (k = 1; k < per; k++) {
				const GElf_Rela *r = &d->p.rels[s->index][i + k].r;

				convert_rel(w, r, o, at + (r->r_offset - a->r_offset), fname);
			}
			if (!strcmp(s->name, "__jump_table") && w->e.secs[o].nrelas == before + per &&
			    !loader_resolves(w, &w->e.secs[o].relas[before + 2])) {
				od_error(d, "%s uses the static key %s (a jump label), which is not exported: the module loader cannot register it; keep static_branch() and tracepoints out of the changed code, or write the fix as a .c patch that does without them",
					 fname, w->e.syms[w->e.secs[o].relas[before + 2].sym].name);
			}
			if (!strcmp(s->name, ".static_call_sites") && w->e.secs[o].nrelas == before + per &&
			    !loader_resolves(w, &w->e.secs[o].relas[before + 1])) {
				/* not exported: the call goes through the trampoline */
				w->e.secs[o].nrelas = before;
				w->e.secs[o].size -= es;
				continue;
			}
			if (!strcmp(s->name, ".orc_unwind_ip") && orc && orc->data) {
				size_t idx = a->r_offset / es;

				if (orc_out == EO_UNDEF)
					orc_out = out_sec_like(w, orc, orc->name);
				elfout_append(&w->e, orc_out, (unsigned char *)orc->data->d_buf + idx * 6, 6);
			}
		}
	}
}

int objdiff_write(struct objdiff *d, const struct objdiff_out *out)
{
	static const unsigned char endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	struct writer w = { .d = d, .out = out, .block = -2 };
	size_t i, n = 0, noendbr = EO_UNDEF;
	int errors = d->errors;
	char err[600];

	w.secmap = xmalloc(d->p.e->nsecs * sizeof(*w.secmap));
	w.shift = xcalloc(d->p.e->nsecs, sizeof(*w.shift));
	w.symmap = xmalloc(d->p.e->nsyms * sizeof(*w.symmap));
	for (i = 0; i < d->p.e->nsecs; i++)
		w.secmap[i] = EO_UNDEF;
	for (i = 0; i < d->p.e->nsyms; i++)
		w.symmap[i] = EO_UNDEF;

	for (i = 0; i < d->nfuncs; i++)
		if (d->funcs[i].include)
			write_func(&w, &d->funcs[i]);
	for (i = 0; i < d->nfuncs; i++)
		if (d->funcs[i].include)
			write_func_rels(&w, &d->funcs[i]);
	write_tables(&w);

	for (i = 0; i < d->nfuncs; i++) {
		struct od_func *f = &d->funcs[i];
		char *alias;
		const struct eo_sym *y;
		long pos = 0;

		if (!f->replace)
			continue;
		y = &w.e.syms[w.symmap[f->sym]];
		if (y->size < 4 || memcmp(w.e.secs[y->sec].data + y->value, endbr64, 4)) {
			/*
			 * GCC gave no ENDBR to a function whose address C never
			 * takes (a clone, a static function); the glue's table
			 * takes it, but nothing calls it indirectly: ftrace
			 * returns into it.  Say so to objtool (--ibt).
			 */
			static const unsigned char zero4[4];

			if (noendbr == EO_UNDEF)
				noendbr = elfout_add_sec(&w.e, ".discard.noendbr", SHT_PROGBITS, 0, 1, 0,
							 NULL, 0);
			elfout_add_rela(&w.e, noendbr, elfout_append(&w.e, noendbr, zero4, 4),
					R_X86_64_32, w.e.secs[y->sec].secsym, (int64_t)y->value);
		}
		alias = xasprintf("__clp_new_%d_d%zu", out->unit, n++);
		elfout_add_sym(&w.e, alias, STB_GLOBAL, STT_FUNC, y->sec, y->value, y->size);
		if (GELF_ST_BIND(sym(&d->o, f->osym)->sym.st_info) == STB_LOCAL)
			pos = local_pos(&w, f->oname, f->name, true);
		sb_printf(&w.markers,
			  "clp1%ckind=func%cobj=%s%cold=%s%cfn=%s%cnew=%s%cpos=%ld%cflags=0%cpatches=%s%cfile=%s%cline=0%c%c",
			  0, 0, out->obj, 0, f->oname, 0, f->name, 0, alias, 0, pos < 0 ? 0 : pos, 0, 0,
			  f->credit ? f->credit : "", 0, d->src, 0, 0, 0);
		free(alias);
	}
	elfout_add_sec(&w.e, MARKER_SECTION, SHT_PROGBITS, 0, 1, 0, w.markers.buf, w.markers.len);
	if (d->errors == errors && elfout_write(&w.e, out->path, err, sizeof(err)))
		od_error(d, "writing the unit: %s", err);
	elfout_free(&w.e);
	strmap_free(&w.posmarks);
	sb_free(&w.markers);
	free(w.secmap);
	free(w.shift);
	free(w.symmap);
	return d->errors == errors ? 0 : -1;
}

void objdiff_free(struct objdiff *d)
{
	struct od_obj *x[2] = { &d->o, &d->p };
	size_t i, k;

	for (k = 0; k < 2; k++) {
		if (!x[k]->e)
			continue;
		for (i = 0; i < x[k]->e->nsecs; i++)
			free(x[k]->rels[i]);
		free(x[k]->rels);
		free(x[k]->nrels);
		free(x[k]->pair);
	}
	for (i = 0; i < d->nfuncs; i++) {
		free(d->funcs[i].credit);
		free(d->funcs[i].refused);
	}
	free(d->funcs);
	memset(d, 0, sizeof(*d));
}
