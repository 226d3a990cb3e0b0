// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * Prepared kernel source trees (srctree.h): find, fetch, configure,
 * verify.  The long steps run apt-get, dpkg-deb, tar and make as child
 * processes in their own process group; a signal to clp is forwarded to
 * it and the partial tree removed.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "srctree.h"
#include "util.h"

#define STAMP ".clp-source"
#define STAMP_MAGIC "# clp source 1"
#define GENERATED ".clp-generated"	/* the files the prepare made, one a line */
#define UNPACKED ".clp-unpacked"	/* older than those, newer than the source */

/* a child process group to forward signals to, and the signal that came
 * (a signal handler sees nothing else) */
static volatile pid_t child_pgrp;
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
	if (child_pgrp > 0)
		kill(-child_pgrp, sig);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A release or file name that is one path component of plain characters. */
static bool release_ok(const char *r)
{
	const char *p;

	if (!*r || *r == '.' || strlen(r) > 64)
		return false;
	for (p = r; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._+-~", *p))
			return false;
	return true;
}

char *srctree_cache_root(const char *dir)
{
	char *self, *top, *p, *h;
	int i;

	if (dir)
		return xstrdup(dir);
	if (getenv("CLP_CACHE") && *getenv("CLP_CACHE"))
		return xstrdup(getenv("CLP_CACHE"));
	self = realpath("/proc/self/exe", NULL);
	if (self) {
		top = xstrdup(self);
		for (i = 0; i < 4 && (p = strrchr(top, '/')); i++)
			*p = '\0';	/* <top>/build/host/bin/clp */
		h = xasprintf("%s/kmod/include/clp/patch.h", top);
		if (i == 4 && str_ends(self, "/build/host/bin/clp") && is_file(h)) {
			free(h);
			free(self);
			p = xasprintf("%s/.cache", top);
			free(top);
			return p;
		}
		free(h);
		free(top);
		free(self);
	}
	return xstrdup("/var/cache/clp");
}

void srctree_free(struct srctree *t)
{
	free(t->release);
	free(t->path);
	free(t->debian_version);
	free(t->package);
	free(t->cc_version);
	free(t->prepared);
	memset(t, 0, sizeof(*t));
}

/* ---- the stamp ---- */

static char *stamp_value(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *l;

	for (l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, key, kl) && l[kl] == ' ')
			return xasprintf("%.*s", (int)strcspn(l + kl + 1, "\n"), l + kl + 1);
	return NULL;
}

/* The stamp of the tree at @path, for @release (NULL: any); @quiet: no message. */
static int read_stamp(const char *path, const char *release, struct srctree *t, bool quiet)
{
	char *f = xasprintf("%s/%s", path, STAMP);
	char *text = read_file(f, NULL), *g = NULL;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	if (!text || !str_starts(text, STAMP_MAGIC "\n")) {
		if (!quiet)
			err_msg("%s: %s; not a tree clp prepared (remove it: chmod -R u+w %s && rm -rf %s)",
				f, text ? "not a clp source stamp" : strerror(errno), path, path);
		rc = EXIT_REJECTED;
		goto out;
	}
	t->release = stamp_value(text, "release");
	t->debian_version = stamp_value(text, "debian_version");
	t->package = stamp_value(text, "package");
	t->cc_version = stamp_value(text, "cc_version");
	t->prepared = stamp_value(text, "prepared");
	t->path = realpath(path, NULL);	/* as make names it */
	if (!t->path)
		t->path = xstrdup(path);
	g = xasprintf("%s/%s", path, GENERATED);
	if (!t->release || !t->debian_version || !t->package || !t->cc_version || !t->prepared ||
	    !is_file(g)) {
		if (!quiet)
			err_msg("%s: incomplete stamp or no %s (remove the tree: chmod -R u+w %s && rm -rf %s)",
				f, GENERATED, path, path);
		rc = EXIT_REJECTED;
	} else if (release && strcmp(t->release, release)) {
		if (!quiet)
			err_msg("%s: the tree is for release %s, not %s", f, t->release, release);
		rc = EXIT_REJECTED;
	}
	if (rc)
		srctree_free(t);
out:
	free(text);
	free(g);
	free(f);
	return rc;
}

int srctree_find(const char *cache_root, const char *release, struct srctree *out)
{
	char *path;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!release_ok(release)) {
		err_msg("'%s' is not a kernel release", release);
		return EXIT_USAGE;
	}
	path = xasprintf("%s/src/%s", cache_root, release);
	if (!is_dir(path)) {
		err_msg("no prepared source tree for %s in %s/src (clp source prepare -k %s)",
			release, cache_root, release);
		free(path);
		return EXIT_ENV;
	}
	rc = read_stamp(path, release, out, false);
	free(path);
	return rc;
}

static int cmp_tree(const void *a, const void *b)
{
	return strcmp(((const struct srctree *)a)->release, ((const struct srctree *)b)->release);
}

