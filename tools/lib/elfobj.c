// SPDX-License-Identifier: GPL-2.0
/*
 * The ELF layer: every offset, index and size read from the file is checked
 * before use, so a truncated or corrupted object gives an error message,
 * never a crash (fuzzed by tools/fuzz/elf-fuzz.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfobj.h"
#include "util.h"

static int fail(struct elf_obj *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct elf_obj *o, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(o->err, sizeof(o->err), "%s: ", o->path);

	if (n < 0 || (size_t)n >= sizeof(o->err))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(o->err + n, sizeof(o->err) - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int fail_elf(struct elf_obj *o, const char *what)
{
	return fail(o, "%s: %s", what, elf_errmsg(-1));
}

static int read_sections(struct elf_obj *o)
{
	size_t shstrndx, n, i;

	if (elf_kind(o->elf) != ELF_K_ELF)
		return fail(o, "not an ELF object, or truncated (no ELF header)");
	if (!gelf_getehdr(o->elf, &o->eh))
		return fail(o, "not an ELF object, or truncated (bad ELF header: %s)",
			    elf_errmsg(-1));
	if (o->eh.e_ident[EI_CLASS] != ELFCLASS64 || o->eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    o->eh.e_machine != EM_X86_64)
		return fail(o, "not an x86-64 little-endian ELF64 object");
	if (o->eh.e_type != ET_REL)
		return fail(o, "not a relocatable object (ELF type %u)", o->eh.e_type);
	if (elf_getshdrnum(o->elf, &n) < 0)
		return fail_elf(o, "bad section count");
	if (elf_getshdrstrndx(o->elf, &shstrndx) < 0)
		return fail_elf(o, "bad section name table index");
	if (n == 0)	/* what libelf makes of section headers past the end */
		return fail(o, "not an ELF object, or truncated (no section headers)");
	if (n > 1000000)
		return fail(o, "corrupted ELF header (%zu sections)", n);
	if (shstrndx >= n)
		return fail(o, "section name table index %zu out of range", shstrndx);
	o->secs = xcalloc(n, sizeof(*o->secs));
	o->nsecs = n;
	for (i = 0; i < n; i++) {
		struct elf_sec *s = &o->secs[i];

		s->index = i;
		s->scn = elf_getscn(o->elf, i);
		if (!s->scn || !gelf_getshdr(s->scn, &s->sh))
			return fail(o, "section %zu: unreadable header: %s", i, elf_errmsg(-1));
		if (i == 0) {
			s->name = "";
			continue;
		}
		s->name = elf_strptr(o->elf, shstrndx, s->sh.sh_name);
		if (!s->name)
			return fail(o, "section %zu: bad name offset %u", i, (unsigned)s->sh.sh_name);
		if (s->sh.sh_type == SHT_NOBITS)
			continue;
		s->data = elf_getdata(s->scn, NULL);
		if (!s->data)
			return fail(o, "section %s: unreadable data: %s", s->name, elf_errmsg(-1));
		if (s->data->d_size != s->sh.sh_size || (s->data->d_size && !s->data->d_buf))
			return fail(o, "section %s: truncated", s->name);
		if (s->sh.sh_type == SHT_SYMTAB) {
			if (o->symtab)
				return fail(o, "more than one symbol table");
			o->symtab = s;
		}
	}
	return 0;
}

static int check_table(struct elf_obj *o, struct elf_sec *s, size_t entsize)
{
	if (s->sh.sh_entsize != entsize)
		return fail(o, "section %s: entry size %lu, expected %zu", s->name,
			    (unsigned long)s->sh.sh_entsize, entsize);
	if (s->sh.sh_size % entsize)
		return fail(o, "section %s: size not a multiple of its entry size", s->name);
	return 0;
}

