// SPDX-License-Identifier: GPL-2.0
/*
 * References from patch code into a module M whose functions the set
 * replaces.  The core resolves such a reference (a struct clp_reloc) when
 * M loads and clears it when M goes, writing the patch module's text while
 * other CPUs may execute it.  That is safe only in code that cannot run
 * while M is absent or changing: the replacements the set installs in M
 * (the core switches them with M) and local helpers that only those call.
 * Any other function with such a reference (a vmlinux replacement calling
 * a non-exported helper of M, say) is refused here.
 *
 * The call graph of one unit's object: every relocation in an executable
 * section is an edge from the function containing it to the function it
 * names; calls that the assembler resolved itself (a local function in the
 * same section) carry no relocation, so the text is also scanned for call
 * and jump instructions (E8/E9 rel32, EB rel8, 0F 8x rel32, 7x rel8) that
 * land exactly on a function's first byte.  A byte pattern that only looks
 * like such an instruction adds a caller that does not exist: that can
 * refuse a helper, never let one through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

struct fnode {
	size_t sym;		/* a symbol of the function (the first seen) */
	size_t shndx;
	GElf_Addr start, end;
	bool local;		/* every symbol at that address is local */
	bool allowed;
	bool data_ref;		/* referenced from outside any function */
};

struct edge {
	size_t from, to;	/* fnode indexes */
};

struct graph {
	struct fnode *n;
	size_t nn;
	struct edge *e;
	size_t ne;
};

static long node_at(const struct graph *g, size_t shndx, GElf_Addr off, bool exact)
{
	size_t i;

	for (i = 0; i < g->nn; i++)
		if (g->n[i].shndx == shndx &&
		    (exact ? off == g->n[i].start : off >= g->n[i].start && off < g->n[i].end))
			return (long)i;
	return -1;
}

static void add_edge(struct graph *g, long from, long to)
{
	if (to < 0)
		return;
	if (from < 0) {		/* from data or from code outside any function */
		g->n[to].data_ref = true;
		return;
	}
	if (from == to)
		return;
	g->e = xrealloc(g->e, (g->ne + 1) * sizeof(*g->e));
	g->e[g->ne++] = (struct edge){ .from = (size_t)from, .to = (size_t)to };
}

static bool is_pcrel(unsigned int type)
{
	return type == R_X86_64_PC32 || type == R_X86_64_PLT32;
}

static bool has_reloc_at(struct elf_obj *o, const struct elf_sec *rs, GElf_Addr off)
{
	size_t j;
	GElf_Rela r;

	for (j = 0; rs && j < elfobj_rela_count(rs); j++)
		if (!elfobj_get_rela(o, rs, j, &r) && r.r_offset == off)
			return true;
	return false;
}

/* Branches the assembler resolved within one executable section. */
static void scan_branches(struct graph *g, struct elf_obj *o, const struct elf_sec *t,
			  const struct elf_sec *rs)
{
	const unsigned char *b = t->data ? t->data->d_buf : NULL;
	size_t size = t->data ? t->data->d_size : 0, i;

	for (i = 0; b && i < size; i++) {
		size_t disp_at, len;
		int64_t disp;
		long to;

		if (b[i] == 0xe8 || b[i] == 0xe9) {
			disp_at = i + 1;
			len = 5;
		} else if (b[i] == 0x0f && i + 1 < size && (b[i + 1] & 0xf0) == 0x80) {
			disp_at = i + 2;
			len = 6;
		} else if (b[i] == 0xeb || (b[i] & 0xf0) == 0x70) {
			disp_at = i + 1;
			len = 2;
		} else {
			continue;
		}
		if (i + len > size)
			continue;
		if (len == 2)
			disp = (int8_t)b[disp_at];
		else
			disp = (int32_t)((uint32_t)b[disp_at] | (uint32_t)b[disp_at + 1] << 8 |
					 (uint32_t)b[disp_at + 2] << 16 | (uint32_t)b[disp_at + 3] << 24);
		if (len != 2 && has_reloc_at(o, rs, disp_at))
			continue;	/* the relocation is the edge */
		if ((int64_t)(i + len) + disp < 0)
			continue;
		to = node_at(g, t->index, (GElf_Addr)((int64_t)(i + len) + disp), true);
		if (to >= 0)
			add_edge(g, node_at(g, t->index, i, false), to);
	}
}