int srctree_list(const char *cache_root, struct srctree **trees, size_t *n)
{
	char *dir = xasprintf("%s/src", cache_root);
	DIR *d = opendir(dir);
	struct dirent *e;

	*trees = NULL;
	*n = 0;
	if (!d) {
		free(dir);
		return errno == ENOENT ? 0 : EXIT_INTERNAL;
	}
	while ((e = readdir(d))) {
		char *p = xasprintf("%s/%s", dir, e->d_name);
		char *s = xasprintf("%s/%s", p, STAMP);
		struct srctree t;

		if (release_ok(e->d_name) && !strstr(e->d_name, ".tmp.") && is_dir(p) &&
		    is_file(s) && !read_stamp(p, e->d_name, &t, true)) {
			*trees = xrealloc(*trees, (*n + 1) * sizeof(**trees));
			(*trees)[(*n)++] = t;
		}
		free(s);
		free(p);
	}
	closedir(d);
	free(dir);
	if (*n)
		qsort(*trees, *n, sizeof(**trees), cmp_tree);
	return 0;
}

/* ---- child processes ---- */

/*
 * Run @argv in @cwd (NULL: here), in its own process group, stdout to
 * @outfd (-1: the log @logfd), stderr to @logfd (-1: /dev/null).  The exit
 * status, 128 + signal, or -1 if it could not be started.
 */
static int run(char *const argv[], const char *cwd, int outfd, int logfd)
{
	static const char *const unset[] = {
		"ARCH", "CROSS_COMPILE", "KBUILD_OUTPUT", "KBUILD_EXTMOD", "KCFLAGS",
		"KCPPFLAGS", "KAFLAGS", "KRUSTFLAGS", "LOCALVERSION", "KERNELRELEASE",
		"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "O", "W", "C", "V", NULL
	};
	int status, i, null;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		err_msg("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		null = open("/dev/null", O_RDWR);
		if (null < 0)
			_exit(127);
		dup2(null, 0);
		dup2(outfd >= 0 ? outfd : logfd >= 0 ? logfd : null, 1);
		dup2(logfd >= 0 ? logfd : null, 2);
		for (i = 0; unset[i]; i++)
			unsetenv(unset[i]);
		setenv("LC_ALL", "C", 1);
		if (cwd && chdir(cwd))
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	child_pgrp = pid;
	if (got_signal)
		kill(-pid, got_signal);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			child_pgrp = 0;
			return -1;
		}
	child_pgrp = 0;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The first line @argv prints on stdout (stderr dropped); NULL if it fails. */
static char *run_line(char *const argv[])
{
	char tmpl[] = "/tmp/clp-source.XXXXXX";
	int fd = mkstemp(tmpl), rc;
	char *line = NULL;

	if (fd < 0)
		return NULL;
	unlink(tmpl);
	rc = run(argv, NULL, fd, -1);
	if (rc == 0 && lseek(fd, 0, SEEK_SET) == 0) {
		FILE *f = fdopen(fd, "r");
		char buf[1024];

		if (f) {
			if (fgets(buf, sizeof(buf), f)) {
				buf[strcspn(buf, "\n")] = '\0';
				line = xstrdup(buf);
			}
			fclose(f);
			return line;
		}
	}
	close(fd);
	return NULL;
}

/* mkdir -p: 0, or -1 with errno set. */
static int mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST) {
			rc = -1;
			break;
		}
		if (!(*s = c))
			break;
	}
	if (!rc && !is_dir(path)) {
		errno = ENOTDIR;
		rc = -1;
	}
	free(p);
	return rc;
}

/* Remove a tree, read-only or not. */
static void remove_tree(const char *path)
{
	char *argv[] = { "sh", "-c", "chmod -R u+w -- \"$1\" 2>/dev/null; rm -rf -- \"$1\"",
			 "sh", (char *)path, NULL };

	run(argv, NULL, -1, -1);
}

/*
 * In the dependency files (.cmd, .d) among the generated files of the tree
 * at @root, the path @from becomes @to; their times stay (make compares
 * them).  Kbuild's own are relative; those of the tools built with O= an
 * absolute path (objtool, resolve_btfids), which must name the tree they
 * are in, else make there rebuilds the tools.
 */
static int relocate(const char *root, const char *from, const char *to)
{
	char *list = xasprintf("%s/%s", root, GENERATED);
	char *text = read_file(list, NULL), *l, *next;
	size_t fl = strlen(from);
	int rc = 0;

	if (!text) {
		err_msg("cannot read %s: %s", list, strerror(errno));
		free(list);
		return EXIT_INTERNAL;
	}
	for (l = text; *l && !rc; l = next) {
		char *path, *data, *hit;
		struct strbuf nb = { 0 };
		struct stat st;
		size_t len;

		next = strchr(l, '\n');
		if (next)
			*next++ = '\0';
		else
			next = l + strlen(l);
		if (!str_ends(l, ".cmd") && !str_ends(l, ".d"))
			continue;
		path = xasprintf("%s/%s", root, l);
		data = read_file(path, &len);
		if (data && strstr(data, from) && !stat(path, &st)) {
			const char *s = data;
			struct timespec ts[2] = { st.st_atim, st.st_mtim };

			while ((hit = strstr(s, from))) {
				sb_printf(&nb, "%.*s%s", (int)(hit - s), s, to);
				s = hit + fl;
			}
			sb_printf(&nb, "%s", s);
			if (write_file_atomic(path, nb.buf, nb.len) ||
			    utimensat(AT_FDCWD, path, ts, 0)) {
				err_msg("cannot rewrite %s: %s", path, strerror(errno));
				rc = EXIT_INTERNAL;
			}
		}
		sb_free(&nb);
		free(data);
		free(path);
	}
	free(text);
	free(list);
	return rc;
}

