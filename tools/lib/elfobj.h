/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elfobj - clp's small ELF layer over libelf: reads an x86-64 relocatable
 * object (sections, symbols, relocations) with every index and offset
 * checked, and makes the few edits 'clp build' needs (rename a symbol,
 * append a global symbol), then writes the object back.  It knows nothing
 * about patches; the analysis lives in analyze.c.
 */
#ifndef CLP_ELFOBJ_H
#define CLP_ELFOBJ_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>

struct elf_sec {
	size_t index;
	const char *name;
	GElf_Shdr sh;
	Elf_Scn *scn;
	Elf_Data *data;		/* NULL for SHT_NOBITS */
};

struct elf_sym {
	size_t index;
	const char *name;
	GElf_Sym sym;
};

struct elf_obj {
	const char *path;	/* for messages */
	int fd;
	Elf *elf;
	GElf_Ehdr eh;
	struct elf_sec *secs;
	size_t nsecs;
	struct elf_sec *symtab, *strtab;
	struct elf_sym *syms;
	size_t nsyms;
	/* buffers handed to libelf by edits, freed at close */
	void **owned;
	size_t nowned;
	char err[512];
};

/* Open @path (writable for edits); on failure returns -1 with o->err set. */
int elfobj_open(struct elf_obj *o, const char *path, bool writable);
/* Parse an in-memory image (read-only; the buffer must outlive @o). */
int elfobj_open_mem(struct elf_obj *o, const char *name, void *buf, size_t size);
void elfobj_close(struct elf_obj *o);

struct elf_sec *elfobj_find_sec(struct elf_obj *o, const char *name);
/* The section a SHT_RELA section applies to, or NULL. */
struct elf_sec *elfobj_rela_target(struct elf_obj *o, const struct elf_sec *rela);
/* The same, only for a section that is loaded (SHF_ALLOC); else NULL. */
struct elf_sec *elfobj_rela_alloc_target(struct elf_obj *o, const struct elf_sec *rela);
size_t elfobj_rela_count(const struct elf_sec *rela);
/* Entry @i of a SHT_RELA section, checked against symtab and target size. */
int elfobj_get_rela(struct elf_obj *o, const struct elf_sec *rela, size_t i, GElf_Rela *r);

/* Edits (object opened writable).  Both return -1 with o->err set. */
int elfobj_rename_sym(struct elf_obj *o, size_t symidx, const char *name);
/* Append a global symbol defined at @value in section @shndx. */
int elfobj_add_global(struct elf_obj *o, const char *name, size_t shndx, GElf_Addr value);
/* Write the edits back to the file. */
int elfobj_write(struct elf_obj *o);

/* The size in bytes of the place an x86-64 relocation writes; 0 if unknown. */
unsigned int elfobj_reloc_size(unsigned int type);
const char *elfobj_reloc_name(unsigned int type);

#endif
