// SPDX-License-Identifier: GPL-2.0
/*
 * Read the core's sysfs tree (Documentation/ABI/sysfs-kernel-clp): the
 * registered patches, one patch's objects, functions and states, and the
 * functions file.  The root is CLP_SYSFS for tests.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exitcodes.h"
#include "patchinfo.h"
#include "util.h"

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool has_file(const char *dir, const char *file)
{
	char *p = xasprintf("%s/%s", dir, file);
	struct stat st;
	bool ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return ok;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Subdirectories of @dir holding @marker, sorted by name; count or -1. */
static long subdirs(const char *dir, const char *marker, char ***out)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, by_name), i;
	long cnt = 0;
	char **names = NULL;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", dir, ents[i]->d_name);

		if (ents[i]->d_name[0] != '.' && is_dir(p) && has_file(p, marker)) {
			names = xrealloc(names, (cnt + 1) * sizeof(char *));
			names[cnt++] = xstrdup(ents[i]->d_name);
		}
		free(p);
		free(ents[i]);
	}
	free(ents);
	*out = names;
	return cnt;
}

static void free_dirnames(char **names, long n)
{
	while (n-- > 0)
		free(names[n]);
	free(names);
}

const char *patch_state_name(int enabled, int live)
{
	if (live > 0)
		return "live";
	return enabled > 0 ? "shadowed" : "disabled";
}

static int by_order(const void *a, const void *b)
{
	const struct sysfs_patch *x = a, *y = b;

	return (x->order > y->order) - (x->order < y->order);
}

long sysfs_patches(const struct clp_env *e, struct sysfs_patch **out)
{
	char **names;
	long n = subdirs(e->sysfs, "order", &names), i;
	struct sysfs_patch *p;

	*out = NULL;
	if (n < 0)
		return -1;
	p = xcalloc(n + 1, sizeof(*p));
	for (i = 0; i < n; i++) {
		char *d = xasprintf("%s/%s", e->sysfs, names[i]);

		p[i].name = names[i];
		p[i].order = read_long(d, "order", 0);
		p[i].enabled = (int)read_long(d, "enabled", 0);
		p[i].live = (int)read_long(d, "live", 0);
		p[i].version = read_value(d, "version");
		if (!p[i].version)
			p[i].version = xstrdup("");
		free(d);
	}
	free(names);
	qsort(p, n, sizeof(*p), by_order);
	*out = p;
	return n;
}

void sysfs_patches_free(struct sysfs_patch *p, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].version);
	}
	free(p);
}

char *sysfs_live_patch(const struct sysfs_patch *p, long n)
{
	long i;

	for (i = n - 1; i >= 0; i--)
		if (p[i].live > 0)
			return xstrdup(p[i].name);
	return NULL;
}

long sysfs_functions(const struct clp_env *e, struct sysfs_func **out)
{
	char *path = env_path(e->sysfs, "functions");
	FILE *f = fopen(path, "r");
	char line[1024], obj[256], fn[512], patch[256];
	struct sysfs_func *v = NULL;
	long n = 0;

	free(path);
	*out = NULL;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *comma;

		if (sscanf(line, "%255s %511s %255s", obj, fn, patch) != 3)
			continue;
		comma = strrchr(fn, ',');
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].sympos = comma ? strtoul(comma + 1, NULL, 10) : 0;
		if (comma)
			*comma = '\0';
		v[n].obj = xstrdup(obj);
		v[n].func = xstrdup(fn);
		v[n].patch = xstrdup(patch);
		n++;
	}
	fclose(f);
	*out = v;
	return n;
}

void sysfs_functions_free(struct sysfs_func *f, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		free(f[i].obj);
		free(f[i].func);
		free(f[i].patch);
	}
	free(f);
}