int srctree_copy(const struct srctree *t, const char *dest)
{
	char *argv[] = { "bash", "-c",
		"set -e -o pipefail; src=$1 dst=$2; "
		"cp -al -- \"$src\" \"$dst\"; "
		"find \"$dst\" -type d -exec chmod u+w -- {} +; "
		"cd \"$src\"; "
		"xargs -r -d '\\n' -a " GENERATED " cp -a --remove-destination --parents -t \"$dst\" --; "
		"cd \"$dst\"; "
		"xargs -r -d '\\n' -a " GENERATED " chmod u+w --",
		"bash", t->path, (char *)dest, NULL };
	char tmpl[] = "/tmp/clp-copy.XXXXXX";
	int fd = mkstemp(tmpl), rc;

	if (fd < 0) {
		err_msg("cannot create a temporary file: %s", strerror(errno));
		return EXIT_INTERNAL;
	}
	unlink(tmpl);
	if (access(dest, F_OK) == 0) {
		err_msg("cannot copy the source tree to %s: it exists", dest);
		close(fd);
		return EXIT_INTERNAL;
	}
	rc = run(argv, NULL, fd, fd);
	if (!rc) {
		char *real = realpath(dest, NULL);

		rc = real ? relocate(real, t->path, real) : EXIT_INTERNAL;
		free(real);
		if (rc) {
			remove_tree(dest);
			close(fd);
			return rc;
		}
	}
	if (rc) {
		char buf[512];
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		err_msg("cannot copy the source tree %s to %s%s%s", t->path, dest, *buf ? ": " : "", buf);
		remove_tree(dest);
	}
	close(fd);
	return rc ? EXIT_INTERNAL : 0;
}

/* ---- the kernel's configuration ---- */

/* "KEY=VALUE" lines of a .config / auto.conf, or "#define KEY VALUE" lines
 * of autoconf.h: KEY -> VALUE in @m (ptr, a string). */
static int read_config(const char *path, struct strmap *m)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (!f)
		return -1;
	while ((len = getline(&line, &cap, f)) > 0) {
		char *k = line, *v;
		struct strmap_ent *e;

		line[strcspn(line, "\n")] = '\0';
		if (str_starts(k, "#define ")) {
			k += 8;
			v = strchr(k, ' ');
		} else if (*k == '#' || !*k) {
			continue;
		} else {
			v = strchr(k, '=');
		}
		if (!v)
			continue;
		*v++ = '\0';
		e = strmap_put(m, k);
		free(e->ptr);
		e->ptr = xstrdup(v);
	}
	free(line);
	fclose(f);
	return 0;
}

static void config_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->ents[i].key)
			free(m->ents[i].ptr);
	strmap_free(m);
}

static const char *config_get(const struct strmap *m, const char *key)
{
	struct strmap_ent *e = strmap_get(m, key);

	return e ? e->ptr : NULL;
}

/* A config string value without its quotes (a new string). */
static char *unquote(const char *v)
{
	size_t n = v ? strlen(v) : 0;

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
		return xasprintf("%.*s", (int)n - 2, v + 1);
	return xstrdup(v ? v : "");
}

/* The first line of @path holding @key ("#define UTS_VERSION "), the rest of it. */
static char *header_define(const char *path, const char *key)
{
	char *text = read_file(path, NULL), *l, *r = NULL;

	if (!text)
		return NULL;
	for (l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, key, strlen(key))) {
			char *v = l + strlen(key);

			r = xasprintf("%.*s", (int)strcspn(v, "\n"), v);
			break;
		}
	free(text);
	return r;
}

/*
 * The Debian source version the headers @hdir were built from: the word
 * after "Debian " in UTS_VERSION (include/generated/utsversion.h, or
 * compile.h on older trees): "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (...)".
 */
static char *debian_version(const char *hdir)
{
	static const char *const files[] = { "utsversion.h", "compile.h", NULL };
	char *v = NULL, *p, *d;
	int i;

	for (i = 0; files[i] && !v; i++) {
		p = xasprintf("%s/include/generated/%s", hdir, files[i]);
		v = header_define(p, "#define UTS_VERSION ");
		free(p);
	}
	if (!v)
		return NULL;
	d = strstr(v, "Debian ");
	p = NULL;
	if (d) {
		d += 7;
		p = xasprintf("%.*s", (int)strcspn(d, " \")"), d);
		if (!*p || !isdigit((unsigned char)*p) || !release_ok(p)) {
			free(p);
			p = NULL;
		}
	}
	free(v);
	return p;
}

