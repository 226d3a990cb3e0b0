// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * The target kernel of 'clp build': its build tree, release, System.map,
 * Module.symvers, build-id, inline index, the clp headers and clp.ko's
 * Module.symvers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "env.h"
#include "inlines.h"
#include "build.h"
#include "util.h"

#ifndef CLP_DEFAULT_INCLUDE
#define CLP_DEFAULT_INCLUDE "/usr/share/clp/include"
#endif

static char *read_line_file(const char *path)
{
	char *s = read_file(path, NULL);

	if (s)
		s[strcspn(s, "\r\n")] = '\0';
	return s;
}

static bool valid_hex(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 128 || n % 2)
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

/* The GNU build-id note of the running kernel (/sys/kernel/notes). */
static char *running_build_id(void)
{
	size_t len;
	char *buf = read_file("/sys/kernel/notes", &len), *id;

	if (!buf)
		return NULL;
	id = notes_build_id(buf, len);
	free(buf);
	return id;
}

void find_top(struct build *b)
{
	char *dir = xstrdup(b->self), *p;
	int i;

	for (i = 0; i < 4; i++) {	/* <top>/build/host/bin/clp */
		p = strrchr(dir, '/');
		if (!p)
			break;
		*p = '\0';
	}
	if (i == 4) {
		char *h = xasprintf("%s/kmod/include/clp/patch.h", dir);

		if (is_file(h))
			b->top = xstrdup(dir);
		free(h);
	}
	free(dir);
	if (getenv("CLP_CACHE"))
		b->cache = xstrdup(getenv("CLP_CACHE"));
	else if (b->top)
		b->cache = xasprintf("%s/.cache", b->top);
}

/*
 * The release a kernel tree's modules are built for: UTS_RELEASE in
 * include/generated/utsrelease.h (what vermagic carries), else
 * include/config/kernel.release.  Debian's headers packages have both, and
 * the latter says the upstream version (6.1.192), not the package's
 * release (6.1.0-56-amd64).
 */
static char *tree_release(const char *kdir)
{
	static const char key[] = "#define UTS_RELEASE \"";
	char *p = xasprintf("%s/include/generated/utsrelease.h", kdir);
	char *rel = NULL, *end;
	FILE *f = fopen(p, "r");
	char line[256];

	free(p);
	while (f && !rel && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, sizeof(key) - 1))
			continue;
		end = strchr(line + sizeof(key) - 1, '"');
		if (end && end > line + sizeof(key) - 1) {
			*end = '\0';
			rel = xstrdup(line + sizeof(key) - 1);
		}
	}
	if (f)
		fclose(f);
	if (rel)
		return rel;
	p = xasprintf("%s/include/config/kernel.release", kdir);
	rel = read_line_file(p);
	free(p);
	return rel;
}

