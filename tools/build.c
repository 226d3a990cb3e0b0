// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * The 'clp build' driver: takes the patch set apart, finds the target
 * kernel's tree, symbols and build-id, and runs kbuild once.  The Kbuild file
 * it writes compiles every patch file separately (with -DCLP_UNIT=<n>), then
 * runs 'clp build --glue-stage DIR' (build_glue_stage() below), which
 * analyses the objects, edits the references the core resolves at load and
 * writes clp_glue.c; kbuild then compiles the glue and links one module.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze.h"
#include "build.h"
#include "env.h"
#include "glue.h"
#include "inlines.h"
#include "ksyms.h"
#include "util.h"

#ifndef CLP_DEFAULT_INCLUDE
#define CLP_DEFAULT_INCLUDE "/usr/share/clp/include"
#endif

#define MODNAME_MAX 55	/* MODULE_NAME_LEN - 1 on 64-bit */

struct build_opts {
	const char *kver, *kdir, *name, *out, *system_map, *build_id, *include,
		*core_symvers, *release, *inline_index;
	bool dry_run, keep, verbose;
	int jobs;
};

struct build {
	struct build_opts o;
	struct unit *units;
	size_t nunits;
	char *release, *kdir, *system_map, *symvers, *build_id, *include, *core_symvers,
		*modname, *version, *out, *self, *top, *cache, *tmp, *inlines;
	bool written;		/* the output file is in place */
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp build [-k KVER | --kdir DIR] [-n NAME] [-o OUT.ko] [--dry-run] SET...\n"
"\n"
"Link a patch set into one cumulative live-patch module.  SET is a directory\n"
"(its *.c patch files in byte order, as run-parts orders them) or a patch file.\n"
"\n"
"  -k, --kver KVER        target kernel release (default: the running kernel)\n"
"      --kdir DIR         target kernel build tree (release read from it)\n"
"  -n, --name NAME        module name (default: clp_<set name>)\n"
"  -o, --output FILE      the module to write (default: NAME.ko)\n"
"      --dry-run          do every check and the build, write nothing\n"
"      --system-map FILE  the target's System.map (default: the cache filled by\n"
"                         tools/fetch-symbols, /proc/kallsyms if KVER is running)\n"
"      --inline-index FILE  the target's inline index (default: 'inlines' next to\n"
"                         the System.map, made by tools/fetch-symbols)\n"
"      --build-id HEX     record this build-id instead of the target's\n"
"      --release REL      record this kernel release instead of the target's\n"
"                         (for tests of 'clp check'; vermagic is unchanged)\n"
"      --include DIR      where clp/patch.h is (default: the tree's kmod/include)\n"
"      --core-symvers F   Module.symvers of clp.ko (default: the tree's build)\n"
"  -j, --jobs N           parallel compile jobs (default: number of CPUs)\n"
"      --keep             keep the temporary build directory\n"
"  -v, --verbose          show the kbuild command and all compiler output\n"
"\n"
"Exit status: 0 module written (or dry run passed); 1 the set was rejected\n"
"(not text, compile error, bad marker, unknown or ambiguous symbol, conflict,\n"
"a clone or inlined copy of a replaced function left out, reference into a\n"
"module from code not switched with it); 2 bad command line; 3 target kernel\n"
"tree, System.map or build-id missing, a path (TMPDIR too) missing or one\n"
"kbuild cannot take, or the inline index given missing or not the target's;\n"
"4 I/O or internal error.  No output file appears unless the status is 0.\n"
"SIGINT, SIGTERM and SIGHUP stop kbuild and remove the temporary tree.\n");
}

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Whether a path can be written unquoted into the generated Kbuild file, a
 * make recipe and make's command line (M=, KBUILD_EXTRA_SYMBOLS=, -I):
 * make expands '$' (TMPDIR='/x$(shell cmd)' would run cmd), splits words on
 * blanks and gives ':', '=', '#', ',' and quotes meanings of their own.
 */
static bool kbuild_path_ok(const char *p)
{
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/._+-@~", *p))
			return false;
	return true;
}

#define KBUILD_PATH_CHARS "letters, digits and /._+-@~"

