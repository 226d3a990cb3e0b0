// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * clp-index [-n OBJECT] [--keep-init] [--stats] FILE... - the inline index
 * of kernel objects with DWARF (vmlinux, a module's debug .ko, any -g object):
 * for every function that is inlined somewhere and also exists out of
 * line (a text symbol of the object, or a clone foo.isra.0 of it, so a
 * possible CLP_FUNC target), the
 * out-of-line functions that contain an inlined copy of it.  Per file, a
 * line "# object <object>" (the object is indexed, even with no entries),
 * then one line per function on stdout:
 *
 *     <object>\t<function>\t<caller> <caller> ...
 *
 * <object> is -n OBJECT, else "vmlinux" for a file named vmlinux*, else the
 * module name of the file (base name without .ko, '-' as '_').  A caller
 * is the symbol at the entry of the concrete DW_TAG_subprogram that
 * encloses the DW_TAG_inlined_subroutine (nested inlining counts for the
 * outermost function, where the code is), so GCC clones are named as
 * kallsyms names them (bar.isra.0).  Callers in .init.* sections of
 * vmlinux are left out (that code ran at boot and was freed) unless
 * --keep-init.  tools/fetch-symbols builds $CLP_CACHE/kernels/REL/inlines
 * from linux-image-REL-dbg with it; 'clp build' reads it.
 *
 * clp-index --symfiles FILE - the local symbols of FILE's .symtab grouped
 * by the STT_FILE symbol before them, in symbol table order (System.map has
 * no file information; the lead-in of a static function tells two of the
 * same name apart):
 *
 *     # clp symfiles 1
 *     F <file symbol name>
 *     <address, hex> <size, decimal> <t|d> <name>
 *
 * one "F" line per FILE symbol (also for a file without symbols), then each
 * named LOCAL symbol of type FUNC (t) or OBJECT (d) up to the next "F".
 * Section symbols, NOTYPE and nameless symbols are left out; locals before
 * the first FILE symbol (none in a kernel) go under "F -".
 * tools/fetch-symbols builds $CLP_CACHE/kernels/REL/symfiles with it.
 *
 * Exit status 0, 1 if a file has no DWARF (no .symtab for --symfiles) or
 * cannot be read (a message on stderr), 2 bad command line.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

struct indexer {
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	bool keep_init;
	bool is_vmlinux;
	struct strmap text;	/* text symbol names of the object, up to the
				 * first '.' (the source function's name) */
	struct strmap funcs;	/* inlined function -> struct callers * */
	struct strmap pairs;	/* "func\tcaller" seen */
	unsigned long inlined, skipped_init;
};

struct callers {
	char **names;
	size_t n;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp-index [-n OBJECT] [--keep-init] [--stats] FILE...\n"
"       clp-index --symfiles FILE\n"
"\n"
"Print the inline index of kernel objects with DWARF: for each function that\n"
"is inlined somewhere and also exists as a text symbol, the out-of-line\n"
"functions containing an inlined copy (\"OBJECT<TAB>FUNC<TAB>CALLER ...\").\n"
"\n"
"  -n, --name OBJECT  the object name to print (default: vmlinux for vmlinux*,\n"
"                     else the module name of the file)\n"
"      --keep-init    keep callers in .init sections of vmlinux\n"
"      --stats        print counts on stderr\n"
"      --symfiles     print FILE's local functions and objects grouped by\n"
"                     their FILE symbol instead (\"# clp symfiles 1\")\n");
}

static char *object_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *n, *p;

	base = base ? base + 1 : path;
	if (str_starts(base, "vmlinux"))
		return xstrdup("vmlinux");
	n = xstrdup(base);
	if (str_ends(n, ".ko"))
		n[strlen(n) - 3] = '\0';
	else if (str_ends(n, ".ko.debug"))
		n[strlen(n) - 9] = '\0';
	for (p = n; *p; p++)
		if (*p == '-')
			*p = '_';
	return n;
}

static const char *section_name(Elf *elf, GElf_Word shndx)
{
	size_t shstrndx;
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (!elf || shndx == SHN_UNDEF || elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	scn = elf_getscn(elf, shndx);
	if (!scn || !gelf_getshdr(scn, &sh))
		return NULL;
	return elf_strptr(elf, shstrndx, sh.sh_name);
}

static void collect_text(struct indexer *x)
{
	int n = dwfl_module_getsymtab(x->mod), i;

	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(x->mod, i, &sym, &addr, &shndx,
							   NULL, NULL);

		if (name && *name && GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
		    shndx != SHN_UNDEF) {
			/* foo.isra.0 is foo's code too: index foo */
			char *base = xasprintf("%.*s", (int)strcspn(name, "."), name);

			strmap_put(&x->text, base);
			free(base);
		}
	}
}

