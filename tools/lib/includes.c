// SPDX-License-Identifier: GPL-2.0
/*
 * includes - the include graph of a kernel source tree (see includes.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "includes.h"

#define INDEX_MAGIC "# clp includes 1"

/* Where <name> is looked for, in order. */
static const char *const search[] = {
	"arch/x86/include/", "arch/x86/include/generated/", "include/",
	"arch/x86/include/uapi/", "arch/x86/include/generated/uapi/", "include/uapi/",
};

static bool skipped_dir(const char *rel)
{
	static const char *const top[] = {
		".git", "Documentation", "tools", "scripts", "samples", "usr", "LICENSES", "debian",
	};
	size_t i;

	for (i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		if (!strcmp(rel, top[i]))
			return true;
	return str_starts(rel, "arch/") && strchr(rel + 5, '/') == NULL && strcmp(rel, "arch/x86");
}

static size_t add_file(struct incl_index *ix, const char *path)
{
	struct strmap_ent *e = strmap_put(&ix->ids, path);

	if (!e->val) {
		ix->paths = xrealloc(ix->paths, (ix->n + 1) * sizeof(*ix->paths));
		ix->inc = xrealloc(ix->inc, (ix->n + 1) * sizeof(*ix->inc));
		ix->ninc = xrealloc(ix->ninc, (ix->n + 1) * sizeof(*ix->ninc));
		ix->paths[ix->n] = e->key;
		ix->inc[ix->n] = NULL;
		ix->ninc[ix->n] = 0;
		e->val = (long)++ix->n;
	}
	return (size_t)e->val - 1;
}

static void add_edge(struct incl_index *ix, size_t from, size_t to)
{
	size_t i;

	for (i = 0; i < ix->ninc[from]; i++)
		if (ix->inc[from][i] == to)
			return;
	ix->inc[from] = xrealloc(ix->inc[from], (ix->ninc[from] + 1) * sizeof(size_t));
	ix->inc[from][ix->ninc[from]++] = to;
}

/* Every .c and .h file under @rel (relative to @tree). */
static void walk(struct incl_index *ix, const char *tree, const char *rel)
{
	char *dir = *rel ? xasprintf("%s/%s", tree, rel) : xstrdup(tree);
	DIR *d = opendir(dir);
	struct dirent *de;

	free(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		if (de->d_type == DT_DIR) {
			if (!skipped_dir(p))
				walk(ix, tree, p);
		} else if (de->d_type == DT_REG && (str_ends(p, ".c") || str_ends(p, ".h"))) {
			add_file(ix, p);
		}
		free(p);
	}
	closedir(d);
}

/* @dir/@name with "." and ".." taken out; NULL if it leaves the tree. */
static char *normalize(const char *dir, const char *name)
{
	char *joined = *dir ? xasprintf("%s/%s", dir, name) : xstrdup(name);
	char **parts = NULL, *save = NULL, *t, *out;
	size_t n = 0, i;
	struct strbuf sb = { 0 };

	for (t = strtok_r(joined, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..")) {
			if (!n) {
				free(parts);
				free(joined);
				return NULL;
			}
			n--;
			continue;
		}
		parts = xrealloc(parts, (n + 1) * sizeof(*parts));
		parts[n++] = t;
	}
	for (i = 0; i < n; i++)
		sb_printf(&sb, "%s%s", i ? "/" : "", parts[i]);
	out = sb.buf ? sb.buf : xstrdup("");
	free(parts);
	free(joined);
	return out;
}

static long lookup(const struct incl_index *ix, const char *path)
{
	const struct strmap_ent *e = path ? strmap_get(&ix->ids, path) : NULL;

	return e ? e->val - 1 : -1;
}

/* The file #include @name (@quoted: "name") of @from resolves to, or -1. */
static long resolve(const struct incl_index *ix, const char *from, const char *name, bool quoted)
{
	size_t i;
	long id;

	if (quoted) {
		const char *slash = strrchr(from, '/');
		char *dir = slash ? xasprintf("%.*s", (int)(slash - from), from) : xstrdup("");
		char *p = normalize(dir, name);

		id = lookup(ix, p);
		free(p);
		free(dir);
		if (id >= 0)
			return id;
	}
	for (i = 0; i < sizeof(search) / sizeof(search[0]); i++) {
		char *p = xasprintf("%s%s", search[i], name), *q = normalize("", p);

		id = lookup(ix, q);
		free(p);
		free(q);
		if (id >= 0)
			return id;
	}
	return -1;
}

static void scan(struct incl_index *ix, const char *tree, size_t f)
{
	char *path = xasprintf("%s/%s", tree, ix->paths[f]);
	char *text = read_file(path, NULL), *p;

	free(path);
	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		char *q = p + strspn(p, " \t"), close, *end, *name;
		long id;

		if (*q != '#')
			continue;
		q += 1 + strspn(q + 1, " \t");
		if (strncmp(q, "include", 7))
			continue;
		q += 7 + strspn(q + 7, " \t");
		if (*q != '<' && *q != '"')
			continue;
		close = *q == '<' ? '>' : '"';
		end = strchr(q + 1, close);
		if (!end || memchr(q, '\n', end - q))
			continue;
		name = xasprintf("%.*s", (int)(end - q - 1), q + 1);
		id = resolve(ix, ix->paths[f], name, close == '"');
		if (id >= 0 && (size_t)id != f)
			add_edge(ix, f, (size_t)id);
		free(name);
	}
	free(text);
}

