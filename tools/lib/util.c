// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static void oom(void)
{
	fputs("clp: out of memory\n", stderr);
	exit(4);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		oom();
	va_end(ap);
	return p;
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("clp: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = sb->cap - sb->len;

		va_start(ap, fmt);
		n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			oom();
		if ((size_t)n < room)
			break;
		sb->cap = (sb->cap + n + 1) * 2;
		sb->buf = xrealloc(sb->buf, sb->cap);
	}
	sb->len += n;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/*
 * The temporary file is made by mkstemp(3) in the destination's directory
 * (O_EXCL: an existing name or a planted symlink is never followed), named
 * ".<name>.XXXXXX" so that directory listings that skip dot files (the
 * install directory) never take it for a module; it gets the mode a plain
 * creat(2) with 0644 would give, is synced, renamed over @path, and the
 * directory is synced so that the rename survives a crash.
 */
int write_file_atomic(const char *path, const char *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	char *dir, *tmp;
	size_t done = 0;
	mode_t um;
	int fd, dfd, e;

	if (!slash)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xasprintf("%.*s", (int)(slash - path), path);
	tmp = xasprintf("%s/.%s.XXXXXX", dir, slash ? slash + 1 : path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto fail;
	um = umask(0);
	umask(um);
	if (fchmod(fd, 0644 & ~um) < 0)
		goto fail_close;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail_close;
		}
		done += n;
	}
	if (fsync(fd) < 0)
		goto fail_close;
	if (close(fd) < 0)
		goto fail_unlink;
	if (rename(tmp, path) < 0)
		goto fail_unlink;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0) {
		e = errno;
		if (dfd >= 0)
			close(dfd);
		free(tmp);
		free(dir);
		errno = e;
		return -1;	/* written, but not known to be durable */
	}
	close(dfd);
	free(tmp);
	free(dir);
	return 0;
fail_close:
	e = errno;
	close(fd);
	errno = e;
fail_unlink:
	e = errno;
	unlink(tmp);
	errno = e;
fail:
	free(tmp);
	free(dir);
	return -1;
}

char *read_file(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0, cap = 65536;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t n;

		if (cap - len < 2) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;

			close(fd);
			free(buf);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

struct strmap_ent *strmap_get(const struct strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = hash_str(key) & (m->cap - 1); m->ents[i].key; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->ents[i].key, key))
			return &m->ents[i];
	return NULL;
}

struct strmap_ent *strmap_put(struct strmap *m, const char *key)
{
	struct strmap_ent *e = strmap_get(m, key);
	size_t i;

	if (e)
		return e;
	if ((m->n + 1) * 2 > m->cap) {
		struct strmap old = *m;

		m->cap = m->cap ? m->cap * 2 : 1024;
		m->ents = xcalloc(m->cap, sizeof(*m->ents));
		m->n = 0;
		for (i = 0; i < old.cap; i++) {
			if (!old.ents[i].key)
				continue;
			size_t j = hash_str(old.ents[i].key) & (m->cap - 1);

			while (m->ents[j].key)
				j = (j + 1) & (m->cap - 1);
			m->ents[j] = old.ents[i];
			m->n++;
		}
		free(old.ents);
	}
	for (i = hash_str(key) & (m->cap - 1); m->ents[i].key; i = (i + 1) & (m->cap - 1))
		;
	m->ents[i].key = xstrdup(key);
	m->n++;
	return &m->ents[i];
}

void strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->ents[i].key);
	free(m->ents);
	m->ents = NULL;
	m->cap = m->n = 0;
}