/*
 * Sections whose relocations are pointers the patch's code can call
 * through.  Other non-executable sections that point into code are the
 * toolchain's and the kernel's metadata (ftrace call sites, ORC, retpoline
 * and return sites, alternatives, exception and bug tables): no calls.
 */
static bool pointer_section(const char *name)
{
	return !strcmp(name, ".data") || str_starts(name, ".data.") ||
	       !strcmp(name, ".rodata") || str_starts(name, ".rodata.") ||
	       str_starts(name, ".init.data") || str_starts(name, ".exit.data");
}

static void build_graph(struct graph *g, struct elf_obj *o)
{
	size_t i, j;

	for (i = 1; i < o->nsyms; i++) {
		const GElf_Sym *s = &o->syms[i].sym;
		long k;

		if (GELF_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
		    s->st_shndx >= o->nsecs || !s->st_size)
			continue;
		k = node_at(g, s->st_shndx, s->st_value, true);
		if (k >= 0) {
			g->n[k].local &= GELF_ST_BIND(s->st_info) == STB_LOCAL;
			continue;
		}
		g->n = xrealloc(g->n, (g->nn + 1) * sizeof(*g->n));
		g->n[g->nn++] = (struct fnode){
			.sym = i, .shndx = s->st_shndx, .start = s->st_value,
			.end = s->st_value + s->st_size,
			.local = GELF_ST_BIND(s->st_info) == STB_LOCAL,
		};
	}
	for (i = 1; i < o->nsecs; i++) {
		const struct elf_sec *rs = &o->secs[i];
		struct elf_sec *t = elfobj_rela_alloc_target(o, rs);

		if (!t)
			continue;
		for (j = 0; j < elfobj_rela_count(rs); j++) {
			GElf_Rela r;
			const GElf_Sym *s;
			size_t si;
			long from, to = -1;

			if (elfobj_get_rela(o, rs, j, &r))
				continue;	/* analyze_refs() reported it */
			si = GELF_R_SYM(r.r_info);
			if (!si || si >= o->nsyms)
				continue;
			s = &o->syms[si].sym;
			if (GELF_ST_TYPE(s->st_info) == STT_FUNC)
				to = node_at(g, s->st_shndx, s->st_value, true);
			else if (GELF_ST_TYPE(s->st_info) == STT_SECTION)
				to = node_at(g, s->st_shndx,
					     (GElf_Addr)(r.r_addend +
							 (is_pcrel(GELF_R_TYPE(r.r_info)) ? 4 : 0)),
					     false);
			if (to < 0)
				continue;
			if (t->sh.sh_flags & SHF_EXECINSTR) {
				/* -1 outside any function (.altinstr_replacement,
				 * ...): an unknown caller, as conservative as data */
				from = node_at(g, t->index, r.r_offset, false);
			} else if (pointer_section(t->name)) {
				from = -1;	/* a function pointer in data */
			} else {
				continue;	/* metadata: __mcount_loc, .orc_unwind_ip, ... */
			}
			add_edge(g, from, to);
		}
	}
	for (i = 1; i < o->nsecs; i++) {
		const struct elf_sec *t = &o->secs[i], *rs = NULL;

		if (t->sh.sh_type != SHT_PROGBITS || !(t->sh.sh_flags & SHF_EXECINSTR))
			continue;
		for (j = 1; j < o->nsecs; j++)
			if (o->secs[j].sh.sh_type == SHT_RELA && elfobj_rela_target(o, &o->secs[j]) == t)
				rs = &o->secs[j];
		scan_branches(g, o, t, rs);
	}
}

