// SPDX-License-Identifier: GPL-2.0
/*
 * check: would the core accept this module now?  The same tests the core
 * makes at registration, done from userspace without touching the kernel:
 * release, build-id, symbols in kallsyms (and clones of replaced
 * functions), other ftrace IPMODIFY owners, and system states against the
 * live patch.  Used by clp check and clp load.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "ksyms.h"
#include "util.h"

struct checker {
	const struct clp_env *e;
	const struct patch_info *pi;
	const char *what;
	const struct check_opts *o;
	int failures;
};

static void failure(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notice(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void failure(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "clp: %s: ", c->what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->failures++;
}

static void notice(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	if (c->o->quiet)
		return;
	printf("clp: %s: ", c->what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void check_kernel(struct checker *c)
{
	const struct patch_info *pi = c->pi;
	char *id;

	if (!pi->kernel)
		failure(c, "no target kernel recorded (clp_kernel missing)");
	else if (strcmp(pi->kernel, c->e->release))
		failure(c, "built for kernel %s, this kernel is %s", pi->kernel, c->e->release);
	if (!pi->build_id) {
		notice(c, "no build-id recorded; the build-id is not checked");
		return;
	}
	id = env_build_id(c->e);
	if (!id)
		notice(c, "cannot read the running kernel's build-id (%s); not checked", c->e->notes);
	else if (strcasecmp(id, pi->build_id))
		failure(c, "built for kernel build-id %s, this kernel is %s", pi->build_id, id);
	free(id);
}

/* Objects whose symbols can be checked now: vmlinux and loaded modules. */
static bool object_present(struct checker *c, const char *obj)
{
	return !strcmp(obj, "vmlinux") || env_module_loaded(c->e, obj, NULL);
}

static char *symkey(const char *obj, const char *name)
{
	return xasprintf("%s\t%s", obj, name);
}

/*
 * Count the kallsyms entries of every function (text symbols only, weak
 * ones included) and
 * reference; returns -1 if kallsyms cannot be read.
 */
static int count_symbols(struct checker *c, struct strmap *funcs, struct strmap *refs,
			 struct strmap *dotted)
{
	char *p = env_path(c->e->proc, "kallsyms");
	FILE *f = fopen(p, "r");
	char line[1024], type, name[512], mod[256];
	struct strmap_ent *ent;
	size_t i;

	for (i = 0; i < c->pi->nfuncs; i++) {
		char *k = symkey(c->pi->funcs[i].obj, c->pi->funcs[i].name);

		strmap_put(funcs, k);
		free(k);
	}
	for (i = 0; i < c->pi->nrefs; i++) {
		char *k = symkey(c->pi->refs[i].obj, c->pi->refs[i].sym);

		strmap_put(refs, k);
		free(k);
	}
	if (!f) {
		failure(c, "cannot read %s: %s", p, strerror(errno));
		free(p);
		return -1;
	}
	free(p);
	while (fgets(line, sizeof(line), f)) {
		int n = sscanf(line, "%*s %c %511s [%255[^]]]", &type, name, mod);
		char *k;

		if (n < 2)
			continue;
		k = symkey(n == 3 ? mod : "vmlinux", name);
		/* text, local, global or weak: what the core accepts */
		if (strchr("tTwW", type) && (ent = strmap_get(funcs, k)))
			ent->val++;
		if ((type == 't' || type == 'T') && strchr(name, '.'))
			strmap_put(dotted, k);
		if ((ent = strmap_get(refs, k)))
			ent->val++;
		free(k);
	}
	fclose(f);
	return 0;
}

static void check_one_symbol(struct checker *c, const struct strmap *m, const char *kind,
			     const char *obj, const char *name, unsigned long pos)
{
	char *k = symkey(obj, name);
	struct strmap_ent *ent = strmap_get(m, k);
	long n = ent ? ent->val : 0;

	free(k);
	if (!n)
		failure(c, "%s %s not found in %s", kind, name, obj);
	else if (!pos && n > 1)
		failure(c, "%s %s is ambiguous in %s: %ld candidates, no sympos", kind, name, obj, n);
	else if (pos > (unsigned long)n)
		failure(c, "%s %s,%lu not found in %s: only %ld candidates", kind, name, pos, obj, n);
}