static int read_symbols(struct elf_obj *o)
{
	struct elf_sec *st = o->symtab;
	size_t i;

	if (!st)
		return fail(o, "no symbol table");
	if (check_table(o, st, sizeof(Elf64_Sym)))
		return -1;
	if (st->sh.sh_link == 0 || st->sh.sh_link >= o->nsecs ||
	    o->secs[st->sh.sh_link].sh.sh_type != SHT_STRTAB)
		return fail(o, "symbol table: bad string table link %u", (unsigned)st->sh.sh_link);
	o->strtab = &o->secs[st->sh.sh_link];
	o->nsyms = st->sh.sh_size / sizeof(Elf64_Sym);
	if (o->nsyms == 0)
		return fail(o, "empty symbol table");
	if (st->sh.sh_info > o->nsyms)
		return fail(o, "symbol table: first global %u beyond the table", (unsigned)st->sh.sh_info);
	o->syms = xcalloc(o->nsyms, sizeof(*o->syms));
	for (i = 0; i < o->nsyms; i++) {
		struct elf_sym *y = &o->syms[i];

		y->index = i;
		if (!gelf_getsym(st->data, i, &y->sym))
			return fail_elf(o, "unreadable symbol");
		y->name = elf_strptr(o->elf, o->strtab->index, y->sym.st_name);
		if (!y->name)
			return fail(o, "symbol %zu: bad name offset %u", i, (unsigned)y->sym.st_name);
		if (y->sym.st_shndx == SHN_XINDEX)
			return fail(o, "symbol %s: extended section indexes are not supported", y->name);
		if (y->sym.st_shndx != SHN_UNDEF && y->sym.st_shndx < SHN_LORESERVE &&
		    y->sym.st_shndx >= o->nsecs)
			return fail(o, "symbol %s: section index %u out of range", y->name,
				    (unsigned)y->sym.st_shndx);
	}
	return 0;
}

static int check_relas(struct elf_obj *o)
{
	size_t i;

	for (i = 1; i < o->nsecs; i++) {
		struct elf_sec *s = &o->secs[i];

		if (s->sh.sh_type == SHT_REL)
			return fail(o, "section %s: SHT_REL relocations are not used on x86-64", s->name);
		if (s->sh.sh_type != SHT_RELA)
			continue;
		if (check_table(o, s, sizeof(Elf64_Rela)))
			return -1;
		if (s->sh.sh_link != o->symtab->index)
			return fail(o, "section %s: not linked to the symbol table", s->name);
		if (s->sh.sh_info == 0 || s->sh.sh_info >= o->nsecs)
			return fail(o, "section %s: target section %u out of range", s->name,
				    (unsigned)s->sh.sh_info);
	}
	return 0;
}

static int open_common(struct elf_obj *o)
{
	if (read_sections(o) || read_symbols(o) || check_relas(o))
		return -1;
	return 0;
}

int elfobj_open(struct elf_obj *o, const char *path, bool writable)
{
	memset(o, 0, sizeof(*o));
	o->path = path;
	o->fd = -1;
	elf_version(EV_CURRENT);
	o->fd = open(path, writable ? O_RDWR : O_RDONLY);
	if (o->fd < 0)
		return fail(o, "%s", strerror(errno));
	o->elf = elf_begin(o->fd, writable ? ELF_C_RDWR : ELF_C_READ, NULL);
	if (!o->elf)
		return fail_elf(o, "cannot read as ELF");
	return open_common(o);
}

int elfobj_open_mem(struct elf_obj *o, const char *name, void *buf, size_t size)
{
	memset(o, 0, sizeof(*o));
	o->path = name;
	o->fd = -1;
	elf_version(EV_CURRENT);
	o->elf = elf_memory(buf, size);
	if (!o->elf)
		return fail_elf(o, "cannot read as ELF");
	return open_common(o);
}

void elfobj_close(struct elf_obj *o)
{
	size_t i;

	if (o->elf)
		elf_end(o->elf);
	if (o->fd >= 0)
		close(o->fd);
	for (i = 0; i < o->nowned; i++)
		free(o->owned[i]);
	free(o->owned);
	free(o->secs);
	free(o->syms);
	o->elf = NULL;
	o->fd = -1;
	o->owned = NULL;
	o->secs = NULL;
	o->syms = NULL;
}

struct elf_sec *elfobj_find_sec(struct elf_obj *o, const char *name)
{
	size_t i;

	for (i = 1; i < o->nsecs; i++)
		if (!strcmp(o->secs[i].name, name))
			return &o->secs[i];
	return NULL;
}

struct elf_sec *elfobj_rela_target(struct elf_obj *o, const struct elf_sec *rela)
{
	if (rela->sh.sh_type != SHT_RELA || rela->sh.sh_info >= o->nsecs)
		return NULL;
	return &o->secs[rela->sh.sh_info];
}

struct elf_sec *elfobj_rela_alloc_target(struct elf_obj *o, const struct elf_sec *rela)
{
	struct elf_sec *t = elfobj_rela_target(o, rela);

	return t && (t->sh.sh_flags & SHF_ALLOC) ? t : NULL;
}

size_t elfobj_rela_count(const struct elf_sec *rela)
{
	return rela->sh.sh_type == SHT_RELA ? rela->sh.sh_size / sizeof(Elf64_Rela) : 0;
}

unsigned int elfobj_reloc_size(unsigned int type)
{
	switch (type) {
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		return 4;
	case R_X86_64_NONE:
		return 0;
	default:
		return 0;
	}
}

