// SPDX-License-Identifier: GPL-2.0
/*
 * Local symbols by source file: see symfiles.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symfiles.h"

struct sf_addrs {
	uint64_t *v;
	size_t n;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int load_sysmap(struct symfiles *sf, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], type, name[400];
	unsigned long long addr;
	size_t i;

	if (!f) {
		err_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct strmap_ent *e;
		struct sf_addrs *a;

		if (sscanf(line, "%llx %c %399s", &addr, &type, name) != 3)
			continue;
		e = strmap_put(&sf->addrs, name);
		if (!e->ptr)
			e->ptr = xcalloc(1, sizeof(struct sf_addrs));
		a = e->ptr;
		a->v = xrealloc(a->v, (a->n + 1) * sizeof(*a->v));
		a->v[a->n++] = addr;
	}
	fclose(f);
	for (i = 0; i < sf->addrs.cap; i++) {
		struct sf_addrs *a = sf->addrs.ents[i].key ? sf->addrs.ents[i].ptr : NULL;

		if (a && a->n > 1)
			qsort(a->v, a->n, sizeof(*a->v), cmp_u64);
	}
	return 0;
}

int symfiles_load(struct symfiles *sf, const char *path, const char *sysmap)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned long lineno = 0;

	if (!f) {
		err_msg("%s: %s (tools/fetch-symbols writes it from the -dbg package)", path,
			strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct sf_block *b;
		unsigned long long addr, size;
		char type, name[800];

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (lineno == 1) {
			if (strcmp(line, "# clp symfiles 1")) {
				err_msg("%s: not a clp symfiles file (version 1)", path);
				fclose(f);
				return -1;
			}
			continue;
		}
		if (line[0] == 'F' && line[1] == ' ') {
			sf->blocks = xrealloc(sf->blocks, (sf->nblocks + 1) * sizeof(*sf->blocks));
			sf->blocks[sf->nblocks++] = (struct sf_block){ .file = xstrdup(line + 2) };
			continue;
		}
		if (!sf->nblocks || sscanf(line, "%llx %llu %c %799s", &addr, &size, &type, name) != 4)
			continue;
		b = &sf->blocks[sf->nblocks - 1];
		b->syms = xrealloc(b->syms, (b->nsyms + 1) * sizeof(*b->syms));
		b->syms[b->nsyms++] = (struct sf_sym){ addr, xstrdup(name) };
	}
	fclose(f);
	if (!sf->nblocks) {
		err_msg("%s: no FILE blocks", path);
		return -1;
	}
	return load_sysmap(sf, sysmap);
}

void symfiles_free(struct symfiles *sf)
{
	size_t i, j;

	for (i = 0; i < sf->nblocks; i++) {
		for (j = 0; j < sf->blocks[i].nsyms; j++)
			free(sf->blocks[i].syms[j].name);
		free(sf->blocks[i].syms);
		free(sf->blocks[i].file);
	}
	free(sf->blocks);
	for (i = 0; i < sf->addrs.cap; i++) {
		struct sf_addrs *a = sf->addrs.ents[i].key ? sf->addrs.ents[i].ptr : NULL;

		if (a) {
			free(a->v);
			free(a);
		}
	}
	strmap_free(&sf->addrs);
	memset(sf, 0, sizeof(*sf));
}

static const struct sf_sym *block_sym(const struct sf_block *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nsyms; i++)
		if (!strcmp(b->syms[i].name, name))
			return &b->syms[i];
	return NULL;
}

long symfiles_block(const struct symfiles *sf, const char *file, char **names, size_t n,
		    char *why, size_t whylen)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	long best = -1;
	size_t i, j, best_hits = 0, ties = 0, candidates = 0;

	for (i = 0; i < sf->nblocks; i++) {
		size_t hits = 0;

		if (strcmp(sf->blocks[i].file, base))
			continue;
		candidates++;
		for (j = 0; j < n; j++)
			if (block_sym(&sf->blocks[i], names[j]))
				hits++;
		if (hits > best_hits) {
			best = i;
			best_hits = hits;
			ties = 0;
		} else if (hits == best_hits && best >= 0) {
			ties++;
		}
	}
	if (!candidates) {
		snprintf(why, whylen, "vmlinux has no symbols from a file named %s", base);
		return -1;
	}
	if (best < 0 || (n && best_hits * 2 < n)) {
		snprintf(why, whylen,
			 "none of the %zu vmlinux files named %s has this object's local symbols (best: %zu of %zu)",
			 candidates, base, best_hits, n);
		return -1;
	}
	if (ties) {
		snprintf(why, whylen, "%zu vmlinux files named %s match this object's local symbols equally",
			 ties + 1, base);
		return -1;
	}
	return best;
}

size_t symfiles_count(const struct symfiles *sf, const char *name)
{
	const struct strmap_ent *e = strmap_get(&sf->addrs, name);

	return e && e->ptr ? ((struct sf_addrs *)e->ptr)->n : 0;
}

long symfiles_pos(const struct symfiles *sf, long blk, const char *name)
{
	const struct strmap_ent *e = strmap_get(&sf->addrs, name);
	const struct sf_sym *s;
	const struct sf_addrs *a;
	size_t i;

	if (blk < 0 || (size_t)blk >= sf->nblocks)
		return -1;
	s = block_sym(&sf->blocks[blk], name);
	if (!s || !e || !e->ptr)
		return -1;
	a = e->ptr;
	if (a->n == 1)
		return a->v[0] == s->addr ? 0 : -1;
	for (i = 0; i < a->n; i++)
		if (a->v[i] == s->addr)
			return i + 1;
	return -1;
}