/*
 * @arg as an absolute path with symlinks resolved: kbuild and the glue
 * stage run in other directories, so a relative path given on the command
 * line would name another file there.  NULL (after a message) if @arg does
 * not exist.
 */
static char *abs_path(const char *what, const char *arg)
{
	char *p = realpath(arg, NULL);

	if (!p)
		err_msg("%s %s: %s", what, arg, strerror(errno));
	return p;
}

/* "0010-cmdline-banner.c" -> "cmdline-banner"; NULL if not a valid name. */
static char *patch_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;
	char *name, *p;

	base = base ? base + 1 : path;
	while (*base >= '0' && *base <= '9')
		base++;
	if (base != path && (*base == '-' || *base == '_') && base[-1] >= '0' && base[-1] <= '9')
		base++;
	len = strlen(base);
	if (len <= 2 || strcmp(base + len - 2, ".c"))
		return NULL;
	name = xstrdup(base);
	name[len - 2] = '\0';
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')) {
			free(name);
			return NULL;
		}
	return name;
}

/* run-parts style: [A-Za-z0-9_-]+ followed by ".c". */
static bool patch_file_name(const char *n)
{
	size_t len = strlen(n), i;

	if (len < 3 || strcmp(n + len - 2, ".c"))
		return false;
	for (i = 0; i < len - 2; i++)
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
		err_msg("%s: not a patch source (the name must be [0-9-]<name>.c with name of letters, digits, '-' and '_')", path);
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
	b->nunits++;
	return 0;
}

static int collect_set(struct build *b, char **args, int n)
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

static void find_top(struct build *b)
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

static int resolve_target(struct build *b)
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

static int derive_names(struct build *b, char **args, int n)
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

static int write_text(const char *path, const char *text)
{
	if (write_file_atomic(path, text, strlen(text))) {
		err_msg("%s: %s", path, strerror(errno));
		return EXIT_INTERNAL;
	}
	return 0;
}

static int write_tree(struct build *b)
{
	struct strbuf kb = { 0 }, st = { 0 };
	size_t i;
	int rc = 0;

	sb_printf(&kb, "# Generated by clp build.\nobj-m := %s.o\n%s-y :=", b->modname, b->modname);
	for (i = 0; i < b->nunits; i++)
		sb_printf(&kb, " clpunit%d.o", b->units[i].id);
	sb_printf(&kb, " clp_glue.o\nccflags-y += -I%s\n", b->include);
	for (i = 0; i < b->nunits; i++)
		sb_printf(&kb, "CFLAGS_clpunit%d.o := -DCLP_UNIT=%d\n", b->units[i].id,
			  b->units[i].id);
	sb_printf(&kb, "$(src)/clp_glue.c:");
	for (i = 0; i < b->nunits; i++)
		sb_printf(&kb, " $(obj)/clpunit%d.o", b->units[i].id);
	sb_printf(&kb, "\n\t$(Q)'%s' build --glue-stage '%s'\n", b->self, b->tmp);

	sb_printf(&st, "release\t%s\nmodname\t%s\nversion\t%s\nsysmap\t%s\nsymvers\t%s\n",
		  b->release, b->modname, b->version, b->system_map, b->symvers);
	if (b->core_symvers)
		sb_printf(&st, "symvers\t%s\n", b->core_symvers);
	if (b->build_id)
		sb_printf(&st, "buildid\t%s\n", b->build_id);
	if (b->inlines)
		sb_printf(&st, "inlines\t%s\n", b->inlines);
	for (i = 0; i < b->nunits; i++) {
		char *p = xasprintf("%s/clpunit%d.c", b->tmp, b->units[i].id);
		char *c = xasprintf("/* %s */\n#include \"%s\"\n", b->units[i].name, b->units[i].src);

		rc = rc ? rc : write_text(p, c);
		free(p);
		free(c);
		sb_printf(&st, "unit\t%d\t%s\t%s\n", b->units[i].id, b->units[i].name, b->units[i].src);
	}
	if (!rc) {
		char *p = xasprintf("%s/Kbuild", b->tmp);

		rc = write_text(p, kb.buf);
		free(p);
		p = xasprintf("%s/clp.state", b->tmp);
		rc = rc ? rc : write_text(p, st.buf);
		free(p);
	}
	sb_free(&kb);
	sb_free(&st);
	return rc;
}

