// SPDX-License-Identifier: GPL-2.0
/*
 * The install directory's index and listing (see install.h), shared by
 * clp install/uninstall, clp load --all and clp list.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "env.h"
#include "exitcodes.h"
#include "install.h"
#include "util.h"

void free_names(char **names, long n)
{
	while (n-- > 0)
		free(names[n]);
	free(names);
}

static char **read_index(const char *kdir, long *n)
{
	char *p = xasprintf("%s/.order", kdir), *s = read_file(p, NULL), *save = NULL, *t;
	char **names = NULL;

	*n = 0;
	free(p);
	for (t = s ? strtok_r(s, "\n", &save) : NULL; t; t = strtok_r(NULL, "\n", &save)) {
		if (!modname_valid(t))
			continue;
		names = xrealloc(names, (*n + 1) * sizeof(char *));
		names[(*n)++] = xstrdup(t);
	}
	free(s);
	return names;
}

static int write_index(const char *kdir, char **names, long n)
{
	struct strbuf sb = { 0 };
	char *p = xasprintf("%s/.order", kdir);
	long i;
	int rc;

	for (i = 0; i < n; i++)
		sb_printf(&sb, "%s\n", names[i]);
	rc = write_file_atomic(p, sb.buf ? sb.buf : "", sb.len);
	if (rc)
		err_msg("%s: %s", p, strerror(errno));
	free(p);
	sb_free(&sb);
	return rc ? EXIT_INTERNAL : EXIT_OK;
}

int update_index(const char *kdir, const char *name, bool append)
{
	long n, i, k = 0;
	char **names = read_index(kdir, &n);
	int rc;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], name))
			free(names[i]);
		else
			names[k++] = names[i];
	}
	if (append) {
		names = xrealloc(names, (k + 1) * sizeof(char *));
		names[k++] = xstrdup(name);
	}
	rc = write_index(kdir, names, k);
	free_names(names, k);
	return rc;
}

struct entry {
	char *name;
	long rank;		/* index position; -1 not indexed */
	long long mtime;
};

static int by_age(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? 1 : -1;	/* newest first */
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return strcmp(x->name, y->name);
}

long installed_modules(const char *libdir, const char *kver, char ***out)
{
	char *kdir = xasprintf("%s/%s", libdir, kver), **idx, **names;
	DIR *d = opendir(kdir);
	struct dirent *de;
	struct entry *ents = NULL;
	long n = 0, nidx, i;

	*out = NULL;
	if (!d) {
		free(kdir);
		return -1;
	}
	idx = read_index(kdir, &nidx);
	while ((de = readdir(d))) {
		char *p;
		struct stat st;
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 4 || strcmp(de->d_name + len - 3, ".ko"))
			continue;
		p = xasprintf("%s/%s", kdir, de->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			ents = xrealloc(ents, (n + 1) * sizeof(*ents));
			ents[n].name = xasprintf("%.*s", (int)(len - 3), de->d_name);
			ents[n].rank = -1;
			ents[n].mtime = (long long)st.st_mtime;
			for (i = 0; i < nidx; i++)
				if (!strcmp(idx[i], ents[n].name))
					ents[n].rank = i;
			n++;
		}
		free(p);
	}
	closedir(d);
	free_names(idx, nidx);
	qsort(ents, n, sizeof(*ents), by_age);
	names = xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		names[i] = ents[i].name;
	free(ents);
	free(kdir);
	*out = names;
	return n;
}