/* "2.40" (the last word of @line, up to a character not a digit or '.')
 * as the kernel's scripts/as-version.sh and ld-version.sh count: 24000. */
static long binutils_version(const char *line)
{
	const char *w = line ? strrchr(line, ' ') : NULL;
	long a = 0, b = 0, c = 0;

	w = w ? w + 1 : line;
	if (!w || sscanf(w, "%ld.%ld.%ld", &a, &b, &c) < 2)
		return -1;
	return a * 10000 + b * 100 + c;
}

/* The compiler named by CONFIG_CC_VERSION_TEXT: its first word. */
static char *cc_name(const char *text)
{
	char *n = xasprintf("%.*s", (int)strcspn(text, " "), text);

	if (!*n || !release_ok(n)) {
		free(n);
		return NULL;
	}
	return n;
}

/*
 * The tools on PATH are the kernel's: the compiler's first --version line
 * is CONFIG_CC_VERSION_TEXT, its version CONFIG_GCC_VERSION, the
 * assembler's and linker's CONFIG_AS_VERSION and CONFIG_LD_VERSION.
 * @what names the kernel in the messages.
 */
static int check_tools(const struct strmap *cfg, const char *what)
{
	char *text = unquote(config_get(cfg, "CONFIG_CC_VERSION_TEXT"));
	char *cc = cc_name(text), *line = NULL, *prefix = NULL, *tool = NULL;
	const char *want;
	int rc = EXIT_REJECTED;
	long v;

	if (!cc) {
		err_msg("%s: no usable CONFIG_CC_VERSION_TEXT ('%s') in its .config", what, text);
		goto out;
	}
	if (!config_get(cfg, "CONFIG_GCC_VERSION") || !strcmp(config_get(cfg, "CONFIG_GCC_VERSION"), "0")) {
		err_msg("%s was not built with GCC (CONFIG_GCC_VERSION); only GCC-built kernels are supported", what);
		goto out;
	}
	line = run_line((char *[]){ cc, "--version", NULL });
	if (!line) {
		err_msg("%s was built with '%s' (CONFIG_CC_VERSION_TEXT); %s is not on PATH", what, text, cc);
		rc = EXIT_ENV;
		goto out;
	}
	if (strcmp(line, text)) {
		err_msg("compiler mismatch: %s was built with '%s' (CONFIG_CC_VERSION_TEXT), %s on PATH is '%s'",
			what, text, cc, line);
		goto out;
	}
	free(line);
	line = run_line((char *[]){ cc, "-dumpfullversion", NULL });
	want = config_get(cfg, "CONFIG_GCC_VERSION");
	if (line) {
		long a = 0, b = 0, c = 0;

		sscanf(line, "%ld.%ld.%ld", &a, &b, &c);
		v = a * 10000 + b * 100 + c;
	} else {
		v = -1;
	}
	if (v != atol(want)) {
		err_msg("compiler mismatch: %s was built with GCC version %s (CONFIG_GCC_VERSION), %s is %ld",
			what, want, cc, v);
		goto out;
	}
	/* binutils: <prefix>as and <prefix>ld, the prefix of the compiler's name */
	prefix = xasprintf("%.*s", (int)(strstr(cc, "gcc") ? strstr(cc, "gcc") - cc : 0), cc);
	free(line);
	tool = xasprintf("%sas", prefix);
	line = run_line((char *[]){ tool, "--version", NULL });
	want = config_get(cfg, "CONFIG_AS_VERSION");
	v = binutils_version(line);
	if (!want || v != atol(want)) {
		err_msg("assembler mismatch: %s was built with assembler version %s (CONFIG_AS_VERSION), %s on PATH is %ld%s%s%s",
			what, want ? want : "(none)", tool, v, line ? " ('" : "", line ? line : "", line ? "')" : "");
		goto out;
	}
	free(line);
	free(tool);
	tool = xasprintf("%sld", prefix);
	line = run_line((char *[]){ tool, "-v", NULL });
	want = config_get(cfg, "CONFIG_LD_VERSION");
	v = binutils_version(line);
	if (!want || v != atol(want)) {
		err_msg("linker mismatch: %s was built with linker version %s (CONFIG_LD_VERSION), %s on PATH is %ld%s%s%s",
			what, want ? want : "(none)", tool, v, line ? " ('" : "", line ? line : "", line ? "')" : "");
		goto out;
	}
	rc = 0;
out:
	free(text);
	free(cc);
	free(line);
	free(prefix);
	free(tool);
	return rc;
}

/*
 * @ours (the prepared tree's) against @theirs (the headers'): the same
 * keys with the same values.  A message naming the first differences.
 */