static bool noise(const char *line)
{
	return str_starts(line, "make: ") || str_starts(line, "make[") ||
	       strstr(line, "Skipping BTF generation") ||
	       (strstr(line, "modpost: \"clp_") && strstr(line, "undefined!")) ||
	       strstr(line, "warning: the compiler differs from the one used to build") ||
	       str_starts(line, "  You are using:") || !*line;
}

#define LOG_MAX_ERRORS	10	/* compiler errors shown in full */
#define LOG_MAX_LINES	60	/* lines shown at most */

static bool error_line(const char *line)
{
	return strstr(line, ": error: ") || strstr(line, ": fatal error: ");
}

/*
 * Show kbuild's output without make's noise.  Unless @all, only the first
 * LOG_MAX_ERRORS compiler errors (with their context lines) and at most
 * LOG_MAX_LINES lines are shown, then a count of what was left out.
 */
static void show_log(const char *path, bool failed, bool all, const char *kept)
{
	size_t len;
	char *buf = read_file(path, &len), *line, *next;
	int shown = 0, errors = 0, hidden = 0, hidden_errors = 0;

	if (!buf)
		return;
	for (line = buf; line < buf + len; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : buf + len;
		if (next[-1] == '\n')
			next[-1] = '\0';
		if (noise(line))
			continue;
		if (error_line(line))
			errors++;
		if (!all && (hidden || errors > LOG_MAX_ERRORS || shown >= LOG_MAX_LINES)) {
			hidden++;
			hidden_errors += error_line(line);
			continue;
		}
		fprintf(stderr, "%s\n", line);
		shown++;
	}
	if (hidden) {
		err_msg("%d more line%s of compiler output not shown (%d error%s)%s%s",
			hidden, hidden == 1 ? "" : "s", hidden_errors, hidden_errors == 1 ? "" : "s",
			kept ? "; all of it is in " : "; -v shows all of it",
			kept ? path : "");
	}
	free(buf);
	if (failed && !shown && !hidden) {	/* all of it looked like noise */
		buf = read_file(path, NULL);
		if (buf)
			fputs(buf, stderr);
		free(buf);
	}
}

/*
 * SIGINT, SIGTERM and SIGHUP during a build.  The handler cannot reach
 * struct build, so this is the one piece of static state of 'clp build':
 * the signal that arrived and kbuild's process group, to which the handler
 * forwards it.  cmd_build() checks build_signal between its steps, removes
 * the temporary tree and then dies of the signal.
 */
static volatile sig_atomic_t build_signal;
static volatile sig_atomic_t build_pgrp;	/* kbuild's process group; 0: none */
static const int build_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void on_build_signal(int sig)
{
	build_signal = sig;
	if (build_pgrp > 0)
		kill(-(pid_t)build_pgrp, sig);
}