#define CLONES_SHOWN 8

/*
 * GCC clones (foo.isra.0, ...) of each replaced function in kallsyms that
 * the module neither replaces nor acknowledges: they would still run the
 * old code.  @dotted holds "obj\tname" of every text symbol with a '.'.
 */
static void check_clones(struct checker *c, const struct strmap *dotted)
{
	const struct patch_info *pi = c->pi;
	size_t i, k, n;

	for (i = 0; i < pi->nfuncs; i++) {
		const struct pi_func *f = &pi->funcs[i];
		struct strbuf sb = { 0 };
		size_t ol = strlen(f->obj);

		if (!object_present(c, f->obj))
			continue;
		n = 0;
		for (k = 0; k < dotted->cap; k++) {
			const char *key = dotted->ents[k].key, *name;

			if (!key || strncmp(key, f->obj, ol) || key[ol] != '\t')
				continue;
			name = key + ol + 1;
			if (!sym_is_clone_of(name, f->name) || pi_replaces(pi, f->obj, name) ||
			    pi_acknowledges(pi, f->obj, f->name, name))
				continue;
			if (n < CLONES_SHOWN)
				sb_printf(&sb, "%s%s", n ? ", " : "", name);
			n++;
		}
		if (n > CLONES_SHOWN)
			sb_printf(&sb, " and %zu more", n - CLONES_SHOWN);
		if (n)
			failure(c, "function %s in %s has %zu GCC clone%s that the module neither replaces nor acknowledges (they would still run the old code): %s",
				f->name, f->obj, n, n == 1 ? "" : "s", sb.buf);
		sb_free(&sb);
	}
}

static void check_symbols(struct checker *c)
{
	const struct patch_info *pi = c->pi;
	struct strmap funcs = { 0 }, refs = { 0 }, dotted = { 0 };
	size_t i;

	for (i = 0; i < pi->nobjs; i++)
		if (!object_present(c, pi->objs[i]))
			notice(c, "module %s is not loaded: its functions will be patched when it loads",
			       pi->objs[i]);
	if (count_symbols(c, &funcs, &refs, &dotted) == 0) {
		for (i = 0; i < pi->nfuncs; i++)
			if (object_present(c, pi->funcs[i].obj))
				check_one_symbol(c, &funcs, "function", pi->funcs[i].obj,
						 pi->funcs[i].name, pi->funcs[i].sympos);
		for (i = 0; i < pi->nrefs; i++) {
			if (!object_present(c, pi->refs[i].obj)) {
				/* the core writes these when the module comes */
				if (pi_has_object(pi, pi->refs[i].obj))
					notice(c, "reference %s: resolved when module %s loads",
					       pi->refs[i].sym, pi->refs[i].obj);
				else
					failure(c, "reference %s: module %s is not loaded",
						pi->refs[i].sym, pi->refs[i].obj);
				continue;
			}
			check_one_symbol(c, &refs, "reference", pi->refs[i].obj,
					 pi->refs[i].sym, pi->refs[i].sympos);
		}
		check_clones(c, &dotted);
	}
	strmap_free(&funcs);
	strmap_free(&refs);
	strmap_free(&dotted);
}

