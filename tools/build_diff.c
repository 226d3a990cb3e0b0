// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * The diff stage of 'clp build': the unified diffs of a patch set are
 * checked (which files they touch), dry-run and applied in order to a
 * copy of the target kernel's prepared source tree; the objects they touch
 * are compiled before the first diff and after each one; the original and
 * the fully patched object are compared function by function (objdiff)
 * and the changed functions become one patch unit per object, credited to
 * the diffs that changed them.  Nothing is written to the prepared tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "elfobj.h"
#include "includes.h"
#include "modsyms.h"
#include "objdiff.h"
#include "srclines.h"
#include "srctree.h"
#include "symfiles.h"
#include "util.h"

struct dobj {
	char *path;		/* fs/proc/meminfo.c */
	char *obj;		/* fs/proc/meminfo.o */
	char **states;		/* compiled object after diff k (0: original) */
	bool *touched;		/* by diff k (1-based) */
	bool build;		/* compiled in this round */
	bool via_header;	/* only a header it includes changes */
	bool absent;		/* not built in the target's configuration */
	char *module;		/* KBUILD_MODNAME when built into a module, else NULL */
	char *modfile;		/* KBUILD_MODFILE (fs/ext4/ext4) when kbuild says */
};

struct dstage {
	struct build *b;
	char *tree;		/* the prepared tree (never written) */
	char *work;		/* the work copy of it, where objects are built */
	char *scratch;		/* the touched files, where the diffs are applied */
	char **files;		/* every file the diffs touch */
	size_t nfiles;
	struct dobj *objs;
	size_t nobjs;
	size_t ndiffs;
	char **dname, **dsrc;	/* the diffs' patch names and files */
	char **scratch_state;	/* per diff k: the touched files after it */
	int lockfd;		/* holds the work copy */
	struct dhdr {
		char *path;
		size_t k;	/* the diff that changes it */
	} *hdrs;
	size_t nhdrs;
};

/* At most this many objects are compiled for header changes, unless named. */
#define HEADER_OBJECTS_MAX 32

