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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
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
"  -v, --verbose          show the kbuild command\n"
"\n"
"Exit status: 0 module written (or dry run passed); 1 the set was rejected\n"
"(compile error, bad marker, unknown or ambiguous symbol, conflict, a clone\n"
"or inlined copy of a replaced function left out); 2 bad\n"
"command line; 3 target kernel tree, System.map or build-id missing, or the\n"
"inline index given missing or not the target's; 4 I/O or internal error.\n"
"No output file appears unless the status is 0.\n");
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
		b->kdir = xstrdup(b->o.kdir);
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
		b->system_map = xstrdup(b->o.system_map);
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

	/* the inline index: explicit, next to the System.map, or in the cache */
	if (b->o.inline_index) {
		b->inlines = xstrdup(b->o.inline_index);
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
		b->include = xstrdup(b->o.include);
	else if (getenv("CLP_INCLUDE"))
		b->include = xstrdup(getenv("CLP_INCLUDE"));
	else if (b->top)
		b->include = xasprintf("%s/kmod/include", b->top);
	else
		b->include = xstrdup(CLP_DEFAULT_INCLUDE);
	p = xasprintf("%s/clp/patch.h", b->include);
	if (!is_file(p) || strpbrk(b->include, " \t\"'\\$")) {
		err_msg("%s: clp headers missing (or a path kbuild cannot take); pass --include", p);
		free(p);
		return EXIT_ENV;
	}
	free(p);
	if (b->o.core_symvers) {
		b->core_symvers = xstrdup(b->o.core_symvers);
	} else if (getenv("CLP_CORE_SYMVERS")) {
		b->core_symvers = xstrdup(getenv("CLP_CORE_SYMVERS"));
	} else if (b->top) {
		p = xasprintf("%s/build/%s/src/Module.symvers", b->top, b->release);
		if (is_file(p))
			b->core_symvers = p;
		else
			free(p);
	}
	if (b->core_symvers && (!is_file(b->core_symvers) || strpbrk(b->core_symvers, " \t\"'\\$"))) {
		err_msg("%s: no such file (or a path kbuild cannot take)", b->core_symvers);
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

static void show_log(const char *path, bool failed)
{
	size_t len;
	char *buf = read_file(path, &len), *line, *next;
	int shown = 0;

	if (!buf)
		return;
	for (line = buf; line < buf + len; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : buf + len;
		if (next[-1] == '\n')
			next[-1] = '\0';
		if (noise(line))
			continue;
		fprintf(stderr, "%s\n", line);
		shown++;
	}
	if (failed && !shown)
		fputs(buf, stderr);
	free(buf);
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
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		execvp("make", argv);
		fprintf(stderr, "clp: cannot run make: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			err_msg("waitpid: %s", strerror(errno));
			free(log);
			return EXIT_INTERNAL;
		}
	show_log(log, !WIFEXITED(status) || WEXITSTATUS(status));
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
	int rc = 0;

	if (!data) {
		err_msg("%s: %s (kbuild produced no module)", ko, strerror(errno));
		rc = EXIT_INTERNAL;
	} else if (!b->o.dry_run && write_file_atomic(b->out, data, len)) {
		err_msg("%s: %s", b->out, strerror(errno));
		rc = EXIT_INTERNAL;
	}
	free(data);
	free(ko);
	return rc;
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
	char tmpl[PATH_MAX];
	const char *tmpdir = getenv("TMPDIR");
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
	snprintf(tmpl, sizeof(tmpl), "%s/clp-build.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmpl)) {
		err_msg("%s: %s", tmpl, strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	b.tmp = xstrdup(tmpl);
	if (!(rc = write_tree(&b)) && !(rc = run_kbuild(&b)) && !(rc = install_output(&b))) {
		if (b.o.dry_run)
			printf("clp: dry run passed: %s (%s), %zu patch%s; nothing written\n",
			       b.modname, b.version, b.nunits, b.nunits == 1 ? "" : "es");
		else
			printf("clp: wrote %s: %s (%s)\n", b.out, b.modname, b.version);
	}
	if (b.o.keep)
		fprintf(stderr, "clp: kept %s\n", b.tmp);
	else
		nftw(b.tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
out:
	free_build(&b);
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