static int compare_configs(const char *ours, const char *theirs, const char *what)
{
	struct strmap a = { 0 }, b = { 0 };
	struct strbuf diff = { 0 };
	int ndiff = 0, rc = 0;
	size_t i;

	if (read_config(ours, &a) || read_config(theirs, &b)) {
		err_msg("cannot read %s: %s", is_file(ours) ? theirs : ours, strerror(errno));
		config_free(&a);
		config_free(&b);
		return EXIT_REJECTED;
	}
	for (i = 0; i < b.cap; i++) {
		const char *k = b.ents[i].key, *v;

		if (!k)
			continue;
		v = config_get(&a, k);
		if (!v || strcmp(v, b.ents[i].ptr)) {
			if (ndiff++ < 3)
				sb_printf(&diff, "%s%s %s in the headers, %s here", diff.len ? "; " : "",
					  k, (char *)b.ents[i].ptr, v ? v : "unset");
		}
	}
	for (i = 0; i < a.cap; i++) {
		const char *k = a.ents[i].key;

		if (k && !config_get(&b, k) && ndiff++ < 3)
			sb_printf(&diff, "%s%s unset in the headers, %s here", diff.len ? "; " : "",
				  k, (char *)a.ents[i].ptr);
	}
	if (ndiff) {
		err_msg("%s differs from the headers' (%d difference%s): %s%s", what, ndiff,
			ndiff > 1 ? "s" : "", diff.buf, ndiff > 3 ? "; ..." : "");
		rc = EXIT_REJECTED;
	}
	sb_free(&diff);
	config_free(&a);
	config_free(&b);
	return rc;
}

/* ---- preparing ---- */

struct prep {
	const char *cache, *release, *hdir;
	const struct srctree_opts *opts;
	char *srcdir;		/* <cache>/src */
	char *final;		/* <cache>/src/<release> */
	char *work;		/* <cache>/src/<release>.tmp.<pid> */
	char *log;		/* <cache>/src/<release>.log */
	int logfd;
	char *debver, *package;
	struct strmap cfg;	/* the headers' .config */
};

static void progress(struct prep *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(struct prep *p, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (!p->opts || !p->opts->progress)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		p->opts->progress(p->opts->arg, s);
	free(s);
}

/* The last lines of the log after a failed step. */
static void show_log_tail(struct prep *p, const char *step)
{
	char *argv[] = { "tail", "-n", "15", p->log, NULL };

	fprintf(stderr, "clp: %s failed; the end of %s:\n", step, p->log);
	run(argv, NULL, 2, -1);
}

/* Remove <release>.tmp.<pid> trees of processes that are gone. */
static void remove_stale(struct prep *p)
{
	DIR *d = opendir(p->srcdir);
	struct dirent *e;
	size_t rl = strlen(p->release);

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *end;
		long pid;

		if (strncmp(e->d_name, p->release, rl) || strncmp(e->d_name + rl, ".tmp.", 5))
			continue;
		pid = strtol(e->d_name + rl + 5, &end, 10);
		if (*end || pid <= 0 || (pid != getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)))
			continue;
		end = xasprintf("%s/%s", p->srcdir, e->d_name);
		remove_tree(end);
		free(end);
	}
	closedir(d);
}

static int copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = read_file(from, &len);
	int rc;

	if (!data) {
		err_msg("cannot read %s: %s", from, strerror(errno));
		return EXIT_INTERNAL;
	}
	rc = write_file_atomic(to, data, len);
	if (rc)
		err_msg("cannot write %s: %s", to, strerror(errno));
	free(data);
	return rc ? EXIT_INTERNAL : 0;
}

static int step_download_unpack(struct prep *p)
{
	char *dl = xasprintf("%s/.clp-download", p->work);
	char *spec = xasprintf("%s=%s", p->package, p->debver);
	char *apt[] = { "apt-get", "download", "-q", spec, NULL };
	char *unpack[] = { "bash", "-c",
		"set -o pipefail; deb=$(ls \"$1\"/*.deb) || exit 1; "
		"dpkg-deb --fsys-tarfile \"$deb\" | "
		"tar -xO --wildcards './usr/src/linux-source-*.tar.xz' | "
		"tar -xJ --strip-components=1 -C \"$2\"",
		"bash", dl, p->work, NULL };
	char *mk = NULL;
	int rc = EXIT_INTERNAL;

	if (mkdir(dl, 0755) || chmod(dl, 0755)) {	/* apt's _apt user writes there */
		err_msg("cannot create %s: %s", dl, strerror(errno));
		goto out;
	}
	progress(p, "downloading %s %s", p->package, p->debver);
	if (run(apt, dl, -1, p->logfd)) {
		char *madison[] = { "sh", "-c",
			"apt-cache madison \"$1\" 2>/dev/null | awk -F'|' '{ gsub(/ /, \"\", $2); printf \"%s%s\", s, $2; s = \", \" }'",
			"sh", p->package, NULL };
		char *have;

		if (got_signal)
			goto out;
		have = run_line(madison);
		err_msg("cannot download %s %s, the source of %s; the archive has %s %s",
			p->package, p->debver, p->release, p->package,
			have && *have ? have : "in no version (apt-get update?)");
		free(have);
		show_log_tail(p, "apt-get download");
		rc = EXIT_ENV;
		goto out;
	}
	progress(p, "unpacking");
	if (run(unpack, NULL, -1, p->logfd)) {
		if (!got_signal) {
			err_msg("cannot unpack the %s package into %s", p->package, p->work);
			show_log_tail(p, "unpacking");
		}
		goto out;
	}
	remove_tree(dl);
	mk = xasprintf("%s/Makefile", p->work);
	if (!is_file(mk)) {
		err_msg("the %s package holds no kernel tree (no Makefile)", p->package);
		rc = EXIT_REJECTED;
		goto out;
	}
	rc = 0;
out:
	free(mk);
	free(spec);
	free(dl);
	return rc;
}

