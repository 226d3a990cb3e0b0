/* SPDX-License-Identifier: GPL-2.0 */
/*
 * symfiles - which source file each local symbol of vmlinux comes from
 * (the FILE blocks of the -dbg vmlinux's .symtab, cached by
 * tools/fetch-symbols as kernels/<release>/symfiles), and the kallsyms
 * position of a local symbol among those of the same name.
 */
#ifndef CLP_SYMFILES_H
#define CLP_SYMFILES_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct sf_sym {
	uint64_t addr;
	char *name;
};

struct sf_block {
	char *file;		/* the FILE symbol: a source file's base name */
	struct sf_sym *syms;
	size_t nsyms;
};

struct symfiles {
	struct sf_block *blocks;
	size_t nblocks;
	struct strmap addrs;	/* System.map name -> struct sf_addrs * */
};

/* Load @path (symfiles) and @sysmap; -1 with a message on failure. */
int symfiles_load(struct symfiles *sf, const char *path, const char *sysmap);
void symfiles_free(struct symfiles *sf);
/*
 * The block of source file @file (a path: its base name is compared) whose
 * local symbols are @names (the original object's), or -1 with the reason
 * in @why: no block of that name, or several that match equally well.
 */
long symfiles_block(const struct symfiles *sf, const char *file, char **names, size_t n,
		    char *why, size_t whylen);
/*
 * The position of local @name of block @blk among the vmlinux symbols of
 * that name in kallsyms (address) order: 0 when the name is unique, 1-based
 * otherwise; -1 when the block has no such symbol.
 */
long symfiles_pos(const struct symfiles *sf, long blk, const char *name);
/* The number of vmlinux symbols called @name (System.map). */
size_t symfiles_count(const struct symfiles *sf, const char *name);

#endif
