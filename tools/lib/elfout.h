/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elfout - build a new x86-64 relocatable object in memory (sections,
 * symbols, relocations) and write it in one go.  Used by the object
 * differ to write the functions a diff changed; it knows nothing about
 * what it writes.
 */
#ifndef CLP_ELFOUT_H
#define CLP_ELFOUT_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

struct eo_rela {
	uint64_t offset;
	unsigned int type;
	size_t sym;		/* index into elfout.syms */
	int64_t addend;
};

struct eo_sec {
	char *name;
	GElf_Word type;		/* SHT_PROGBITS or SHT_NOBITS */
	GElf_Xword flags, align, entsize;
	unsigned char *data;	/* NULL for SHT_NOBITS */
	size_t size;
	struct eo_rela *relas;
	size_t nrelas;
	size_t secsym;		/* its STT_SECTION symbol */
};

#define EO_UNDEF	((size_t)-1)

struct eo_sym {
	char *name;
	unsigned char bind, type;
	size_t sec;		/* index into elfout.secs, or EO_UNDEF */
	GElf_Addr value;
	GElf_Xword size;
};

struct elfout {
	struct eo_sec *secs;
	size_t nsecs;
	struct eo_sym *syms;
	size_t nsyms;
};

/* Add a section (its STT_SECTION symbol too); @data is copied. */
size_t elfout_add_sec(struct elfout *e, const char *name, GElf_Word type, GElf_Xword flags,
		      GElf_Xword align, GElf_Xword entsize, const void *data, size_t size);
/* Append @n bytes to section @sec; returns the offset they start at. */
size_t elfout_append(struct elfout *e, size_t sec, const void *data, size_t n);
size_t elfout_add_sym(struct elfout *e, const char *name, unsigned char bind, unsigned char type,
		      size_t sec, GElf_Addr value, GElf_Xword size);
/* The undefined global symbol @name, added on first use. */
size_t elfout_undef(struct elfout *e, const char *name);
void elfout_add_rela(struct elfout *e, size_t sec, uint64_t offset, unsigned int type,
		     size_t sym, int64_t addend);
/*
 * Write the object to @path (locals before globals, one .rela section per
 * section with relocations).  -1 with a message in @err on failure.
 */
int elfout_write(const struct elfout *e, const char *path, char *err, size_t errlen);
void elfout_free(struct elfout *e);

#endif
