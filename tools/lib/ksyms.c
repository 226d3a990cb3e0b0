// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"

static void count(struct strmap *m, const char *obj, const char *name)
{
	char key[512];

	snprintf(key, sizeof(key), "%s:%s", obj, name);
	strmap_put(m, key)->val++;
}

bool sym_is_clone_of(const char *sym, const char *func)
{
	size_t fl = strlen(func);
	const char *p;

	if (strncmp(sym, func, fl) || sym[fl] != '.')
		return false;
	for (p = sym + fl; *p == '.'; ) {
		size_t n = strcspn(p + 1, ".");

		if ((n == 9 && !strncmp(p + 1, "constprop", 9)) ||
		    (n == 4 && !strncmp(p + 1, "isra", 4)) ||
		    (n == 4 && !strncmp(p + 1, "part", 4)) ||
		    (n == 8 && !strncmp(p + 1, "lto_priv", 8)))
			return true;
		p += n + 1;
	}
	return false;
}

size_t sym_base_len(const char *sym)
{
	return strcspn(sym, ".");
}

static void add_dotted(struct strmap *m, const char *obj, const char *name)
{
	char key[512];
	struct strmap_ent *e;
	struct namelist *l;
	size_t i;

	snprintf(key, sizeof(key), "%s:%.*s", obj, (int)sym_base_len(name), name);
	e = strmap_put(m, key);
	if (!e->ptr)
		e->ptr = xcalloc(1, sizeof(struct namelist));
	l = e->ptr;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], name))
			return;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(char *));
	l->v[l->n++] = xstrdup(name);
}

size_t ksyms_clones(const struct ksyms *k, const char *obj, const char *func,
		    const char ***out)
{
	char key[512];
	struct strmap_ent *e;
	const struct namelist *l;
	size_t i, n = 0;

	*out = NULL;
	snprintf(key, sizeof(key), "%s:%.*s", obj, (int)sym_base_len(func), func);
	e = strmap_get(&k->dotted, key);
	if (!e)
		return 0;
	l = e->ptr;
	*out = xcalloc(l->n + 1, sizeof(char *));
	for (i = 0; i < l->n; i++)
		if (sym_is_clone_of(l->v[i], func))
			(*out)[n++] = l->v[i];
	return n;
}

/* Lines look like "ffffffff81000000 T _stext" with an optional "\t[mod]". */
int ksyms_load_map(struct ksyms *k, const char *path)
{
	size_t len;
	char *buf = read_file(path, &len), *line, *next;
	unsigned long lineno = 0, good = 0;

	if (!buf) {
		err_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	for (line = buf; line < buf + len; line = next) {
		char *addr, *type, *name, *mod, *save = NULL;
		const char *obj = "vmlinux";

		next = strchr(line, '\n');
		next = next ? next + 1 : buf + len;
		if (next[-1] == '\n')
			next[-1] = '\0';
		lineno++;
		addr = strtok_r(line, " \t", &save);
		type = strtok_r(NULL, " \t", &save);
		name = strtok_r(NULL, " \t", &save);
		mod = strtok_r(NULL, " \t", &save);
		if (!addr || !type || !name || strlen(type) != 1 || strlen(name) > 400)
			continue;
		if (mod) {
			size_t ml = strlen(mod);

			if (ml < 3 || mod[0] != '[' || mod[ml - 1] != ']')
				continue;
			mod[ml - 1] = '\0';
			obj = mod + 1;
			strmap_put(&k->mods, obj);
		}
		good++;
		count(&k->all, obj, name);
		if (strchr("tTwW", type[0])) {
			count(&k->text, obj, name);
			if (strchr(name, '.'))
				add_dotted(&k->dotted, obj, name);
		}
	}
	free(buf);
	if (!good) {
		err_msg("%s: no symbols found (not a System.map or kallsyms file?)", path);
		return -1;
	}
	if (k->all.n == 1 || strmap_get(&k->all, "vmlinux:The")) {
		err_msg("%s: a placeholder, not the real System.map (Debian keeps it in linux-image-<release>-dbg; run tools/fetch-symbols)", path);
		return -1;
	}
	k->have_table = true;
	return 0;
}

int ksyms_load_symvers(struct ksyms *k, const char *path)
{
	size_t len;
	char *buf = read_file(path, &len), *line, *next;

	if (!buf) {
		err_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	for (line = buf; line < buf + len; line = next) {
		char *tab, *name;

		next = strchr(line, '\n');
		next = next ? next + 1 : buf + len;
		if (next[-1] == '\n')
			next[-1] = '\0';
		tab = strchr(line, '\t');
		if (!tab)
			continue;
		name = tab + 1;
		tab = strchr(name, '\t');
		if (tab)
			*tab = '\0';
		if (*name)
			strmap_put(&k->exports, name)->val = 1;
	}
	free(buf);
	return 0;
}

void ksyms_free(struct ksyms *k)
{
	size_t i, j;

	for (i = 0; i < k->dotted.cap; i++) {
		struct namelist *l = k->dotted.ents[i].key ? k->dotted.ents[i].ptr : NULL;

		for (j = 0; l && j < l->n; j++)
			free(l->v[j]);
		if (l)
			free(l->v);
		free(l);
	}
	strmap_free(&k->dotted);
	strmap_free(&k->all);
	strmap_free(&k->text);
	strmap_free(&k->mods);
	strmap_free(&k->exports);
}

long ksyms_count(const struct ksyms *k, const char *obj, const char *name, bool text_only)
{
	char key[512];
	struct strmap_ent *e;

	snprintf(key, sizeof(key), "%s:%s", obj, name);
	e = strmap_get(text_only ? &k->text : &k->all, key);
	return e ? e->val : 0;
}

bool ksyms_exported(const struct ksyms *k, const char *name)
{
	return strmap_get(&k->exports, name) != NULL;
}

bool ksyms_has_obj(const struct ksyms *k, const char *obj)
{
	if (!k->have_table)
		return false;
	return !strcmp(obj, "vmlinux") || strmap_get(&k->mods, obj);
}