/*
 * The name of the out-of-line function @die (a concrete DW_TAG_subprogram):
 * the symbol at its entry, else its DWARF name.  NULL for code to skip
 * (.init of vmlinux) or a function without code.
 */
static const char *caller_name(struct indexer *x, Dwarf_Die *die, bool *init)
{
	Dwarf_Addr pc;
	GElf_Off off;
	GElf_Sym sym;
	GElf_Word shndx;
	Elf *elf = NULL;
	Dwarf_Addr bias;
	const char *name, *sec;

	*init = false;
	if (dwarf_entrypc(die, &pc) != 0 && dwarf_lowpc(die, &pc) != 0) {
		Dwarf_Addr base, start, end;

		if (dwarf_ranges(die, 0, &base, &start, &end) <= 0)
			return NULL;
		pc = start;
	}
	name = dwfl_module_addrinfo(x->mod, pc + x->bias, &off, &sym, &shndx, &elf, &bias);
	if (name && off == 0) {
		sec = section_name(elf, shndx);
		if (x->is_vmlinux && !x->keep_init && sec && str_starts(sec, ".init"))
			*init = true;
		return name;
	}
	return dwarf_diename(die);
}

static void add_pair(struct indexer *x, const char *func, const char *caller)
{
	char *key = xasprintf("%s\t%s", func, caller);
	struct strmap_ent *e;
	struct callers *c;

	x->inlined++;
	if (strmap_get(&x->pairs, key)) {
		free(key);
		return;
	}
	strmap_put(&x->pairs, key);
	free(key);
	e = strmap_put(&x->funcs, func);
	if (!e->ptr)
		e->ptr = xcalloc(1, sizeof(struct callers));
	c = e->ptr;
	c->names = xrealloc(c->names, (c->n + 1) * sizeof(char *));
	c->names[c->n++] = xstrdup(caller);
}