/* Catch the signals, except those ignored on entry (nohup keeps SIGHUP). */
static void catch_build_signals(void)
{
	struct sigaction sa = { .sa_handler = on_build_signal }, old;
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(build_signals) / sizeof(build_signals[0]); i++) {
		if (sigaction(build_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(build_signals[i], &sa, NULL);
	}
}

static void block_build_signals(bool block, sigset_t *old)
{
	sigset_t set;
	size_t i;

	if (!block) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigemptyset(&set);
	for (i = 0; i < sizeof(build_signals) / sizeof(build_signals[0]); i++)
		sigaddset(&set, build_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static int run_kbuild(struct build *b)
{
	char jobs[32], mflag[PATH_MAX + 8], extra[PATH_MAX + 32];
	char *log = xasprintf("%s/kbuild.log", b->tmp);
	char *argv[16];
	int argc = 0, status, fd;
	pid_t pid;

	snprintf(jobs, sizeof(jobs), "-j%d", b->o.jobs);
	snprintf(mflag, sizeof(mflag), "M=%s", b->tmp);
	argv[argc++] = "make";
	argv[argc++] = "-s";
	argv[argc++] = "-C";
	argv[argc++] = b->kdir;
	argv[argc++] = mflag;
	argv[argc++] = jobs;
	if (b->core_symvers) {
		snprintf(extra, sizeof(extra), "KBUILD_EXTRA_SYMBOLS=%s", b->core_symvers);
		argv[argc++] = extra;
	} else {
		argv[argc++] = "KBUILD_MODPOST_WARN=1";
	}
	argv[argc++] = "modules";
	argv[argc] = NULL;
	if (b->o.verbose) {
		int i;

		fprintf(stderr, "clp:");
		for (i = 0; i < argc; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n");
	}
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		err_msg("fork: %s", strerror(errno));
		free(log);
		return EXIT_INTERNAL;
	}
	if (pid == 0) {
		/* its own process group: a signal to clp is forwarded to all of kbuild */
		setpgid(0, 0);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		execvp("make", argv);
		fprintf(stderr, "clp: cannot run make: %s\n", strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);	/* either side may win the race */
	build_pgrp = pid;
	if (build_signal)	/* arrived before build_pgrp was set */
		kill(-pid, build_signal);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			err_msg("waitpid: %s", strerror(errno));
			build_pgrp = 0;
			free(log);
			return EXIT_INTERNAL;
		}
	build_pgrp = 0;
	if (build_signal) {
		free(log);
		return EXIT_REJECTED;
	}
	show_log(log, !WIFEXITED(status) || WEXITSTATUS(status), b->o.verbose, b->o.keep ? b->tmp : NULL);
	free(log);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		err_msg("cannot run make");
		return EXIT_INTERNAL;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		err_msg("the patch set was rejected; no module written");
		return EXIT_REJECTED;
	}
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int install_output(struct build *b)
{
	char *ko = xasprintf("%s/%s.ko", b->tmp, b->modname);
	size_t len;
	char *data = read_file(ko, &len);
	sigset_t old;
	int rc = 0;

	if (!data) {
		err_msg("%s: %s (kbuild produced no module)", ko, strerror(errno));
		rc = EXIT_INTERNAL;
	} else if (!b->o.dry_run) {
		/* written whole or not at all, unless already interrupted */
		block_build_signals(true, &old);
		if (!build_signal && write_file_atomic(b->out, data, len)) {
			err_msg("%s: %s", b->out, strerror(errno));
			rc = EXIT_INTERNAL;
		} else if (!build_signal) {
			b->written = true;
		}
		block_build_signals(false, &old);
	}
	free(data);
	free(ko);
	return rc;
}

/* The signal that interrupted the build, or 0. */
static int build_interrupted(void)
{
	return build_signal;
}

/* The temporary tree kbuild builds in, under TMPDIR: b->tmp. */
static int make_build_tree(struct build *b)
{
	const char *tmpdir = getenv("TMPDIR");
	char *tbase, *tmpl;

	tbase = abs_path("TMPDIR", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!tbase)
		return EXIT_ENV;
	if (!kbuild_path_ok(tbase)) {
		err_msg("TMPDIR %s: kbuild cannot build in a directory whose path has characters other than %s; set TMPDIR to another directory",
			tbase, KBUILD_PATH_CHARS);
		free(tbase);
		return EXIT_ENV;
	}
	tmpl = xasprintf("%s/clp-build.XXXXXX", tbase);
	free(tbase);
	if (!mkdtemp(tmpl)) {
		err_msg("%s: %s", tmpl, strerror(errno));
		free(tmpl);
		return EXIT_INTERNAL;
	}
	b->tmp = tmpl;
	return EXIT_OK;
}

/* Remove the temporary tree, unless --keep. */
static void remove_build_tree(struct build *b)
{
	if (b->o.keep)
		fprintf(stderr, "clp: kept %s\n", b->tmp);
	else
		nftw(b->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void free_build(struct build *b)
{
	size_t i;

	for (i = 0; i < b->nunits; i++) {
		free(b->units[i].name);
		free(b->units[i].src);
	}
	free(b->units);
	free(b->release); free(b->kdir); free(b->system_map); free(b->symvers);
	free(b->build_id); free(b->include); free(b->core_symvers); free(b->modname);
	free(b->version); free(b->out); free(b->self); free(b->top); free(b->cache);
	free(b->tmp); free(b->inlines);
}

int cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kver", required_argument, NULL, 'k' },
		{ "kdir", required_argument, NULL, 'K' },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "system-map", required_argument, NULL, 'S' },
		{ "inline-index", required_argument, NULL, 'X' },
		{ "build-id", required_argument, NULL, 'B' },
		{ "release", required_argument, NULL, 'R' },
		{ "include", required_argument, NULL, 'I' },
		{ "core-symvers", required_argument, NULL, 'C' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "keep", no_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "glue-stage", required_argument, NULL, 'G' },	/* internal, not in --help */
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct build b = { 0 };
	int c, rc;

	b.o.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	optind = 1;
	while ((c = getopt_long(argc, argv, "k:n:o:j:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': b.o.kver = optarg; break;
		case 'K': b.o.kdir = optarg; break;
		case 'n': b.o.name = optarg; break;
		case 'o': b.o.out = optarg; break;
		case 'd': b.o.dry_run = true; break;
		case 'S': b.o.system_map = optarg; break;
		case 'X': b.o.inline_index = optarg; break;
		case 'B': b.o.build_id = optarg; break;
		case 'R': b.o.release = optarg; break;
		case 'I': b.o.include = optarg; break;
		case 'C': b.o.core_symvers = optarg; break;
		case 'j': b.o.jobs = atoi(optarg); break;
		case 'p': b.o.keep = true; break;
		case 'v': b.o.verbose = true; break;
		case 'G': return build_glue_stage(optarg);
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (b.o.kver && b.o.kdir) {
		err_msg("build: -k and --kdir exclude each other");
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		err_msg("build: no patch set given");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (b.o.jobs < 1)
		b.o.jobs = 1;
	b.self = realpath("/proc/self/exe", NULL);
	if (!b.self) {
		err_msg("cannot find my own executable: %s", strerror(errno));
		return EXIT_INTERNAL;
	}
	find_top(&b);
	if ((rc = collect_set(&b, argv + optind, argc - optind)) ||
	    (rc = resolve_target(&b)))
		goto out;
	if (b.o.release) {
		if (!*b.o.release || strpbrk(b.o.release, " \t\n\"\\")) {
			err_msg("--release '%s': not a kernel release", b.o.release);
			rc = EXIT_USAGE;
			goto out;
		}
		free(b.release);
		b.release = xstrdup(b.o.release);
	}
	if ((rc = derive_names(&b, argv + optind, argc - optind)))
		goto out;
	if (!b.inlines)
		fprintf(stderr, "clp: warning: no inline index for %s (tools/fetch-symbols %s makes it; or --inline-index): copies of replaced functions inlined into other functions are not checked\n",
			b.release, b.release);
	catch_build_signals();
	if ((rc = make_build_tree(&b)))
		goto out;
	if (!build_interrupted() && !(rc = write_tree(&b)) && !build_interrupted() &&
	    !(rc = run_kbuild(&b)) && !build_interrupted() && !(rc = install_output(&b)) &&
	    !build_interrupted()) {
		if (b.o.dry_run)
			printf("clp: dry run passed: %s (%s), %zu patch%s; nothing written\n",
			       b.modname, b.version, b.nunits, b.nunits == 1 ? "" : "es");
		else
			printf("clp: wrote %s: %s (%s)\n", b.out, b.modname, b.version);
	}
	remove_build_tree(&b);
out:
	free_build(&b);
	if (build_interrupted()) {
		int sig = build_interrupted();

		err_msg("build: interrupted by SIG%s; kbuild stopped%s, %s",
			sigabbrev_np(sig), b.o.keep ? "" : ", temporary tree removed",
			b.written ? "but the module was written already" : "no module written");
		signal(sig, SIG_DFL);
		raise(sig);
		rc = 128 + sig;
	}
	return rc;
}

/* ---- the step between compiling and linking ---------------------------- */

int build_glue_stage(const char *dir)
{
	char *statep = xasprintf("%s/clp.state", dir), *state = read_file(statep, NULL);
	char *line, *save = NULL, *gluep;
	struct analysis a = { 0 };
	struct ksyms ks = { 0 };
	struct inline_index inl = { 0 };
	struct glue_info gi = { 0 };
	struct elf_obj *objs = NULL;
	struct strbuf sb = { 0 };
	const char *sysmap = NULL, *inlines = NULL;
	size_t i;
	int rc = EXIT_REJECTED;

	if (!state) {
		err_msg("%s: %s", statep, strerror(errno));
		free(statep);
		return EXIT_INTERNAL;
	}
	for (line = strtok_r(state, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *val = strchr(line, '\t');

		if (!val)
			continue;
		*val++ = '\0';
		if (!strcmp(line, "release"))
			gi.release = val;
		else if (!strcmp(line, "modname"))
			gi.modname = val;
		else if (!strcmp(line, "version"))
			gi.version = val;
		else if (!strcmp(line, "buildid"))
			gi.build_id = val;
		else if (!strcmp(line, "sysmap"))
			sysmap = val;
		else if (!strcmp(line, "inlines"))
			inlines = val;
		else if (!strcmp(line, "symvers") && ksyms_load_symvers(&ks, val))
			goto out;
		else if (!strcmp(line, "unit")) {
			char *name = strchr(val, '\t'), *src = name ? strchr(name + 1, '\t') : NULL;

			if (!src)
				continue;
			*name++ = '\0';
			*src++ = '\0';
			a.units = xrealloc(a.units, (a.nunits + 1) * sizeof(*a.units));
			a.units[a.nunits] = (struct unit){
				.id = atoi(val), .name = name, .src = src,
				.obj = xasprintf("%s/clpunit%s.o", dir, val),
			};
			a.nunits++;
		}
	}
	if (!gi.release || !gi.modname || !gi.version || !a.nunits) {
		err_msg("%s: incomplete", statep);
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (sysmap && ksyms_load_map(&ks, sysmap))
		goto out;
	if (inlines) {
		if (inline_index_load(&inl, inlines))
			goto out;
		a.inl = &inl;
	}
	a.ks = &ks;
	a.release = gi.release;
	objs = xcalloc(a.nunits, sizeof(*objs));
	for (i = 0; i < a.nunits; i++) {
		if (elfobj_open(&objs[i], a.units[i].obj, true)) {
			fprintf(stderr, "%s: error: %s\n", a.units[i].src, objs[i].err);
			a.errors++;
			continue;
		}
		analyze_markers(&a, &objs[i], a.units[i].id);
	}
	if (a.errors)
		goto out;
	analyze_check(&a);
	analyze_coverage(&a);
	for (i = 0; i < a.nunits; i++)
		analyze_refs(&a, &objs[i], a.units[i].id, true);
	if (!a.errors)
		for (i = 0; i < a.nunits; i++)
			analyze_module_refs(&a, &objs[i], a.units[i].id);
	if (a.errors)
		goto out;
	for (i = 0; i < a.nunits; i++) {
		if (elfobj_write(&objs[i])) {
			fprintf(stderr, "%s: error: %s\n", a.units[i].src, objs[i].err);
			rc = EXIT_INTERNAL;
			goto out;
		}
	}
	glue_generate(&sb, &a, &gi);
	gluep = xasprintf("%s/clp_glue.c", dir);
	rc = write_file_atomic(gluep, sb.buf, sb.len) ? EXIT_INTERNAL : 0;
	if (rc)
		err_msg("%s: %s", gluep, strerror(errno));
	free(gluep);
out:
	if (a.errors)
		fprintf(stderr, "clp: %d error%s in the patch set\n", a.errors, a.errors == 1 ? "" : "s");
	for (i = 0; objs && i < a.nunits; i++)
		elfobj_close(&objs[i]);
	free(objs);
	for (i = 0; i < a.nunits; i++)
		free(a.units[i].obj);
	free(a.units);
	analysis_free(&a);
	ksyms_free(&ks);
	inline_index_free(&inl);
	sb_free(&sb);
	free(state);
	free(statep);
	return rc;
}