static int save(const struct incl_index *ix, const char *cache, const char *stamp)
{
	struct strbuf sb = { 0 };
	size_t i, j;
	int rc;

	sb_printf(&sb, "%s\n%s\n", INDEX_MAGIC, stamp);
	for (i = 0; i < ix->n; i++) {
		sb_printf(&sb, "%s", ix->paths[i]);
		for (j = 0; j < ix->ninc[i]; j++)
			sb_printf(&sb, "\t%zu", ix->inc[i][j]);
		sb_printf(&sb, "\n");
	}
	rc = write_file_atomic(cache, sb.buf, sb.len);
	sb_free(&sb);
	return rc;
}

/* Read the cached index; -1 if it is absent, stale or unreadable. */
static int load_cached(struct incl_index *ix, const char *cache, const char *stamp)
{
	char *text = read_file(cache, NULL), *line, *save = NULL;
	size_t stamplen = strlen(stamp), i;
	char **lines = NULL;
	size_t n = 0;

	if (!text || !str_starts(text, INDEX_MAGIC "\n") ||
	    strncmp(text + strlen(INDEX_MAGIC) + 1, stamp, stamplen) ||
	    text[strlen(INDEX_MAGIC) + 1 + stamplen] != '\n') {
		free(text);
		return -1;
	}
	line = strtok_r(text + strlen(INDEX_MAGIC) + 2 + stamplen, "\n", &save);
	for (; line; line = strtok_r(NULL, "\n", &save)) {
		lines = xrealloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = line;
	}
	/* names first, so that edges can point forward */
	for (i = 0; i < n; i++) {
		char *tab = strchr(lines[i], '\t');

		if (tab)
			*tab = '\0';
		add_file(ix, lines[i]);
		if (tab)
			*tab = '\t';
	}
	for (i = 0; i < n; i++) {
		char *p = strchr(lines[i], '\t');

		while (p) {
			char *end;
			unsigned long to = strtoul(p + 1, &end, 10);

			if (end == p + 1 || to >= ix->n) {
				free(lines);
				free(text);
				incl_free(ix);
				return -1;
			}
			add_edge(ix, i, to);
			p = strchr(end, '\t');
		}
	}
	free(lines);
	free(text);
	return 0;
}

int incl_load(struct incl_index *ix, const char *tree, const char *cache)
{
	char *sp = xasprintf("%s/.clp-source", tree), *stamp = read_file(sp, NULL);
	size_t i;

	memset(ix, 0, sizeof(*ix));
	free(sp);
	if (!stamp) {
		err_msg("%s is not a prepared source tree (no .clp-source)", tree);
		return -1;
	}
	stamp[strcspn(stamp, "\n")] = '\0';
	if (!load_cached(ix, cache, stamp)) {
		free(stamp);
		return 0;
	}
	fprintf(stderr, "clp: indexing the #include lines of %s (once)\n", tree);
	walk(ix, tree, "");
	for (i = 0; i < ix->n; i++)
		scan(ix, tree, i);
	if (save(ix, cache, stamp))
		fprintf(stderr, "clp: warning: cannot cache the include index in %s: %s\n", cache,
			strerror(errno));
	free(stamp);
	return 0;
}

int incl_has(const struct incl_index *ix, const char *path)
{
	return lookup(ix, path) >= 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t incl_users(const struct incl_index *ix, const char *header, const char ***out)
{
	long h = lookup(ix, header);
	size_t *queue, head = 0, tail = 0, i, j, n = 0;
	char *seen;
	size_t **rev, *nrev;

	*out = NULL;
	if (h < 0)
		return 0;
	/* the reverse graph */
	nrev = xcalloc(ix->n, sizeof(*nrev));
	rev = xcalloc(ix->n, sizeof(*rev));
	for (i = 0; i < ix->n; i++) {
		for (j = 0; j < ix->ninc[i]; j++) {
			size_t t = ix->inc[i][j];

			rev[t] = xrealloc(rev[t], (nrev[t] + 1) * sizeof(size_t));
			rev[t][nrev[t]++] = i;
		}
	}
	seen = xcalloc(ix->n, 1);
	queue = xmalloc(ix->n * sizeof(*queue));
	queue[tail++] = (size_t)h;
	seen[h] = 1;
	while (head < tail) {
		size_t f = queue[head++];

		if (str_ends(ix->paths[f], ".c")) {
			*out = xrealloc(*out, (n + 1) * sizeof(**out));
			(*out)[n++] = ix->paths[f];
		}
		for (j = 0; j < nrev[f]; j++) {
			if (!seen[rev[f][j]]) {
				seen[rev[f][j]] = 1;
				queue[tail++] = rev[f][j];
			}
		}
	}
	for (i = 0; i < ix->n; i++)
		free(rev[i]);
	free(rev);
	free(nrev);
	free(seen);
	free(queue);
	if (n)
		qsort(*out, n, sizeof(**out), cmp_str);
	return n;
}

void incl_free(struct incl_index *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		free(ix->inc[i]);
	free(ix->inc);
	free(ix->ninc);
	free(ix->paths);
	strmap_free(&ix->ids);
	memset(ix, 0, sizeof(*ix));
}