/* Walk the children of @die; @caller is the enclosing out-of-line function. */
static void walk(struct indexer *x, Dwarf_Die *die, const char *caller, bool in_init)
{
	Dwarf_Die child;

	if (dwarf_child(die, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);
		const char *c = caller;
		bool init = in_init;

		if (tag == DW_TAG_subprogram) {
			/* abstract instances and declarations have no code */
			if (!dwarf_hasattr(&child, DW_AT_low_pc) &&
			    !dwarf_hasattr(&child, DW_AT_ranges) &&
			    !dwarf_hasattr(&child, DW_AT_entry_pc))
				continue;
			c = caller_name(x, &child, &init);
			if (!c)
				continue;
		} else if (tag == DW_TAG_inlined_subroutine && caller) {
			const char *name = dwarf_diename(&child);

			if (name && strmap_get(&x->text, name) && strcmp(name, caller)) {
				if (in_init)
					x->skipped_init++;
				else
					add_pair(x, name, caller);
			}
		}
		if (c)
			walk(x, &child, c, init);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_index(struct indexer *x, const char *obj, FILE *out)
{
	char **names = xcalloc(x->funcs.n + 1, sizeof(char *));
	size_t i, k, n = 0;

	for (i = 0; i < x->funcs.cap; i++)
		if (x->funcs.ents[i].key)
			names[n++] = x->funcs.ents[i].key;
	qsort(names, n, sizeof(char *), cmp_str);
	for (i = 0; i < n; i++) {
		struct callers *c = strmap_get(&x->funcs, names[i])->ptr;

		qsort(c->names, c->n, sizeof(char *), cmp_str);
		fprintf(out, "%s\t%s\t", obj, names[i]);
		for (k = 0; k < c->n; k++)
			fprintf(out, "%s%s", k ? " " : "", c->names[k]);
		fputc('\n', out);
	}
	free(names);
}

static void indexer_free(struct indexer *x)
{
	size_t i, k;

	for (i = 0; i < x->funcs.cap; i++) {
		struct callers *c = x->funcs.ents[i].key ? x->funcs.ents[i].ptr : NULL;

		if (!c)
			continue;
		for (k = 0; k < c->n; k++)
			free(c->names[k]);
		free(c->names);
		free(c);
	}
	strmap_free(&x->funcs);
	strmap_free(&x->pairs);
	strmap_free(&x->text);
}

static int index_file(const char *path, const char *objname, bool keep_init, bool stats)
{
	static char *debuginfo_path = "/nonexistent";
	static const Dwfl_Callbacks cb = {
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = &debuginfo_path,
	};
	struct indexer x = { .keep_init = keep_init };
	char *obj = objname ? xstrdup(objname) : object_name(path);
	Dwfl *dwfl = dwfl_begin(&cb);
	Dwarf_Die *cu;
	Dwarf_Addr cubias;
	int rc = 0;

	x.is_vmlinux = !strcmp(obj, "vmlinux");
	if (!dwfl) {
		err_msg("%s: %s", path, dwfl_errmsg(-1));
		free(obj);
		return 1;
	}
	dwfl_report_begin(dwfl);
	x.mod = dwfl_report_offline(dwfl, obj, path, -1);
	dwfl_report_end(dwfl, NULL, NULL);
	if (!x.mod || !dwfl_module_getdwarf(x.mod, &x.bias)) {
		fprintf(stderr, "clp-index: %s: no DWARF (%s)\n", path, dwfl_errmsg(-1));
		rc = 1;
		goto out;
	}
	collect_text(&x);
	for (cu = NULL; (cu = dwfl_module_nextcu(x.mod, cu, &cubias));)
		walk(&x, cu, NULL, false);
	printf("# object %s\n", obj);
	print_index(&x, obj, stdout);
	if (stats)
		fprintf(stderr, "clp-index: %s: %zu functions, %zu callers, %lu inlined copies, %lu in .init skipped\n",
			obj, x.funcs.n, x.pairs.n, x.inlined, x.skipped_init);
out:
	indexer_free(&x);
	dwfl_end(dwfl);
	free(obj);
	return rc;
}

/* --symfiles: see the comment at the top */
static int symfiles(const char *path, FILE *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 1;
	Elf *elf = NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf_Data *data;
	bool in_file = false;
	size_t i, n;

	if (fd < 0) {
		fprintf(stderr, "clp-index: %s: %s\n", path, strerror(errno));
		return 1;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		fprintf(stderr, "clp-index: %s: not an ELF file\n", path);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			break;
	if (!scn || !sh.sh_entsize || !(data = elf_getdata(scn, NULL))) {
		fprintf(stderr, "clp-index: %s: no symbol table\n", path);
		goto out;
	}
	n = sh.sh_size / sh.sh_entsize;
	fprintf(out, "# clp symfiles 1\n");
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		const char *name;
		int type;

		if (!gelf_getsym(data, (int)i, &sym) ||
		    !(name = elf_strptr(elf, sh.sh_link, sym.st_name))) {
			fprintf(stderr, "clp-index: %s: bad symbol %zu\n", path, i);
			goto out;
		}
		if (GELF_ST_BIND(sym.st_info) != STB_LOCAL)
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_FILE) {
			fprintf(out, "F %s\n", *name ? name : "-");
			in_file = true;
			continue;
		}
		if ((type != STT_FUNC && type != STT_OBJECT) || !*name)
			continue;
		if (!in_file) {
			fprintf(out, "F -\n");
			in_file = true;
		}
		fprintf(out, "%" PRIx64 " %" PRIu64 " %c %s\n", (uint64_t)sym.st_value,
			(uint64_t)sym.st_size, type == STT_FUNC ? 't' : 'd', name);
	}
	rc = 0;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "keep-init", no_argument, NULL, 'i' },
		{ "stats", no_argument, NULL, 's' },
		{ "symfiles", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *name = NULL;
	bool keep_init = false, stats = false, files = false;
	int c, i, rc = 0;

	while ((c = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'i': keep_init = true; break;
		case 's': stats = true; break;
		case 'f': files = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	elf_version(EV_CURRENT);
	if (files) {
		if (optind + 1 != argc || name || keep_init || stats) {
			usage(stderr);
			return 2;
		}
		rc = symfiles(argv[optind], stdout);
	}
	for (i = files ? argc : optind; i < argc; i++)
		rc |= index_file(argv[i], name, keep_init, stats);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "clp-index: write error: %s\n", strerror(errno));
		return 1;
	}
	return rc;
}