const char *elfobj_reloc_name(unsigned int type)
{
	switch (type) {
	case R_X86_64_64: return "R_X86_64_64";
	case R_X86_64_PC64: return "R_X86_64_PC64";
	case R_X86_64_PC32: return "R_X86_64_PC32";
	case R_X86_64_PLT32: return "R_X86_64_PLT32";
	case R_X86_64_32: return "R_X86_64_32";
	case R_X86_64_32S: return "R_X86_64_32S";
	case R_X86_64_GOTPCREL: return "R_X86_64_GOTPCREL";
	case R_X86_64_GOTPCRELX: return "R_X86_64_GOTPCRELX";
	case R_X86_64_REX_GOTPCRELX: return "R_X86_64_REX_GOTPCRELX";
	case R_X86_64_NONE: return "R_X86_64_NONE";
	default: return "unknown";
	}
}

int elfobj_get_rela(struct elf_obj *o, const struct elf_sec *rela, size_t i, GElf_Rela *r)
{
	struct elf_sec *t = elfobj_rela_target(o, rela);
	unsigned int size;

	if (!t || i >= elfobj_rela_count(rela) || !gelf_getrela(rela->data, i, r))
		return fail(o, "section %s: unreadable relocation %zu", rela->name, i);
	if (GELF_R_SYM(r->r_info) >= o->nsyms)
		return fail(o, "section %s: relocation %zu: symbol %lu out of range", rela->name, i,
			    (unsigned long)GELF_R_SYM(r->r_info));
	size = elfobj_reloc_size(GELF_R_TYPE(r->r_info));
	if (r->r_offset > t->sh.sh_size || size > t->sh.sh_size - r->r_offset)
		return fail(o, "section %s: relocation %zu: offset 0x%lx beyond %s", rela->name, i,
			    (unsigned long)r->r_offset, t->name);
	return 0;
}

/* Replace the data buffer of @s by a copy grown by @extra bytes. */
static void *grow_data(struct elf_obj *o, struct elf_sec *s, size_t extra)
{
	size_t old = s->data->d_size;
	char *buf = xmalloc(old + extra);

	memcpy(buf, s->data->d_buf, old);
	memset(buf + old, 0, extra);
	o->owned = xrealloc(o->owned, (o->nowned + 1) * sizeof(*o->owned));
	o->owned[o->nowned++] = buf;
	s->data->d_buf = buf;
	s->data->d_size = old + extra;
	s->sh.sh_size = old + extra;
	elf_flagdata(s->data, ELF_C_SET, ELF_F_DIRTY);
	return buf + old;
}

static size_t add_string(struct elf_obj *o, const char *name)
{
	size_t off = o->strtab->data->d_size;
	size_t len = strlen(name) + 1;

	memcpy(grow_data(o, o->strtab, len), name, len);
	return off;
}

int elfobj_rename_sym(struct elf_obj *o, size_t symidx, const char *name)
{
	struct elf_sym *y;

	if (symidx >= o->nsyms)
		return fail(o, "symbol %zu out of range", symidx);
	y = &o->syms[symidx];
	y->sym.st_name = add_string(o, name);
	if (!gelf_update_sym(o->symtab->data, symidx, &y->sym))
		return fail_elf(o, "cannot update symbol");
	elf_flagdata(o->symtab->data, ELF_C_SET, ELF_F_DIRTY);
	y->name = name;		/* caller keeps @name alive while @o is open */
	return 0;
}

int elfobj_add_global(struct elf_obj *o, const char *name, size_t shndx, GElf_Addr value)
{
	GElf_Sym sym = {
		.st_info = GELF_ST_INFO(STB_GLOBAL, STT_NOTYPE),
		.st_other = STV_DEFAULT,
		.st_shndx = shndx,
		.st_value = value,
	};
	size_t idx = o->nsyms;

	if (shndx == 0 || shndx >= o->nsecs)
		return fail(o, "symbol %s: section %zu out of range", name, shndx);
	sym.st_name = add_string(o, name);
	grow_data(o, o->symtab, sizeof(Elf64_Sym));
	if (!gelf_update_sym(o->symtab->data, idx, &sym))
		return fail_elf(o, "cannot add symbol");
	o->syms = xrealloc(o->syms, (o->nsyms + 1) * sizeof(*o->syms));
	o->syms[idx] = (struct elf_sym){ .index = idx, .name = name, .sym = sym };
	o->nsyms++;
	return 0;
}

int elfobj_write(struct elf_obj *o)
{
	if (o->fd < 0)
		return fail(o, "not opened for writing");
	if (elf_update(o->elf, ELF_C_WRITE) < 0)
		return fail_elf(o, "cannot write");
	return 0;
}
