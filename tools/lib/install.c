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
#include <unistd.h>

#include "env.h"
#include "exitcodes.h"
#include "install.h"
#include "patchinfo.h"
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

static int mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/**
 * install_module() - keep the patch module @path in DIR/KVER/ and index it
 * @path: the module file; read once, so the bytes checked are installed
 * @kver: the release it must have been built for
 * @dir: the install directory
 *
 * Returns an exit code, after a message.
 */
int install_module(const char *path, const char *kver, const char *dir)
{
	struct patch_info pi;
	char *kdir = NULL, *dst = NULL, *data = NULL, *old = NULL;
	size_t len, oldlen;
	int rc;

	/* read once: the bytes checked are the bytes installed */
	data = read_file(path, &len);
	if (!data) {
		err_msg("install: %s: %s", path, strerror(errno));
		return EXIT_INTERNAL;
	}
	if ((rc = pi_read_mem(&pi, path, data, len))) {
		free(data);
		return rc;
	}
	if (!pi.kernel || strcmp(pi.kernel, kver)) {
		err_msg("install: %s was built for kernel %s, not %s; not installed",
			path, pi.kernel ? pi.kernel : "(unknown)", kver);
		rc = EXIT_MISMATCH;
		goto out;
	}
	kdir = xasprintf("%s/%s", dir, kver);
	dst = xasprintf("%s/%s.ko", kdir, pi.modname);
	old = read_file(dst, &oldlen);
	if (old && oldlen == len && !memcmp(old, data, len)) {
		printf("clp: %s is already installed for %s\n", pi.modname, kver);
		rc = EXIT_OK;
		goto out;
	}
	if (mkdir_p(kdir) < 0) {
		err_msg("install: %s: %s", kdir, strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (write_file_atomic(dst, data, len)) {
		err_msg("install: %s: %s", dst, strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	rc = update_index(kdir, pi.modname, true);
	if (!rc)
		printf("clp: installed %s (%s) as %s\n", pi.modname,
		       pi.version ? pi.version : "?", dst);
out:
	free(kdir);
	free(dst);
	free(data);
	free(old);
	pi_free(&pi);
	return rc;
}

/**
 * uninstall_module() - remove @module from DIR/KVER/ and from the index
 *
 * Returns an exit code, after a message; a module that is not installed
 * is a notice.
 */
int uninstall_module(const char *module, const char *kver, const char *dir)
{
	char *name, *kdir, *dst;
	int rc;

	name = xstrdup(module);
	modname_normalize(name);
	kdir = xasprintf("%s/%s", dir, kver);
	dst = xasprintf("%s/%s.ko", kdir, name);
	if (unlink(dst) < 0) {
		if (errno == ENOENT) {
			printf("clp: %s is not installed for %s; nothing to do\n", name, kver);
			rc = EXIT_OK;
		} else {
			err_msg("uninstall: %s: %s", dst, strerror(errno));
			rc = EXIT_INTERNAL;
		}
	} else {
		rc = update_index(kdir, name, false);
		if (!rc)
			printf("clp: uninstalled %s for %s\n", name, kver);
	}
	free(name);
	free(kdir);
	free(dst);
	return rc;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/**
 * installed_kernels() - the releases @libdir holds modules for
 * @libdir: the install directory
 * @out: the names, sorted; free with free_names()
 *
 * Return: how many (0 when @libdir does not exist).
 */
long installed_kernels(const char *libdir, char ***out)
{
	DIR *d = opendir(libdir);
	struct dirent *de;
	char **v = NULL;
	long n = 0;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		v = xrealloc(v, (n + 1) * sizeof(char *));
		v[n++] = xstrdup(de->d_name);
	}
	if (d)
		closedir(d);
	if (n)
		qsort(v, n, sizeof(char *), by_str);
	*out = v;
	return n;
}