/* The enabled_functions file of tracefs; mounts tracefs if needed. */
static char *enabled_functions(struct checker *c)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char *p;
	size_t i;

	if (c->e->tracefs) {
		p = env_path(c->e->tracefs, "enabled_functions");
		if (access(p, R_OK) == 0)
			return p;
		free(p);
		return NULL;
	}
	for (i = 0; i < 2; i++) {
		p = env_path(dirs[i], "enabled_functions");
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	if (c->e->fake || !is_dir(dirs[0]) ||
	    mount("nodev", dirs[0], "tracefs", 0, NULL) < 0)
		return NULL;
	p = env_path(dirs[0], "enabled_functions");
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

/* Whether a line of enabled_functions has the IPMODIFY flag. */
static bool line_ipmodify(char *rest)
{
	char *save = NULL, *t;
	bool seen_count = false;

	for (t = strtok_r(rest, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
		if (t[0] == '(') {
			seen_count = true;
			continue;
		}
		if (!seen_count)
			continue;
		if (strlen(t) != 1)
			break;		/* past the flags: tramp:, ->, ... */
		if (*t == 'I')
			return true;
	}
	return false;
}

static void check_ftrace(struct checker *c)
{
	const struct patch_info *pi = c->pi;
	struct strmap wanted = { 0 }, own = { 0 };
	struct sysfs_func *sf;
	long nsf, i;
	char *path = enabled_functions(c), line[2048], name[512], mod[256];
	FILE *f;
	size_t k;

	if (!path) {
		notice(c, "tracefs is not available: other ftrace users are not checked");
		return;
	}
	f = fopen(path, "r");
	free(path);
	if (!f) {
		notice(c, "cannot read enabled_functions: other ftrace users are not checked");
		return;
	}
	for (k = 0; k < pi->nfuncs; k++) {
		char *key = symkey(pi->funcs[k].obj, pi->funcs[k].name);

		strmap_put(&wanted, key);
		free(key);
	}
	/* functions clp itself has redirected */
	nsf = sysfs_functions(c->e, &sf);
	for (i = 0; i < nsf; i++) {
		char *key = symkey(sf[i].obj, sf[i].func);

		if (strcmp(sf[i].patch, "(original)"))
			strmap_put(&own, key);
		free(key);
	}
	if (nsf > 0)
		sysfs_functions_free(sf, nsf);
	while (fgets(line, sizeof(line), f)) {
		char *key;
		int n = sscanf(line, "%511s [%255[^]]]", name, mod);
		struct strmap_ent *ent;

		if (n < 1)
			continue;
		key = symkey(n == 2 ? mod : "vmlinux", name);
		ent = strmap_get(&wanted, key);
		if (ent && !ent->val && !strstr(line, "[clp]") && !strmap_get(&own, key) &&
		    line_ipmodify(line + strlen(name))) {
			ent->val = 1;
			failure(c, "function %s in %s is claimed by another ftrace IPMODIFY user (a live patch or a kprobe with a post handler)",
				name, n == 2 ? mod : "vmlinux");
		}
		free(key);
	}
	fclose(f);
	strmap_free(&wanted);
	strmap_free(&own);
}

static void check_states(struct checker *c, const char *live)
{
	const struct patch_info *pi = c->pi;
	char *dir = xasprintf("%s/%s", c->e->sysfs, live);
	char *s = read_value(dir, "states"), *save = NULL, *t;
	unsigned long id, ver;
	size_t i;

	free(dir);
	for (t = s ? strtok_r(s, "\n", &save) : NULL; t; t = strtok_r(NULL, "\n", &save)) {
		if (sscanf(t, "%lu %lu", &id, &ver) != 2)
			continue;
		if (!pi->details) {
			notice(c, "the module records no states; states are not checked");
			break;
		}
		for (i = 0; i < pi->nstates; i++)
			if (pi->states[i].id == id)
				break;
		if (i == pi->nstates)
			failure(c, "the live patch %s has state %lu (version %lu), which this module does not carry",
				live, id, ver);
		else if (pi->states[i].version < ver)
			failure(c, "the live patch %s has state %lu at version %lu, this module only version %lu",
				live, id, ver, pi->states[i].version);
	}
	free(s);
}

int check_module(const struct clp_env *e, const struct patch_info *pi, const char *what,
		 const struct check_opts *o)
{
	struct checker c = { .e = e, .pi = pi, .what = what, .o = o };
	struct sysfs_patch *pats;
	long n;
	char *live;

	check_kernel(&c);
	n = sysfs_patches(e, &pats);
	if (n < 0) {
		failure(&c, "the clp core (clp.ko) is not loaded (no %s)", e->sysfs);
		return EXIT_REJECTED;
	}
	live = sysfs_live_patch(pats, n);
	sysfs_patches_free(pats, n);
	if (live && !strcmp(live, pi->modname)) {
		notice(&c, "already loaded and live");
	} else {
		if (!pi->details)
			notice(&c, "the module records no functions (built by an older clp); symbols are not checked");
		else
			check_symbols(&c);
		if (pi->details)
			check_ftrace(&c);
		if (live)
			check_states(&c, live);
	}
	free(live);
	return c.failures ? EXIT_MISMATCH : EXIT_OK;
}