int resolve_target(struct build *b)
{
	struct utsname u;
	char *p;
	bool running;

	uname(&u);
	if (b->o.kdir) {
		b->kdir = abs_path("--kdir", b->o.kdir);
		if (!b->kdir)
			return EXIT_ENV;
		b->release = tree_release(b->kdir);
		if (!b->release) {
			err_msg("%s: no kernel release in include/generated/utsrelease.h or include/config/kernel.release (not a prepared kernel build tree)",
				b->kdir);
			return EXIT_ENV;
		}
	} else {
		b->release = xstrdup(b->o.kver ? b->o.kver : u.release);
		if (b->cache) {
			p = xasprintf("%s/kernels/%s/build", b->cache, b->release);
			if (is_dir(p))
				b->kdir = p;
			else
				free(p);
		}
		if (!b->kdir) {
			p = xasprintf("/lib/modules/%s/build", b->release);
			if (!is_dir(p)) {
				err_msg("unknown kernel release %s: no build tree in %s%s%s (install linux-headers-%s or run make setup)",
					b->release, b->cache ? b->cache : "", b->cache ? "/kernels/ nor " : "", p,
					b->release);
				free(p);
				return EXIT_ENV;
			}
			b->kdir = p;
		}
	}
	p = xasprintf("%s/Makefile", b->kdir);
	if (!is_file(p)) {
		err_msg("%s: kernel headers missing (no Makefile)", b->kdir);
		free(p);
		return EXIT_ENV;
	}
	free(p);
	b->symvers = xasprintf("%s/Module.symvers", b->kdir);
	if (!is_file(b->symvers)) {
		err_msg("%s: missing; the kernel headers are incomplete", b->symvers);
		return EXIT_ENV;
	}
	running = !strcmp(b->release, u.release);

	/* the symbol table */
	if (b->o.system_map) {
		b->system_map = abs_path("--system-map", b->o.system_map);
		if (!b->system_map)
			return EXIT_ENV;
	} else {
		if (b->cache) {
			p = xasprintf("%s/kernels/%s/System.map", b->cache, b->release);
			if (is_file(p))
				b->system_map = p;
			else
				free(p);
		}
		if (!b->system_map && running)
			b->system_map = xstrdup("/proc/kallsyms");
		if (!b->system_map) {
			p = xasprintf("/boot/System.map-%s", b->release);
			if (is_file(p))
				b->system_map = p;
			else
				free(p);
		}
		if (!b->system_map) {
			err_msg("no System.map for %s: run tools/fetch-symbols %s or pass --system-map",
				b->release, b->release);
			return EXIT_ENV;
		}
	}
	if (!is_file(b->system_map)) {
		err_msg("%s: no such file", b->system_map);
		return EXIT_ENV;
	}
	if (strpbrk(b->system_map, "\t\n") || strpbrk(b->symvers, "\t\n")) {
		err_msg("%s: a tab or newline in the path is not supported",
			strpbrk(b->system_map, "\t\n") ? b->system_map : b->symvers);
		return EXIT_ENV;
	}

	/* the inline index: explicit, next to the System.map, or in the cache */
	if (b->o.inline_index) {
		b->inlines = abs_path("--inline-index", b->o.inline_index);
		if (!b->inlines)
			return EXIT_ENV;
		if (!is_file(b->inlines)) {
			err_msg("%s: no such file", b->inlines);
			return EXIT_ENV;
		}
	} else if (strcmp(b->system_map, "/proc/kallsyms")) {
		/* next to the System.map: the cache's, or one given */
		char *dir = xstrdup(b->system_map), *slash = strrchr(dir, '/');

		p = slash ? xasprintf("%.*s/inlines", (int)(slash - dir), dir) : xstrdup("inlines");
		free(dir);
		if (is_file(p))
			b->inlines = p;
		else
			free(p);
	} else if (b->cache) {
		/* the running kernel's symbols: the cache's index of its release */
		p = xasprintf("%s/kernels/%s/inlines", b->cache, b->release);
		if (is_file(p))
			b->inlines = p;
		else
			free(p);
	}
	if (b->inlines) {
		struct inline_index x;

		if (inline_index_load(&x, b->inlines))
			return EXIT_ENV;
		if (!x.release || strcmp(x.release, b->release)) {
			err_msg("%s: the inline index of %s, not of %s; run tools/fetch-symbols %s",
				b->inlines, x.release ? x.release : "?", b->release, b->release);
			inline_index_free(&x);
			return EXIT_ENV;
		}
		inline_index_free(&x);
	}

	/* the build-id */
	if (b->o.build_id) {
		b->build_id = xstrdup(b->o.build_id);
		for (p = b->build_id; *p; p++)
			if (*p >= 'A' && *p <= 'F')
				*p += 'a' - 'A';
		if (!valid_hex(b->build_id)) {
			err_msg("--build-id %s: not an even number of hex digits", b->o.build_id);
			return EXIT_USAGE;
		}
	} else {
		if (b->cache) {
			p = xasprintf("%s/kernels/%s/build-id", b->cache, b->release);
			b->build_id = read_line_file(p);
			free(p);
		}
		if (!b->build_id && running)
			b->build_id = running_build_id();
		if (!b->build_id) {
			err_msg("no build-id known for %s: run tools/fetch-symbols %s or pass --build-id",
				b->release, b->release);
			return EXIT_ENV;
		}
		if (!valid_hex(b->build_id)) {
			err_msg("bad cached build-id '%s' for %s", b->build_id, b->release);
			return EXIT_ENV;
		}
	}

	/* clp's headers and the core's exports */
	if (b->o.include)
		b->include = abs_path("--include", b->o.include);
	else if (getenv("CLP_INCLUDE"))
		b->include = abs_path("CLP_INCLUDE", getenv("CLP_INCLUDE"));
	else if (b->top)
		b->include = xasprintf("%s/kmod/include", b->top);
	else
		b->include = xstrdup(CLP_DEFAULT_INCLUDE);
	if (!b->include)
		return EXIT_ENV;
	p = xasprintf("%s/clp/patch.h", b->include);
	if (!is_file(p)) {
		err_msg("%s: clp headers missing; pass --include", p);
		free(p);
		return EXIT_ENV;
	}
	free(p);
	if (!kbuild_path_ok(b->include)) {
		err_msg("%s: kbuild cannot take this include directory (only %s); pass --include",
			b->include, KBUILD_PATH_CHARS);
		return EXIT_ENV;
	}
	if (b->o.core_symvers || getenv("CLP_CORE_SYMVERS")) {
		b->core_symvers = b->o.core_symvers ?
			abs_path("--core-symvers", b->o.core_symvers) :
			abs_path("CLP_CORE_SYMVERS", getenv("CLP_CORE_SYMVERS"));
		if (!b->core_symvers)
			return EXIT_ENV;
	} else if (b->top) {
		p = xasprintf("%s/build/%s/src/Module.symvers", b->top, b->release);
		if (is_file(p))
			b->core_symvers = p;
		else
			free(p);
	}
	if (b->core_symvers && !is_file(b->core_symvers)) {
		err_msg("%s: not a file (--core-symvers)", b->core_symvers);
		return EXIT_ENV;
	}
	if (b->core_symvers && !kbuild_path_ok(b->core_symvers)) {
		err_msg("%s: kbuild cannot take this path of the core's Module.symvers (only %s)",
			b->core_symvers, KBUILD_PATH_CHARS);
		return EXIT_ENV;
	}
	if (!kbuild_path_ok(b->self)) {
		err_msg("%s: kbuild cannot run clp from this path (only %s)", b->self,
			KBUILD_PATH_CHARS);
		return EXIT_ENV;
	}
	return 0;
}
