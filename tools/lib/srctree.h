/* SPDX-License-Identifier: GPL-2.0 */
/*
 * srctree - the prepared source tree of a Debian kernel release: the exact
 * linux-source-X.Y version that built it (named by the headers'
 * include/generated/utsversion.h), unpacked, configured with the headers'
 * .config and .kernelvariables (compiler, KERNELRELEASE), modules_prepare'd,
 * with the headers' Module.symvers, checked against the headers, read-only:
 *
 *     <cache root>/src/<release>/            the tree
 *     <cache root>/src/<release>/.clp-source the stamp (key value lines)
 *     <cache root>/src/<release>/.clp-generated  the files the prepare
 *                                            made (not from the tarball)
 *     <cache root>/src/<release>.log         make's output of the last prepare
 *
 * Objects are built in a copy made by srctree_copy(), never in the tree.
 * Every function prints its refusal with err_msg() and returns an exit
 * status of exitcodes.h.
 */
#ifndef CLP_SRCTREE_H
#define CLP_SRCTREE_H

#include <stddef.h>

struct srctree {
	char *release;		/* 6.1.0-56-amd64 */
	char *path;		/* <cache>/src/<release> */
	char *debian_version;	/* 6.1.192-2 */
	char *package;		/* linux-source-6.1 */
	char *cc_version;	/* CONFIG_CC_VERSION_TEXT */
	char *prepared;		/* UTC date of the prepare, ISO 8601 */
};

struct srctree_opts {
	int jobs;		/* make -jJOBS; 0: 2 */
	/* called with one line per long step ("downloading linux-source-6.1
	 * 6.1.192-2", "unpacking", ...); NULL: silent */
	void (*progress)(void *arg, const char *step);
	void *arg;
};

/*
 * The cache root: @dir if not NULL, else $CLP_CACHE, else <top>/.cache when
 * this program runs from a checkout's build (<top>/build/host/bin/, as
 * 'clp build' finds its kernels), else /var/cache/clp.
 */
char *srctree_cache_root(const char *dir);

/*
 * The prepared tree of @release under @cache_root (its stamp read and
 * checked).  No side effects.  0, or EXIT_ENV when there is none (a
 * message saying how to prepare it), EXIT_REJECTED for a tree with a bad
 * stamp.
 */
int srctree_find(const char *cache_root, const char *release, struct srctree *out);

/*
 * srctree_find(), and if there is no tree, fetch and prepare it from the
 * headers tree @headers_dir (NULL: <cache_root>/kernels/<release>/build).
 * A tree present is only checked (its stamp, the compiler still the one it
 * names).  Refusals: the headers do not name a Debian version or another
 * release, the compiler, assembler or linker differ from the kernel's,
 * the archive lacks the source version, the prepared tree's generated
 * headers differ from the headers tree's; no tree is left then.  SIGINT,
 * SIGTERM and SIGHUP stop the run and remove the partial tree; a partial
 * tree of a dead process is removed by the next run.
 */
int srctree_prepare(const char *cache_root, const char *release, const char *headers_dir,
		    const struct srctree_opts *opts, struct srctree *out);

/*
 * A writable working copy of @t at @dest (which must not exist) in about
 * two seconds: hard links to the unpacked source (kbuild never writes
 * those; GNU patch replaces a file rather than writing it), directories
 * and the files the prepare generated of its own (kbuild rewrites some of
 * these in place: .cmd files, gcc's .d files), so building in the copy
 * never writes into @t.  Nothing is left at @dest on failure.
 */
int srctree_copy(const struct srctree *t, const char *dest);

/* Every prepared tree under @cache_root, sorted by release (*n may be 0). */
int srctree_list(const char *cache_root, struct srctree **trees, size_t *n);

void srctree_free(struct srctree *t);

#endif