static int run(const char *dir, const char *log, char *const argv[])
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (dir && chdir(dir))
			_exit(127);
		if (log && !freopen(log, "a", stdout))
			_exit(127);
		if (log && dup2(fileno(stdout), 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Why the diff must not touch @p, or NULL. */
static const char *path_refused(const char *p)
{
	if (p[0] == '/' || strstr(p, "../") || !strncmp(p, "..", 2))
		return "a path outside the tree";
	if (str_starts(p, "Documentation/"))
		return NULL;
	if (str_ends(p, ".S"))
		return "assembly: clp replaces C functions only";
	if (strstr(p, "Makefile") || strstr(p, "Kconfig") || strstr(p, "Kbuild"))
		return "a build file: the running kernel's configuration cannot change";
	if (str_starts(p, "lib/"))
		return "lib/: often built into several objects or linked by the decompressor and vdso";
	if (strstr(p, "/vdso/") || strstr(p, "/realmode/") || strstr(p, "/boot/"))
		return "vdso, realmode or boot code: not kernel text clp can redirect";
	if (!str_ends(p, ".c") && !str_ends(p, ".h"))
		return "not a C source or header";
	return NULL;
}

static char *obj_of(const char *path)
{
	return xasprintf("%.*s.o", (int)strlen(path) - 2, path);
}

static void add_touched(struct dstage *s, const char *path, size_t k)
{
	size_t i;

	for (i = 0; i < s->nobjs; i++)
		if (!strcmp(s->objs[i].path, path))
			break;
	if (i == s->nobjs) {
		s->objs = xrealloc(s->objs, (s->nobjs + 1) * sizeof(*s->objs));
		s->objs[i] = (struct dobj){
			.path = xstrdup(path),
			.obj = obj_of(path),
			.states = xcalloc(s->ndiffs + 1, sizeof(char *)),
			.touched = xcalloc(s->ndiffs + 1, sizeof(bool)),
		};
		s->nobjs++;
	}
	s->objs[i].touched[k] = true;
}

static void add_file(struct dstage *s, const char *p)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		if (!strcmp(s->files[i], p))
			return;
	s->files = xrealloc(s->files, (s->nfiles + 1) * sizeof(*s->files));
	s->files[s->nfiles++] = xstrdup(p);
}

/* Is @c (a .c path) among the --objects @list (.c or .o paths)? */
static bool named_object(const char *list, const char *c)
{
	char *o = obj_of(c), *copy = xstrdup(list), *t, *save = NULL;
	bool hit = false;

	for (t = strtok_r(copy, ",", &save); t && !hit; t = strtok_r(NULL, ",", &save))
		hit = !strcmp(t, c) || !strcmp(t, o);
	free(copy);
	free(o);
	return hit;
}

/*
 * The diffs change headers: every .c file that includes one (includes.h)
 * is compiled before and after the diff that changes it, as if the diff
 * touched it.  Those not built in the target's configuration drop out
 * when kbuild makes no object for them.  Refused: more than
 * HEADER_OBJECTS_MAX of them, unless --objects names the ones to take.
 */
static int expand_headers(struct dstage *s)
{
	const char *list = s->b->o.objects;
	struct incl_index ix;
	char *cache;
	const char **all = NULL;
	size_t nall = 0, h, i, j;
	int rc = 0;

	if (!s->nhdrs) {
		if (list) {
			err_msg("--objects: the diffs change no header");
			return EXIT_USAGE;
		}
		return 0;
	}
	cache = xasprintf("%s.includes", s->tree);
	rc = incl_load(&ix, s->tree, cache);
	free(cache);
	if (rc)
		return EXIT_INTERNAL;
	for (h = 0; h < s->nhdrs; h++) {
		const char **users;
		size_t n;

		if (!incl_has(&ix, s->hdrs[h].path))
			continue;	/* apply_all says it is missing */
		n = incl_users(&ix, s->hdrs[h].path, &users);
		fprintf(stderr, "clp: %s is included by %zu C file%s\n", s->hdrs[h].path, n,
			n == 1 ? "" : "s");
		for (i = 0; i < n; i++) {
			if (path_refused(users[i]))
				continue;
			for (j = 0; j < nall; j++)
				if (!strcmp(all[j], users[i]))
					break;
			if (j == nall) {
				all = xrealloc(all, (nall + 1) * sizeof(*all));
				all[nall++] = users[i];
			}
		}
		free(users);
	}
	if (list) {
		char *copy = xstrdup(list), *t, *save = NULL;

		for (t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			for (j = 0; j < nall && !named_object(t, all[j]); j++)
				;
			if (j == nall) {
				err_msg("--objects: %s does not include a header the diffs change", t);
				rc = EXIT_USAGE;
			}
		}
		free(copy);
	} else if (nall > HEADER_OBJECTS_MAX) {
		err_msg("the diffs change headers included by %zu C files (%s, %s, ...): clp compiles at most %d for a header change; name the objects whose functions the fix is for with --objects a.o,b.o (or change the .c files instead)",
			nall, all[0], all[1], HEADER_OBJECTS_MAX);
		rc = EXIT_REJECTED;
	}
	for (i = 0; !rc && i < nall; i++) {
		bool direct = false;

		if (list && !named_object(list, all[i]))
			continue;
		for (j = 0; j < s->nobjs; j++)
			if (!strcmp(s->objs[j].path, all[i]))
				direct = true;
		for (h = 0; h < s->nhdrs; h++) {
			const char **users;
			size_t n = incl_users(&ix, s->hdrs[h].path, &users), u;

			for (u = 0; u < n; u++)
				if (!strcmp(users[u], all[i]))
					add_touched(s, all[i], s->hdrs[h].k);
			free(users);
		}
		if (!direct) {
			for (j = 0; j < s->nobjs; j++)
				if (!strcmp(s->objs[j].path, all[i]))
					s->objs[j].via_header = true;
		}
		add_file(s, all[i]);
	}
	free(all);
	incl_free(&ix);
	return rc;
}

/* The files diff @u changes (its "+++" lines, -p1). */
static int scan_diff(struct dstage *s, const char *src, size_t k)
{
	char *text = read_file((char *)src, NULL), *line, *save = NULL;
	int files = 0, rc = 0;

	if (!text) {
		err_msg("%s: %s", (char *)src, strerror(errno));
		return EXIT_REJECTED;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p, *end;
		const char *why;

		if (!strncmp(line, "--- /dev/null", 13)) {
			err_msg("%s: adds a file: new objects cannot be live patched (put new code into an existing file)",
				(char *)src);
			rc = EXIT_REJECTED;
			continue;
		}
		if (strncmp(line, "+++ ", 4))
			continue;
		p = line + 4;
		end = p + strcspn(p, "\t");
		*end = '\0';
		if (!strcmp(p, "/dev/null")) {
			err_msg("%s: deletes a file: not something a live patch can do", (char *)src);
			rc = EXIT_REJECTED;
			continue;
		}
		p = strchr(p, '/');
		if (!p || !p[1]) {
			err_msg("%s: '%s': expected a/... b/... paths (diff -p1)", (char *)src, line + 4);
			rc = EXIT_REJECTED;
			continue;
		}
		p++;
		files++;
		why = path_refused(p);
		if (why) {
			err_msg("%s: changes %s: %s", (char *)src, p, why);
			rc = EXIT_REJECTED;
			continue;
		}
		if (str_ends(p, ".c"))
			add_touched(s, p, k);
		if (str_ends(p, ".h")) {
			s->hdrs = xrealloc(s->hdrs, (s->nhdrs + 1) * sizeof(*s->hdrs));
			s->hdrs[s->nhdrs++] = (struct dhdr){ .path = xstrdup(p), .k = k };
		}
		add_file(s, p);
	}
	if (!files && !rc) {
		err_msg("%s: not a unified diff (no '+++' line)", (char *)src);
		rc = EXIT_REJECTED;
	}
	free(text);
	return rc;
}

/*
 * Dry-run diff @src on the scratch copy, then apply it: refused are hunks
 * that need fuzz (the context differs: it was written for another
 * version), that were applied already or are reversed, and that fail.
 */
static int apply_diff(struct dstage *s, const char *src)
{
	char *log = xasprintf("%s/patch.log", s->b->tmp), *out, *line, *save = NULL;
	char *dry[] = { "patch", "-p1", "-N", "-t", "--dry-run", "--no-backup-if-mismatch",
			"-i", (char *)src, NULL };
	char *real[] = { "patch", "-p1", "-F0", "-N", "-t", "--no-backup-if-mismatch", "-s",
			 "-i", (char *)src, NULL };
	const char *file = "?";
	int rc, ret = 0;

	unlink(log);
	rc = run(s->scratch, log, dry);
	out = read_file(log, NULL);
	if (!rc && out && !strstr(out, "with fuzz") && !strstr(out, "Reversed")) {
		if (run(s->scratch, log, real)) {
			err_msg("%s: patch failed after a clean dry run (see %s)", src, log);
			ret = EXIT_INTERNAL;
		}
		goto done;
	}
	err_msg("%s does not apply to the source of %s; nothing was built:", src, s->b->release);
	for (line = out ? strtok_r(out, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		if (str_starts(line, "checking file ") || str_starts(line, "patching file ")) {
			file = strchr(line + 9, ' ') + 1;
			continue;
		}
		if (strstr(line, "with fuzz"))
			fprintf(stderr, "  %s: %s: its context differs (fuzz is refused: rebase the diff on this source)\n",
				file, line);
		else if (strstr(line, "FAILED"))
			fprintf(stderr, "  %s: %s\n", file, line);
		else if (strstr(line, "Reversed"))
			fprintf(stderr, "  %s: already applied or reversed: the fix may be in this kernel already\n",
				file);
		else if (strstr(line, "can't find file"))
			fprintf(stderr, "  %s\n", line);
	}
	ret = EXIT_REJECTED;
done:
	free(out);
	free(log);
	return ret;
}

/* Copy file @from to @to, making @to's directories. */
static int copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = read_file(from, &len), *dir = xstrdup(to), *p;
	int rc;

	if (!data) {
		err_msg("%s: %s", from, strerror(errno));
		free(dir);
		return -1;
	}
	for (p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	unlink(to);	/* a read-only copy, or a hard link */
	rc = write_file_atomic(to, data, len);
	if (rc)
		err_msg("%s: %s", to, strerror(errno));
	free(data);
	free(dir);
	return rc;
}

static char *obj_file(const char *work, const char *obj, const char *prefix, const char *suffix)
{
	const char *base = strrchr(obj, '/');

	return base ? xasprintf("%s/%.*s/%s%s%s", work, (int)(base - obj), obj, prefix, base + 1, suffix) :
		      xasprintf("%s/%s%s%s", work, prefix, obj, suffix);
}

/*
 * The objects compiled from the prepared tree itself are cached next to it
 * (<tree>.objs/), valid while the tree's stamp is the one they were made
 * with.
 */
static int objcache_open(struct dstage *s)
{
	char *dir = xasprintf("%s.objs", s->tree), *stamp = xasprintf("%s/.clp-source", s->tree);
	char *mine = xasprintf("%s/.clp-source", dir);
	char *a = read_file(stamp, NULL), *b = read_file(mine, NULL);
	int rc = 0;

	if (!a || !b || strcmp(a, b)) {
		char *rm[] = { "rm", "-rf", dir, NULL };

		run(NULL, NULL, rm);
		if (a && copy_file(stamp, mine))
			rc = EXIT_INTERNAL;
	}
	free(a);
	free(b);
	free(dir);
	free(stamp);
	free(mine);
	return rc;
}

/*
 * Put the prepared tree's @path back into the work copy: a hard link to it
 * again, and the object and .cmd of a .c file removed so that the next
 * build compiles it (the link has the old time stamp).
 */
static int restore_file(struct dstage *s, const char *path)
{
	char *from = xasprintf("%s/%s", s->tree, path), *to = xasprintf("%s/%s", s->work, path);
	int rc = 0;

	unlink(to);
	if (is_file(from) && link(from, to)) {
		err_msg("%s: %s", to, strerror(errno));
		rc = -1;
	}
	if (str_ends(path, ".c")) {
		char *o = obj_of(path), *of = xasprintf("%s/%s", s->work, o);
		char *cmd = obj_file(s->work, o, ".", ".cmd");

		unlink(of);
		unlink(cmd);
		free(o);
		free(of);
		free(cmd);
	}
	free(from);
	free(to);
	return rc;
}

/* Undo what an earlier (maybe killed) build left in the work copy. */
static int restore_journal(struct dstage *s)
{
	char *jp = xasprintf("%s/.clp-journal", s->work), *j = read_file(jp, NULL);
	char *line, *save = NULL;
	int rc = 0;

	for (line = j ? strtok_r(j, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		rc |= restore_file(s, line);
	if (!rc)
		unlink(jp);
	free(j);
	free(jp);
	return rc ? EXIT_INTERNAL : 0;
}

/* Record @path in the journal before it is changed. */
static int journal_add(struct dstage *s, const char *path)
{
	char *jp = xasprintf("%s/.clp-journal", s->work);
	FILE *f = fopen(jp, "a");
	int rc = 0;

	if (!f || fprintf(f, "%s\n", path) < 0 || fflush(f) || fsync(fileno(f))) {
		err_msg("%s: %s", jp, strerror(errno));
		rc = EXIT_INTERNAL;
	}
	if (f)
		fclose(f);
	free(jp);
	return rc;
}

/*
 * The work copy: srctree_copy() of the prepared tree, made once and kept
 * next to it (<tree>.work), so that kbuild compiles only what a diff
 * touches and no build pays for a copy.  One build at a time holds it
 * (flock on <tree>.work.lock); the files the diffs change are written to
 * its journal first and put back after the build, or by the next one if
 * this one was killed.  A copy from an older prepare of the tree is made
 * anew.
 */
static int work_open(struct dstage *s, const struct srctree *t)
{
	char *lock = xasprintf("%s.work.lock", s->tree);
	char *stamp = xasprintf("%s/.clp-source", s->tree), *mine, *a, *b;
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644), rc = 0;

	s->work = xasprintf("%s.work", s->tree);
	if (fd < 0) {
		err_msg("%s: %s", lock, strerror(errno));
		free(lock);
		free(stamp);
		return EXIT_INTERNAL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "clp: waiting for another build using %s\n", s->work);
		if (flock(fd, LOCK_EX)) {
			err_msg("flock %s: %s", lock, strerror(errno));
			close(fd);
			free(lock);
			free(stamp);
			return EXIT_INTERNAL;
		}
	}
	s->lockfd = fd;
	mine = xasprintf("%s/.clp-source", s->work);
	a = read_file(stamp, NULL);
	b = read_file(mine, NULL);
	if (!a || !b || strcmp(a, b)) {
		char *rm[] = { "rm", "-rf", s->work, NULL };
		char *tmp = xasprintf("%s.tmp.%d", s->work, (int)getpid());

		fprintf(stderr, "clp: making the work copy of %s (once)\n", s->tree);
		run(NULL, NULL, rm);
		rc = srctree_copy(t, tmp);
		if (!rc && rename(tmp, s->work)) {
			err_msg("%s: %s", s->work, strerror(errno));
			rc = EXIT_INTERNAL;
		}
		free(tmp);
	}
	free(a);
	free(b);
	free(mine);
	free(lock);
	free(stamp);
	return rc ? rc : restore_journal(s);
}

static void work_close(struct dstage *s)
{
	if (s->lockfd > 0) {
		restore_journal(s);
		close(s->lockfd);
		s->lockfd = 0;
	}
}

/* Where the original object of @o is cached. */
static char *orig_cache(struct dstage *s, const struct dobj *o)
{
	return xasprintf("%s.objs/%s", s->tree, o->obj);
}

/* The quoted value of -D@def= in a kbuild command line: -DKBUILD_MODNAME='"ext4"' */
static char *cmd_define(const char *cmd, const char *def)
{
	char *key = xasprintf("-D%s=", def), *at = strstr(cmd, key), *v = NULL;
	size_t n;

	if (at) {
		at += strlen(key);
		at += strspn(at, "'\\\"");
		n = strcspn(at, "'\\\" ");
		v = n ? xasprintf("%.*s", (int)n, at) : NULL;
	}
	free(key);
	return v;
}

/*
 * Is object @o built into a module (its compile command defines MODULE)?
 * Then note which; -1 if the command does not say.
 */
static int cmd_module(struct dobj *o, const char *cmd)
{
	if (!cmd || !strstr(cmd, "-DMODULE"))
		return 0;
	free(o->module);
	free(o->modfile);
	o->module = cmd_define(cmd, "KBUILD_MODNAME");
	o->modfile = cmd_define(cmd, "KBUILD_MODFILE");
	return o->module ? 0 : -1;
}

/* Compile the objects of state @k (0: the original) in the work tree. */
static int compile_state(struct dstage *s, size_t k)
{
	char *log = xasprintf("%s/kbuild-src.log", s->b->tmp);
	char **argv = xcalloc(s->nobjs + 8, sizeof(char *));
	char *jobs = xasprintf("-j%d", s->b->o.jobs);
	size_t i, n = 0, want = 0;
	int rc = 0;

	argv[n++] = "make";
	argv[n++] = jobs;
	argv[n++] = "-s";
	argv[n++] = "KCFLAGS=-ffunction-sections -fdata-sections";
	/* the headers as they are after diff k */
	for (i = 0; k && i < s->nfiles; i++) {
		char *from, *to;

		if (!str_ends(s->files[i], ".h"))
			continue;
		from = xasprintf("%s/%s", s->scratch_state[k], s->files[i]);
		to = xasprintf("%s/%s", s->work, s->files[i]);
		rc = journal_add(s, s->files[i]) ? EXIT_INTERNAL : copy_file(from, to) ? EXIT_INTERNAL : 0;
		free(from);
		free(to);
		if (rc)
			goto out;
	}
	for (i = 0; i < s->nobjs; i++) {
		struct dobj *o = &s->objs[i];
		char *cached;

		o->build = false;
		if (o->absent)
			continue;
		cached = orig_cache(s, o);
		if (k == 0 && is_file(cached)) {
			o->states[0] = cached;
			continue;
		}
		free(cached);
		if (k && !o->touched[k]) {
			o->states[k] = xstrdup(o->states[k - 1]);
			continue;
		}
		if (k) {
			char *from = xasprintf("%s/%s", s->scratch_state[k], o->path);
			char *to = xasprintf("%s/%s", s->work, o->path);

			rc = journal_add(s, o->path) ? EXIT_INTERNAL : copy_file(from, to) ? EXIT_INTERNAL : 0;
			free(from);
			free(to);
			if (rc)
				goto out;
		}
		o->build = true;
		argv[n++] = o->obj;
		want++;
	}
	if (!want)
		goto out;
	unlink(log);
	rc = run(s->work, log, argv);
	if (rc) {
		char *text = read_file(log, NULL);

		err_msg("compiling %s %s failed:", k ? "after" : "before",
			k ? s->dsrc[k - 1] : "the diffs");
		fprintf(stderr, "%s", text ? text : "");
		free(text);
		rc = EXIT_REJECTED;
		goto out;
	}
	for (i = 0; !rc && i < s->nobjs; i++) {
		struct dobj *o = &s->objs[i];
		char *src, *dst, *cmd, *cmdtext;

		if (!o->build)
			continue;
		src = xasprintf("%s/%s", s->work, o->obj);
		dst = k ? xasprintf("%s/diff%zu-%zu.o", s->b->tmp, i, k) : orig_cache(s, o);
		cmd = obj_file(s->work, o->obj, ".", ".cmd");
		cmdtext = read_file(cmd, NULL);
		if (!is_file(src) && o->via_header) {
			o->absent = true;	/* an includer the configuration does not build */
		} else if (!is_file(src)) {
			err_msg("%s is not built in %s's configuration", o->path, s->b->release);
			rc = EXIT_REJECTED;
		} else if (cmd_module(o, cmdtext)) {
			err_msg("%s is built into a module in %s, but its compile command names no KBUILD_MODNAME",
				o->path, s->b->release);
			rc = EXIT_REJECTED;
		} else if (copy_file(src, dst)) {
			rc = EXIT_INTERNAL;
		} else {
			o->states[k] = xstrdup(dst);
		}
		free(cmdtext);
		free(src);
		free(dst);
		free(cmd);
	}
out:
	free(argv);
	free(jobs);
	free(log);
	return rc;
}

static int open_pair(const char *a, const char *b, struct elf_obj *oa, struct elf_obj *ob)
{
	if (elfobj_open(oa, a, false)) {
		err_msg("%s", oa->err);
		return -1;
	}
	if (elfobj_open(ob, b, false)) {
		err_msg("%s", ob->err);
		elfobj_close(oa);
		return -1;
	}
	return 0;
}

static void credit(struct od_func *f, const char *name)
{
	char *c;

	if (!f->credit) {
		f->credit = xstrdup(name);
		return;
	}
	c = xasprintf("%s+%s", f->credit, name);
	free(f->credit);
	f->credit = c;
}

static bool exported(void *ctx, const char *name)
{
	return ksyms_exported(ctx, name);
}

static char *source_change(void *ctx, const char *func)
{
	return srclines_explain(ctx, func);
}

/*
 * --explain: the decision about every function of @o, telling a function
 * changed only through code inlined into it from its own change by the
 * final object's DWARF and the lines the diffs changed (srclines.h).
 */
static void explain_object(struct dstage *s, struct dobj *o, struct objdiff *d)
{
	struct srclines sl;
	char err[600];
	bool dwarf = !srclines_load(&sl, o->states[s->ndiffs], err, sizeof(err));
	size_t i;

	if (dwarf && srclines_add_original(&sl, o->states[0], err, sizeof(err)))
		fprintf(stderr, "clp: %s\n", err);
	if (!dwarf)
		fprintf(stderr, "clp: %s: %s: changes through inlined code not told apart\n", o->path,
			err);
	for (i = 0; dwarf && i < s->nfiles; i++) {
		char *old = xasprintf("%s/%s", s->tree, s->files[i]);
		char *new = xasprintf("%s/%s", s->scratch, s->files[i]);

		if (srclines_diff(&sl, s->files[i], old, new, err, sizeof(err)))
			fprintf(stderr, "clp: %s\n", err);
		free(old);
		free(new);
	}
	objdiff_explain(d, dwarf ? source_change : NULL, &sl);
	srclines_free(&sl);
}

/*
 * Does objtool run on the linked patch module?  kbuild delays it to the
 * link (vmlinux.o, a module's object) with CONFIG_X86_KERNEL_IBT or
 * CONFIG_LTO_CLANG (delay-objtool); otherwise it runs on each object as
 * it is compiled, and a unit keeps the objtool tables of its functions.
 */
static bool objtool_later(const char *tree)
{
	char *p = xasprintf("%s/.config", tree), *c = read_file(p, NULL);
	bool later = c && (strstr(c, "\nCONFIG_X86_KERNEL_IBT=y\n") ||
			   strstr(c, "\nCONFIG_LTO_CLANG=y\n"));

	free(c);
	free(p);
	return later;
}

/* Compare the original and final object of @o and write its unit. */
static int diff_object(struct dstage *s, struct dobj *o, const struct symfiles *sf,
		       const struct ksyms *ks, int unit)
{
	struct elf_obj eo = { 0 }, ep = { 0 };
	struct objdiff d = { .explain = s->b->o.explain };
	struct modsyms ms = { 0 };
	char *out = xasprintf("%s/clpunit%d.o", s->b->tmp, unit), *ko = NULL;
	size_t k, i;
	int rc = 0;

	if (open_pair(o->states[0], o->states[s->ndiffs], &eo, &ep))
		return EXIT_INTERNAL;
	if (objdiff_compare(&d, o->path, &eo, &ep)) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	/* credit each function to the diffs that changed it */
	for (k = 1; k <= s->ndiffs; k++) {
		struct elf_obj ea = { 0 }, eb = { 0 };
		struct objdiff step = { .diag = fopen("/dev/null", "w") };

		if (!o->touched[k])
			continue;
		if (!open_pair(o->states[k - 1], o->states[k], &ea, &eb) &&
		    !objdiff_compare(&step, o->path, &ea, &eb)) {
			for (i = 0; i < step.nfuncs; i++) {
				struct od_func *f;

				if (step.funcs[i].state == OD_SAME)
					continue;
				f = objdiff_func(&d, step.funcs[i].name);
				if (f)
					credit(f, s->dname[k - 1]);
			}
		}
		objdiff_free(&step);
		if (step.diag)
			fclose(step.diag);
		elfobj_close(&ea);
		elfobj_close(&eb);
	}
	if (d.errors) {
		rc = EXIT_REJECTED;
		goto out;
	}
	if (!objdiff_nreplaced(&d)) {
		rc = -1;	/* nothing here */
		goto out;
	}
	if (o->module) {
		char err[600];

		ko = modsyms_find_ko(s->b->cache, s->b->release, o->module, o->modfile, o->path);
		if (!ko) {
			err_msg("%s is built into module %s, but %s.ko of %s is neither in the cache nor in /lib/modules/%s: clp reads its symbol table",
				o->path, o->module, o->module, s->b->release, s->b->release);
			rc = EXIT_ENV;
			goto out;
		}
		if (modsyms_load(&ms, o->module, ko, err, sizeof(err))) {
			err_msg("%s", err);
			rc = EXIT_ENV;
			goto out;
		}
	}
	for (i = 0; i < d.nfuncs; i++)
		if (d.funcs[i].replace)
			fprintf(stderr, "clp: %s: %s%s%s changed (%s)\n", o->path,
				o->module ? o->module : "", o->module ? ":" : "", d.funcs[i].name,
				d.funcs[i].credit ? d.funcs[i].credit : "?");
	{
		struct objdiff_out oo = {
			.path = out, .unit = unit, .obj = o->module ? o->module : "vmlinux",
			.sf = o->module ? NULL : sf, .ms = o->module ? &ms : NULL,
			.exported = exported, .ctx = (void *)ks,
			.objtool_later = objtool_later(s->tree),
		};

		if (objdiff_write(&d, &oo))
			rc = EXIT_REJECTED;
	}
out:
	if (s->b->o.explain)
		explain_object(s, o, &d);
	objdiff_free(&d);
	elfobj_close(&eo);
	elfobj_close(&ep);
	modsyms_free(&ms);
	free(ko);
	free(out);
	return rc;
}

static char *find_srctree(struct build *b, struct srctree *t)
{
	char *root = srctree_cache_root(b->cache);
	int rc = srctree_find(root, b->release, t);

	free(root);
	return rc ? NULL : xstrdup(t->path);
}

/* The FILE blocks of vmlinux: next to the System.map, else in the cache. */
static char *find_symfiles(struct build *b)
{
	const char *slash = strrchr(b->system_map, '/');
	char *p = slash ? xasprintf("%.*s/symfiles", (int)(slash - b->system_map), b->system_map) :
			  xstrdup("symfiles");

	if (!is_file(p) && b->cache) {
		free(p);
		p = xasprintf("%s/kernels/%s/symfiles", b->cache, b->release);
	}
	return p;
}

/*
 * Apply every diff, in order, to copies of the files they touch: all must
 * apply cleanly before anything is compiled.  The .c files after diff k
 * are kept in scratch_state[k].
 */
static int apply_all(struct dstage *s)
{
	size_t i, k;
	int rc = 0;

	s->scratch = xasprintf("%s/scratch", s->b->tmp);
	s->scratch_state = xcalloc(s->ndiffs + 1, sizeof(char *));
	for (i = 0; i < s->nfiles; i++) {
		char *from = xasprintf("%s/%s", s->tree, s->files[i]);
		char *to = xasprintf("%s/%s", s->scratch, s->files[i]);

		if (!is_file(from)) {
			err_msg("%s: no such file in the source of %s", s->files[i], s->b->release);
			rc = EXIT_REJECTED;
		} else if (copy_file(from, to)) {
			rc = EXIT_INTERNAL;
		}
		free(from);
		free(to);
	}
	for (k = 1; !rc && k <= s->ndiffs; k++) {
		if ((rc = apply_diff(s, s->dsrc[k - 1])))
			break;
		s->scratch_state[k] = xasprintf("%s/state%zu", s->b->tmp, k);
		for (i = 0; !rc && i < s->nobjs; i++) {
			char *from, *to;

			if (!s->objs[i].touched[k])
				continue;
			from = xasprintf("%s/%s", s->scratch, s->objs[i].path);
			to = xasprintf("%s/%s", s->scratch_state[k], s->objs[i].path);
			if (copy_file(from, to))
				rc = EXIT_INTERNAL;
			free(from);
			free(to);
		}
		for (i = 0; !rc && i < s->nfiles; i++) {
			char *from, *to;

			if (!str_ends(s->files[i], ".h"))
				continue;
			from = xasprintf("%s/%s", s->scratch, s->files[i]);
			to = xasprintf("%s/%s", s->scratch_state[k], s->files[i]);
			if (copy_file(from, to))
				rc = EXIT_INTERNAL;
			free(from);
			free(to);
		}
	}
	return rc;
}

int build_diffs(struct build *b)
{
	struct dstage s = { .b = b };
	struct srctree tree = { 0 };
	struct symfiles sf = { 0 };
	struct ksyms ks = { 0 };
	char *symf = NULL;
	size_t i, k, units = 0;
	int rc = 0, next_unit = 0;

	for (i = 0; i < b->nunits; i++) {
		if (b->units[i].kind == UNIT_DIFF) {
			s.dname = xrealloc(s.dname, (s.ndiffs + 1) * sizeof(*s.dname));
			s.dsrc = xrealloc(s.dsrc, (s.ndiffs + 1) * sizeof(*s.dsrc));
			s.dname[s.ndiffs] = b->units[i].name;
			s.dsrc[s.ndiffs++] = b->units[i].src;
		}
		if (b->units[i].id > next_unit)
			next_unit = b->units[i].id;
	}
	if (!s.ndiffs)
		return 0;
	for (k = 0; k < s.ndiffs; k++) {
		int r = scan_diff(&s, s.dsrc[k], k + 1);

		rc = rc ? rc : r;
	}
	if (rc)
		goto out;
	if (!s.nobjs && !s.nhdrs) {
		err_msg("no function changed: the diffs change no C source");
		rc = EXIT_REJECTED;
		goto out;
	}
	s.tree = find_srctree(b, &tree);
	if (!s.tree) {
		rc = EXIT_REJECTED;
		goto out;
	}
	if ((rc = expand_headers(&s)))
		goto out;
	if (!s.nobjs) {
		err_msg("no function changed: no C file the target can build includes the headers the diffs change");
		rc = EXIT_REJECTED;
		goto out;
	}
	if ((rc = apply_all(&s)))
		goto out;
	symf = find_symfiles(b);
	if (symfiles_load(&sf, symf, b->system_map) || ksyms_load_symvers(&ks, b->symvers)) {
		rc = EXIT_REJECTED;
		goto out;
	}
	if ((rc = objcache_open(&s)) || (rc = work_open(&s, &tree)))
		goto out;
	fprintf(stderr, "clp: compiling %zu object%s, before and after each diff\n", s.nobjs,
		s.nobjs == 1 ? "" : "s");
	for (k = 0; !rc && k <= s.ndiffs && !build_interrupted(); k++)
		rc = compile_state(&s, k);
	work_close(&s);
	if (rc || build_interrupted())
		goto out;
	for (i = 0; i < s.nobjs; i++) {
		int r = s.objs[i].absent ? -1 : diff_object(&s, &s.objs[i], &sf, &ks, next_unit + 1);

		if (r == -1)
			continue;
		if (r) {
			rc = rc ? rc : r;
			continue;
		}
		b->units = xrealloc(b->units, (b->nunits + 1) * sizeof(*b->units));
		b->units[b->nunits++] = (struct unit){
			.id = ++next_unit, .name = xstrdup(s.objs[i].path),
			.src = xstrdup(s.objs[i].path), .kind = UNIT_OBJ,
		};
		units++;
	}
	if (!rc && !units) {
		err_msg("no function changed: the fix is already in %s, or it changes only comments, headers or line numbers",
			b->release);
		rc = EXIT_REJECTED;
	}
out:
	work_close(&s);
	srctree_free(&tree);
	for (i = 0; i < s.nobjs; i++) {
		for (k = 0; k <= s.ndiffs && s.objs[i].states; k++)
			free(s.objs[i].states[k]);
		free(s.objs[i].states);
		free(s.objs[i].touched);
		free(s.objs[i].path);
		free(s.objs[i].obj);
		free(s.objs[i].module);
		free(s.objs[i].modfile);
	}
	for (i = 0; i < s.nfiles; i++)
		free(s.files[i]);
	for (i = 0; i < s.nhdrs; i++)
		free(s.hdrs[i].path);
	free(s.hdrs);
	for (k = 0; s.scratch_state && k <= s.ndiffs; k++)
		free(s.scratch_state[k]);
	free(s.scratch_state);
	free(s.files);
	free(s.objs);
	free(s.dname);
	free(s.dsrc);
	free(s.work);
	free(s.scratch);
	free(s.tree);
	free(symf);
	symfiles_free(&sf);
	ksyms_free(&ks);
	return rc;
}