/* Mark the replacements @unit installs in @mod and the helpers only they call. */
static void mark_allowed(struct graph *g, const struct analysis *a, struct elf_obj *o, int unit,
			 const char *mod)
{
	size_t i, k;
	bool changed = true;

	for (i = 0; i < g->nn; i++)
		g->n[i].allowed = false;
	for (i = 0; i < a->nmarkers; i++) {
		const struct marker *m = &a->markers[i];

		if (m->kind != MK_FUNC || m->unit != unit || strcmp(m->obj, mod))
			continue;
		for (k = 1; k < o->nsyms; k++) {
			long n;

			if (strcmp(o->syms[k].name, m->newsym))
				continue;
			n = node_at(g, o->syms[k].sym.st_shndx, o->syms[k].sym.st_value, true);
			if (n >= 0)
				g->n[n].allowed = true;
		}
	}
	while (changed) {
		changed = false;
		for (i = 0; i < g->nn; i++) {
			bool callers = false, ok = true;

			if (g->n[i].allowed || !g->n[i].local || g->n[i].data_ref)
				continue;
			for (k = 0; k < g->ne && ok; k++) {
				if (g->e[k].to != i)
					continue;
				callers = true;
				ok = g->n[g->e[k].from].allowed;
			}
			if (callers && ok) {
				g->n[i].allowed = true;
				changed = true;
			}
		}
	}
}

/* Whether the set has an object for module @obj (functions or callbacks). */
static bool set_has_object(const struct analysis *a, const char *obj)
{
	size_t i;

	if (!strcmp(obj, "vmlinux"))
		return false;
	for (i = 0; i < a->nmarkers; i++)
		if ((a->markers[i].kind == MK_FUNC || a->markers[i].kind == MK_CALLBACK) &&
		    !strcmp(a->markers[i].obj, obj))
			return true;
	return false;
}

int analyze_module_refs(struct analysis *a, struct elf_obj *o, int unit)
{
	const struct unit *u = analysis_unit(a, unit);
	FILE *f = a->diag ? a->diag : stderr;
	struct graph g = { 0 };
	struct strmap reported = { 0 };
	const char *marked = NULL;
	size_t i;
	bool built = false;

	for (i = 0; i < a->nrefs; i++) {
		const struct ref *r = &a->refs[i];
		const struct elf_sec *t;
		char *key;
		long n;

		if (r->unit != unit || !set_has_object(a, r->obj) || r->sec >= o->nsecs)
			continue;
		t = &o->secs[r->sec];
		if (!(t->sh.sh_flags & SHF_EXECINSTR))
			continue;	/* data: a pointer is swapped whole, no code changes */
		if (!built) {
			build_graph(&g, o);
			built = true;
		}
		if (!marked || strcmp(marked, r->obj)) {
			mark_allowed(&g, a, o, unit, r->obj);
			marked = r->obj;
		}
		n = node_at(&g, r->sec, r->offset, false);
		if (n >= 0 && g.n[n].allowed)
			continue;
		/* one message per function and symbol */
		key = n >= 0 ? xasprintf("%ld %s %s", n, r->sym, r->obj) :
			       xasprintf("%zu+%llx %s", r->sec, (unsigned long long)r->offset, r->sym);
		if (strmap_get(&reported, key)) {
			free(key);
			continue;
		}
		strmap_put(&reported, key);
		free(key);
		if (n >= 0)
			fprintf(f, "%s: error: %s refers to %s of module %s but is neither a function the set replaces in %s nor called only by one; the core rewrites that reference when %s loads or unloads, while %s may run\n",
				u ? u->src : o->path, o->syms[g.n[n].sym].name, r->sym, r->obj,
				r->obj, r->obj, o->syms[g.n[n].sym].name);
		else
			fprintf(f, "%s: error: code at %s+0x%llx outside any function refers to %s of module %s; only functions the set replaces in %s (and helpers only they call) may\n",
				u ? u->src : o->path, t->name, (unsigned long long)r->offset, r->sym,
				r->obj, r->obj);
		a->errors++;
	}
	strmap_free(&reported);
	free(g.n);
	free(g.e);
	return 0;
}
