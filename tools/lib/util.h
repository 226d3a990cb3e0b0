/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the clp tools: allocation, strings, a string set. */
#ifndef CLP_UTIL_H
#define CLP_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "clp: <fmt>\n" to stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

bool str_starts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);

/* A growable byte buffer used for generated text. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct strbuf *sb);

/*
 * Write @len bytes to @path atomically: a new temporary file in the same
 * directory (mkstemp), mode 0644 less the umask, fsync, rename(2) over
 * @path, fsync of the directory.  -1 with errno set; @path is then either
 * unchanged or (only when the directory sync failed) already replaced.
 */
int write_file_atomic(const char *path, const char *data, size_t len);
/* Read a whole file; NUL-terminated; returns NULL with errno set. */
char *read_file(const char *path, size_t *lenp);

/*
 * A hash map from strings to an int counter and an opaque pointer; keys are
 * copied.  Used for symbol tables (name -> count) and export sets.
 */
struct strmap_ent {
	char *key;
	long val;
	void *ptr;
};
struct strmap {
	struct strmap_ent *ents;
	size_t cap, n;
};
struct strmap_ent *strmap_get(const struct strmap *m, const char *key);
struct strmap_ent *strmap_put(struct strmap *m, const char *key);	/* find or add */
void strmap_free(struct strmap *m);

#endif