static void read_lines(const char *dir, const char *file, char ***out, size_t *n)
{
	char *s = read_value(dir, file), *save = NULL, *t;

	if (!s)
		return;
	for (t = strtok_r(s, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
		*out = xrealloc(*out, (*n + 1) * sizeof(char *));
		(*out)[(*n)++] = xstrdup(t);
	}
	free(s);
}

static void read_states(struct patch_info *pi, const char *dir)
{
	char **lines = NULL;
	size_t n = 0, i;
	unsigned long id, ver;

	read_lines(dir, "states", &lines, &n);
	for (i = 0; i < n; i++) {
		if (sscanf(lines[i], "%lu %lu", &id, &ver) == 2) {
			pi->states = xrealloc(pi->states, (pi->nstates + 1) * sizeof(*pi->states));
			pi->states[pi->nstates++] = (struct pi_state){ .id = id, .version = ver };
		}
		free(lines[i]);
	}
	free(lines);
}

static void read_object(struct patch_info *pi, const char *pdir, const char *obj)
{
	char *odir = xasprintf("%s/%s", pdir, obj), **fns;
	long n = subdirs(odir, "live", &fns), i;

	pi->objs = xrealloc(pi->objs, (pi->nobjs + 1) * sizeof(char *));
	pi->objs[pi->nobjs++] = xstrdup(obj);
	for (i = 0; i < n; i++) {
		char *fdir = xasprintf("%s/%s", odir, fns[i]);
		char *comma = strrchr(fns[i], ',');
		unsigned long pos = comma ? strtoul(comma + 1, NULL, 10) : 0;

		if (comma)
			*comma = '\0';
		pi->funcs = xrealloc(pi->funcs, (pi->nfuncs + 1) * sizeof(*pi->funcs));
		pi->funcs[pi->nfuncs++] = (struct pi_func){
			.obj = xstrdup(obj), .name = xstrdup(fns[i]), .sympos = pos,
			.live = (int)read_long(fdir, "live", 0),
		};
		free(fdir);
	}
	if (n > 0)
		free_dirnames(fns, n);
	free(odir);
}

int pi_read_sysfs(struct patch_info *pi, const struct clp_env *e, const char *name)
{
	char *dir = xasprintf("%s/%s", e->sysfs, name), *mdir, *mod, **objs;
	long n, i;

	memset(pi, 0, sizeof(*pi));
	if (!is_dir(e->sysfs)) {
		err_msg("the clp core is not loaded (no %s)", e->sysfs);
		free(dir);
		return EXIT_REJECTED;
	}
	if (!has_file(dir, "order")) {
		err_msg("%s: no such patch registered (see 'clp list')", name);
		free(dir);
		return EXIT_REJECTED;
	}
	pi->from_sysfs = pi->is_clp = pi->details = true;
	pi->modname = xstrdup(name);
	pi->version = read_value(dir, "version");
	pi->kernel = xstrdup(e->release);
	pi->enabled = (int)read_long(dir, "enabled", -1);
	pi->live = (int)read_long(dir, "live", -1);
	pi->order = read_long(dir, "order", -1);
	read_lines(dir, "patches", &pi->patches, &pi->npatches);
	read_states(pi, dir);
	n = subdirs(dir, "patched", &objs);
	for (i = 0; i < n; i++)
		read_object(pi, dir, objs[i]);
	if (n > 0)
		free_dirnames(objs, n);
	mod = sysfs_patch_module(e, name);	/* the patch may be named otherwise */
	mdir = xasprintf("%s/%s", e->sysmod, mod ? mod : name);
	pi->refcnt = read_long(mdir, "refcnt", -1);
	free(mdir);
	free(mod);
	free(dir);
	return 0;
}

/* The address of a replacement of @patch (a function's new_addr); 0 if none. */
static unsigned long patch_new_addr(const struct clp_env *e, const char *patch)
{
	char *dir = xasprintf("%s/%s", e->sysfs, patch), **objs, **fns;
	long n = subdirs(dir, "patched", &objs), m, i, k;
	unsigned long addr = 0;

	for (i = 0; i < n; i++) {
		char *odir = xasprintf("%s/%s", dir, objs[i]);

		m = subdirs(odir, "new_addr", &fns);
		for (k = 0; k < m; k++) {
			char *fdir = xasprintf("%s/%s", odir, fns[k]), *v;

			v = addr ? NULL : read_value(fdir, "new_addr");
			if (v)
				addr = strtoul(v, NULL, 16);
			free(v);
			free(fdir);
		}
		if (m > 0)
			free_dirnames(fns, m);
		free(odir);
	}
	if (n > 0)
		free_dirnames(objs, n);
	free(dir);
	return addr;
}

/* The module whose symbol in kallsyms is nearest at or below @addr; NULL if none. */
static char *kallsyms_module_at(const struct clp_env *e, unsigned long addr)
{
	char *path = env_path(e->proc, "kallsyms");
	FILE *f = fopen(path, "r");
	char line[1024], mod[64], *best = NULL;
	unsigned long a, best_addr = 0;

	free(path);
	while (f && fgets(line, sizeof(line), f)) {
		if (!strchr(line, '[') || sscanf(line, "%lx %*c %*s [%63[^]]]", &a, mod) != 2)
			continue;
		if (a && a <= addr && (!best || a > best_addr)) {
			free(best);
			best = xstrdup(mod);
			best_addr = a;
		}
	}
	if (f)
		fclose(f);
	return best;
}

char *sysfs_patch_module(const struct clp_env *e, const char *patch)
{
	unsigned long addr = patch_new_addr(e, patch);
	char *mod = addr ? kallsyms_module_at(e, addr) : NULL;

	if (mod && env_module_loaded(e, mod, NULL))
		return mod;
	free(mod);
	if (!modname_valid(patch))
		return NULL;
	mod = xstrdup(patch);
	modname_normalize(mod);
	if (env_module_loaded(e, mod, NULL))
		return mod;
	free(mod);
	return NULL;
}

/**
 * sysfs_patch_contents() - the patches a registered cumulative module
 *			    contains (<patch>/patches)
 * @e: where sysfs is
 * @patch: the registered patch
 * @n: out: how many
 *
 * Return: the names (free each and the array), NULL when none.
 */
char **sysfs_patch_contents(const struct clp_env *e, const char *patch, long *n)
{
	char *dir = xasprintf("%s/%s", e->sysfs, patch);
	char *s = read_value(dir, "patches"), *save = NULL, *t;
	char **v = NULL;

	*n = 0;
	for (t = s ? strtok_r(s, "\n", &save) : NULL; t; t = strtok_r(NULL, "\n", &save)) {
		v = xrealloc(v, (*n + 1) * sizeof(char *));
		v[(*n)++] = xstrdup(t);
	}
	free(s);
	free(dir);
	return v;
}
