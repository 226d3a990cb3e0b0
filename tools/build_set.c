// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * The patch set of 'clp build': which files, in which order, their patch
 * names, the module name and version string they make.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "build.h"
#include "glue.h"
#include "util.h"

/* The patch kinds by file name: a C source or a unified diff. */
static size_t patch_ext(const char *n, enum unit_kind *kind)
{
	size_t len = strlen(n);

	*kind = UNIT_C;
	if (len > 2 && !strcmp(n + len - 2, ".c"))
		return 2;
	*kind = UNIT_DIFF;
	if (len > 6 && !strcmp(n + len - 6, ".patch"))
		return 6;
	if (len > 5 && !strcmp(n + len - 5, ".diff"))
		return 5;
	return 0;
}

/* "0010-cmdline-banner.c" -> "cmdline-banner"; NULL if not a valid name. */
static char *patch_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len, ext;
	enum unit_kind kind;
	char *name, *p;

	base = base ? base + 1 : path;
	while (*base >= '0' && *base <= '9')
		base++;
	if (base != path && (*base == '-' || *base == '_') && base[-1] >= '0' && base[-1] <= '9')
		base++;
	len = strlen(base);
	ext = patch_ext(base, &kind);
	if (!ext || len <= ext)
		return NULL;
	name = xstrdup(base);
	name[len - ext] = '\0';
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
			free(name);
			return NULL;
		}
	return name;
}

/* run-parts style: [A-Za-z0-9_-]+ followed by ".c", ".patch" or ".diff". */
static bool patch_file_name(const char *n)
{
	size_t len = strlen(n), i, ext;
	enum unit_kind kind;

	ext = patch_ext(n, &kind);
	if (!ext || len <= ext)
		return false;
	for (i = 0; i < len - ext; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' && n[i] <= 'Z') ||
		      (n[i] >= '0' && n[i] <= '9') || n[i] == '-' || n[i] == '_'))
			return false;
	return true;
}

static int byte_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * A patch source must be text: a file of binary data named like a patch
 * would make the compiler print a "stray" error per byte.  Refused are NUL
 * and the control characters other than tab, newline, vertical tab, form
 * feed and carriage return; bytes >= 0x80 (UTF-8 in comments) are fine.
 */
static int check_text(const char *path)
{
	size_t len, i;
	char *s = read_file(path, &len);

	if (!s) {
		err_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' &&
		     c != '\r') || c == 0x7f) {
			err_msg("%s: not a C source: binary byte 0x%02x at offset %zu; nothing compiled",
				path, c, i);
			free(s);
			return -1;
		}
	}
	free(s);
	return 0;
}

static int add_unit(struct build *b, const char *path)
{
	char *abs = realpath(path, NULL), *name = patch_name(path);
	size_t i;

	if (!abs) {
		err_msg("%s: %s", path, strerror(errno));
		free(name);
		return EXIT_REJECTED;
	}
	if (!name) {
		err_msg("%s: not a patch (the name must be [0-9-]<name>.c, .patch or .diff with name of letters, digits, '-' and '_')", path);
		free(abs);
		return EXIT_REJECTED;
	}
	if (strpbrk(abs, "\"\\\n\t")) {
		err_msg("%s: unsupported character in the path", path);
		return EXIT_REJECTED;
	}
	if (check_text(path)) {
		free(abs);
		free(name);
		return EXIT_REJECTED;
	}
	for (i = 0; i < b->nunits; i++) {
		if (!strcmp(b->units[i].name, name)) {
			err_msg("%s: patch name '%s' already used by %s", path, name, b->units[i].src);
			return EXIT_REJECTED;
		}
	}
	b->units = xrealloc(b->units, (b->nunits + 1) * sizeof(*b->units));
	b->units[b->nunits] = (struct unit){
		.id = (int)b->nunits + 1,
		.name = name,
		.src = abs,
	};
	patch_ext(abs, &b->units[b->nunits].kind);
	b->nunits++;
	return 0;
}

int collect_set(struct build *b, char **args, int n)
{
	int i, k, rc;

	for (i = 0; i < n; i++) {
		struct dirent **ents;
		int cnt;

		if (!is_dir(args[i])) {
			if (!is_file(args[i])) {
				err_msg("%s: no such patch file or directory", args[i]);
				return EXIT_REJECTED;
			}
			if ((rc = add_unit(b, args[i])))
				return rc;
			continue;
		}
		cnt = scandir(args[i], &ents, NULL, byte_order);
		if (cnt < 0) {
			err_msg("%s: %s", args[i], strerror(errno));
			return EXIT_REJECTED;
		}
		rc = 0;
		for (k = 0; k < cnt; k++) {
			const char *d = ents[k]->d_name;
			char *p = xasprintf("%s/%s", args[i], d);

			if (!rc && strcmp(d, ".") && strcmp(d, "..")) {
				if (patch_file_name(d) && is_file(p))
					rc = add_unit(b, p);
				else
					fprintf(stderr, "clp: skipping %s (not a patch source)\n", p);
			}
			free(p);
			free(ents[k]);
		}
		free(ents);
		if (rc)
			return rc;
	}
	if (!b->nunits) {
		err_msg("the patch set is empty");
		return EXIT_REJECTED;
	}
	return 0;
}

int derive_names(struct build *b, char **args, int n)
{
	char **names = xcalloc(b->nunits, sizeof(char *));
	size_t i;
	char *p;

	if (b->o.name) {
		b->modname = xstrdup(b->o.name);
	} else {
		const char *base;
		char *arg = xstrdup(args[n - 1]);

		while (strlen(arg) > 1 && arg[strlen(arg) - 1] == '/')
			arg[strlen(arg) - 1] = '\0';
		if (n == 1 && is_dir(arg)) {
			char *abs = realpath(arg, NULL);

			base = strrchr(abs, '/');
			b->modname = xasprintf("clp_%s", base ? base + 1 : abs);
			free(abs);
		} else {
			b->modname = xasprintf("clp_%s", b->units[b->nunits - 1].name);
		}
		free(arg);
		for (p = b->modname; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9')))
				*p = '_';
		if (strlen(b->modname) > MODNAME_MAX)
			b->modname[MODNAME_MAX] = '\0';
	}
	for (p = b->modname; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			break;
	if (*p || !*b->modname || strlen(b->modname) > MODNAME_MAX ||
	    str_starts(b->modname, "clpunit") || !strcmp(b->modname, "clp_glue") ||
	    !strcmp(b->modname, "clp")) {
		err_msg("bad module name '%s' (letters, digits and '_', at most %d, not clp, clp_glue or clpunit*)",
			b->modname, MODNAME_MAX);
		return EXIT_USAGE;
	}
	for (i = 0; i < b->nunits; i++)
		names[i] = b->units[i].name;
	b->version = glue_version(b->release, names, b->nunits);
	free(names);
	b->out = b->o.out ? xstrdup(b->o.out) : xasprintf("%s.ko", b->modname);
	return 0;
}