/*
 * UNPACKED: a mark older than every file the prepare writes from now on
 * (its time set a second back: file times are coarser than nanoseconds)
 * and newer than the unpacked source (the tarball's times).
 */
static int mark_unpacked(struct prep *p)
{
	char *m = xasprintf("%s/%s", p->work, UNPACKED);
	struct timespec ts[2];
	int fd = open(m, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = 0;

	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= 1;
	ts[1] = ts[0];
	if (fd < 0 || futimens(fd, ts)) {
		err_msg("cannot write %s: %s", m, strerror(errno));
		rc = EXIT_INTERNAL;
	}
	if (fd >= 0)
		close(fd);
	free(m);
	return rc;
}

static int step_configure(struct prep *p)
{
	static const char *const files[] = { ".config", "Module.symvers", NULL };
	char jobs[32];
	char *olddef[] = { "make", "-C", p->work, jobs, "olddefconfig", NULL };
	char *mprep[] = { "make", "-C", p->work, jobs, "modules_prepare", NULL };
	struct strbuf kv = { 0 };
	char *from, *to, *text;
	int i, rc;

	snprintf(jobs, sizeof(jobs), "-j%d", p->opts && p->opts->jobs > 0 ? p->opts->jobs : 2);
	if ((rc = mark_unpacked(p)))
		return rc;
	for (i = 0; files[i]; i++) {
		from = xasprintf("%s/%s", p->hdir, files[i]);
		to = xasprintf("%s/%s", p->work, files[i]);
		rc = copy_file(from, to);
		free(from);
		free(to);
		if (rc)
			return rc;
	}
	/*
	 * .kernelvariables (Debian's Makefile includes it): the compiler and
	 * KERNELRELEASE the kernel was built with.  A kernel built without
	 * Rust must not find the rustc on PATH: Kconfig would record its
	 * version (CONFIG_RUSTC_VERSION) and every build would differ.
	 */
	from = xasprintf("%s/.kernelvariables", p->hdir);
	text = read_file(from, NULL);
	free(from);
	if (!text) {
		err_msg("%s/.kernelvariables missing: not a Debian headers tree", p->hdir);
		return EXIT_ENV;
	}
	sb_printf(&kv, "%s", text);
	free(text);
	if (!config_get(&p->cfg, "CONFIG_RUST"))
		sb_printf(&kv, "# clp: the kernel was built without Rust\noverride RUSTC = clp-no-rustc\n");
	to = xasprintf("%s/.kernelvariables", p->work);
	rc = write_file_atomic(to, kv.buf, kv.len);
	if (rc)
		err_msg("cannot write %s: %s", to, strerror(errno));
	free(to);
	sb_free(&kv);
	if (rc)
		return EXIT_INTERNAL;

	progress(p, "configuring");
	if (run(olddef, NULL, -1, p->logfd)) {
		if (!got_signal)
			show_log_tail(p, "make olddefconfig");
		return EXIT_REJECTED;
	}
	progress(p, "modules_prepare");
	if (run(mprep, NULL, -1, p->logfd)) {
		if (!got_signal)
			show_log_tail(p, "make modules_prepare");
		return EXIT_REJECTED;
	}
	return 0;
}

static int step_verify(struct prep *p)
{
	static const char *const files[] = {
		"include/generated/autoconf.h", "include/config/auto.conf", NULL
	};
	char *a, *b, *x, *y;
	int i, rc = 0;

	progress(p, "verifying");
	for (i = 0; files[i] && !rc; i++) {
		a = xasprintf("%s/%s", p->work, files[i]);
		b = xasprintf("%s/%s", p->hdir, files[i]);
		x = xasprintf("%s (%s)", files[i], p->release);
		rc = compare_configs(a, b, x);
		free(a);
		free(b);
		free(x);
	}
	if (rc)
		return rc;
	a = xasprintf("%s/include/generated/utsrelease.h", p->work);
	b = xasprintf("%s/include/generated/utsrelease.h", p->hdir);
	x = header_define(a, "#define UTS_RELEASE ");
	y = header_define(b, "#define UTS_RELEASE ");
	if (!x || !y || strcmp(x, y)) {
		err_msg("include/generated/utsrelease.h differs from the headers': UTS_RELEASE %s here, %s there",
			x ? x : "missing", y ? y : "missing");
		rc = EXIT_REJECTED;
	}
	free(a);
	free(b);
	free(x);
	free(y);
	return rc;
}

/*
 * GENERATED: every file the prepare wrote (newer than UNPACKED).  A copy
 * of the tree gets its own copy of these (srctree_copy()): kbuild rewrites
 * some in place (.cmd files, gcc's .d files), which would write through a
 * hard link into this tree.  Their dependency files name the temporary
 * tree; they are rewritten to name the final one, where the same files
 * will be, else every build in a copy would rebuild objtool and
 * resolve_btfids (their dependencies would be missing).
 */
static int list_generated(struct prep *p)
{
	char *list = xasprintf("%s/%s", p->work, GENERATED);
	char *find[] = { "find", ".", "-type", "f", "-newer", UNPACKED, "!", "-name", GENERATED, NULL };
	int fd, rc;

	fd = open(list, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || run(find, p->work, fd, p->logfd)) {
		err_msg("cannot list the generated files of %s", p->work);
		if (fd >= 0)
			close(fd);
		free(list);
		return EXIT_INTERNAL;
	}
	close(fd);
	free(list);
	rc = relocate(p->work, p->work, p->final);
	return rc;
}

static int step_finish(struct prep *p, struct srctree *out)
{
	char *stamp = xasprintf("%s/%s", p->work, STAMP), *text, *cc, date[32];
	char *ro[] = { "chmod", "-R", "a-w", p->work, NULL };
	time_t now = time(NULL);
	int rc;

	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	cc = unquote(config_get(&p->cfg, "CONFIG_CC_VERSION_TEXT"));
	text = xasprintf(STAMP_MAGIC "\nrelease %s\ndebian_version %s\npackage %s\n"
			 "cc_version %s\ngcc_version %s\nas_version %s\nld_version %s\nprepared %s\n",
			 p->release, p->debver, p->package, cc,
			 config_get(&p->cfg, "CONFIG_GCC_VERSION"),
			 config_get(&p->cfg, "CONFIG_AS_VERSION"),
			 config_get(&p->cfg, "CONFIG_LD_VERSION"), date);
	free(cc);
	rc = list_generated(p);
	if (rc) {
		free(text);
		free(stamp);
		return rc;
	}
	rc = write_file_atomic(stamp, text, strlen(text));
	free(text);
	if (rc) {
		err_msg("cannot write %s: %s", stamp, strerror(errno));
		free(stamp);
		return EXIT_INTERNAL;
	}
	free(stamp);
	if (run(ro, NULL, -1, p->logfd)) {
		err_msg("cannot make %s read-only", p->work);
		return EXIT_INTERNAL;
	}
	if (got_signal)
		return EXIT_REJECTED;
	if (rename(p->work, p->final)) {
		err_msg("cannot rename %s to %s: %s", p->work, p->final, strerror(errno));
		return EXIT_INTERNAL;
	}
	return read_stamp(p->final, p->release, out, false);
}

/*
 * A present tree: its stamp, the compiler it names still on PATH, and the
 * Debian version the headers @hdir name, if they are there, its own.
 */
static int check_present(struct srctree *t, const char *hdir)
{
	char *cc = cc_name(t->cc_version), *line = NULL, *dv = debian_version(hdir);
	int rc = 0;

	if (dv && strcmp(dv, t->debian_version)) {
		err_msg("the source tree %s is Debian %s, the headers at %s name Debian %s; remove the tree (chmod -R u+w %s && rm -rf %s) and prepare it again",
			t->path, t->debian_version, hdir, dv, t->path, t->path);
		free(dv);
		free(cc);
		return EXIT_REJECTED;
	}
	free(dv);

	if (cc)
		line = run_line((char *[]){ cc, "--version", NULL });
	if (!line || strcmp(line, t->cc_version)) {
		err_msg("the source tree %s was prepared with '%s'; %s on PATH is %s%s%s",
			t->path, t->cc_version, cc ? cc : "the compiler",
			line ? "'" : "missing", line ? line : "", line ? "'" : "");
		rc = EXIT_REJECTED;
	}
	free(cc);
	free(line);
	return rc;
}

/* The headers: the release, the Debian version, the configuration. */
static int read_headers(struct prep *p)
{
	char *f = xasprintf("%s/.config", p->hdir), *mm = NULL, *rel = NULL;
	int rc = 0, maj = 0, min = 0;

	if (!is_file(f)) {
		err_msg("no headers tree for %s at %s (no .config; scripts/setup unpacks the matrix kernels')",
			p->release, p->hdir);
		rc = EXIT_ENV;
		goto out;
	}
	if (read_config(f, &p->cfg)) {
		err_msg("cannot read %s: %s", f, strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	free(f);
	f = xasprintf("%s/include/generated/utsrelease.h", p->hdir);
	mm = header_define(f, "#define UTS_RELEASE ");
	rel = mm ? unquote(mm) : NULL;
	if (!rel || strcmp(rel, p->release)) {
		err_msg("the headers at %s are for release %s, not %s", p->hdir, rel ? rel : "(unknown)",
			p->release);
		rc = EXIT_REJECTED;
		goto out;
	}
	p->debver = debian_version(p->hdir);
	if (!p->debver) {
		err_msg("the headers at %s name no Debian version (UTS_VERSION in include/generated/utsversion.h): only Debian kernels are supported",
			p->hdir);
		rc = EXIT_REJECTED;
		goto out;
	}
	if (sscanf(p->debver, "%d.%d", &maj, &min) != 2) {
		err_msg("Debian version '%s' of %s: not MAJOR.MINOR...", p->debver, p->release);
		rc = EXIT_REJECTED;
		goto out;
	}
	p->package = xasprintf("linux-source-%d.%d", maj, min);
out:
	free(mm);
	free(rel);
	free(f);
	return rc;
}

/*
 * Create <cache>/src, name it as make will (a symbolic link in the cache
 * root resolved) and take its lock (*lockfd), waiting for another prepare.
 */
static int lock_cache(struct prep *p, int *lockfd)
{
	char *real, *lockpath;
	int rc = 0;

	if (mkdir_p(p->srcdir)) {
		err_msg("cannot create %s: %s", p->srcdir, strerror(errno));
		return EXIT_INTERNAL;
	}
	real = realpath(p->srcdir, NULL);
	if (!real) {
		err_msg("%s: %s", p->srcdir, strerror(errno));
		return EXIT_INTERNAL;
	}
	free(p->srcdir);
	free(p->final);
	p->srcdir = real;
	p->final = xasprintf("%s/%s", p->srcdir, p->release);
	lockpath = xasprintf("%s/.lock", p->srcdir);
	*lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*lockfd < 0) {
		err_msg("cannot open %s: %s", lockpath, strerror(errno));
		rc = EXIT_INTERNAL;
	} else if (flock(*lockfd, LOCK_EX | LOCK_NB)) {
		progress(p, "waiting for another prepare in %s", p->srcdir);
		if (flock(*lockfd, LOCK_EX)) {
			err_msg("cannot lock %s: %s", lockpath, strerror(errno));
			rc = EXIT_INTERNAL;
		}
	}
	free(lockpath);
	return rc;
}

int srctree_prepare(const char *cache_root, const char *release, const char *headers_dir,
		    const struct srctree_opts *opts, struct srctree *out)
{
	struct prep p = { .cache = cache_root, .release = release, .opts = opts, .logfd = -1 };
	struct sigaction sa = { .sa_handler = on_signal }, old[3];
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	char *hdefault = NULL;
	int rc, lockfd = -1, i;
	bool handlers = false;

	memset(out, 0, sizeof(*out));
	if (!release_ok(release)) {
		err_msg("'%s' is not a kernel release", release);
		return EXIT_USAGE;
	}
	p.srcdir = xasprintf("%s/src", cache_root);
	p.final = xasprintf("%s/%s", p.srcdir, release);
	if (!headers_dir)
		headers_dir = hdefault = xasprintf("%s/kernels/%s/build", cache_root, release);
	p.hdir = headers_dir;
	if (is_dir(p.final)) {
		rc = srctree_find(cache_root, release, out);
		if (!rc)
			rc = check_present(out, p.hdir);
		if (rc)
			srctree_free(out);
		goto out;
	}

	if ((rc = read_headers(&p)))
		goto out;
	if ((rc = check_tools(&p.cfg, release)))
		goto out;

	/* one prepare at a time per cache; the tree may have appeared meanwhile */
	if ((rc = lock_cache(&p, &lockfd)))
		goto out;
	if (is_dir(p.final)) {
		rc = srctree_find(cache_root, release, out);
		goto out;
	}
	remove_stale(&p);

	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	handlers = true;
	got_signal = 0;
	p.work = xasprintf("%s/%s.tmp.%d", p.srcdir, release, (int)getpid());
	p.log = xasprintf("%s/%s.log", p.srcdir, release);
	p.logfd = open(p.log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (p.logfd < 0) {
		err_msg("cannot write %s: %s", p.log, strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (mkdir(p.work, 0755)) {
		err_msg("cannot create %s: %s", p.work, strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (!(rc = step_download_unpack(&p)) && !got_signal &&
	    !(rc = step_configure(&p)) && !got_signal &&
	    !(rc = step_verify(&p)) && !got_signal)
		rc = step_finish(&p, out);
	/* a signal after the rename: the tree is complete, keep it */
	if (got_signal && !(rc == 0 && out->path)) {
		err_msg("interrupted (%s); no source tree for %s", strsignal(got_signal), release);
		srctree_free(out);
		rc = EXIT_REJECTED;
	}
	if (rc)
		remove_tree(p.work);
out:
	if (handlers)
		for (i = 0; i < 3; i++)
			sigaction(sigs[i], &old[i], NULL);
	if (p.logfd >= 0)
		close(p.logfd);
	if (lockfd >= 0)
		close(lockfd);
	config_free(&p.cfg);
	free(hdefault);
	free(p.srcdir);
	free(p.final);
	free(p.work);
	free(p.log);
	free(p.debver);
	free(p.package);
	return rc;
}
