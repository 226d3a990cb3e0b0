// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inlines.h"

#define MAGIC "# clp-inlines 1 "

int inline_index_load(struct inline_index *x, const char *path)
{
	size_t len;
	char *buf = read_file(path, &len), *line, *next;
	unsigned long lineno = 0;

	memset(x, 0, sizeof(*x));
	if (!buf) {
		err_msg("%s: %s", path, strerror(errno));
		return -1;
	}
	if (strncmp(buf, MAGIC, strlen(MAGIC))) {
		err_msg("%s: not an inline index (no '%s' header; tools/fetch-symbols makes one)",
			path, MAGIC);
		free(buf);
		return -1;
	}
	x->path = xstrdup(path);
	for (line = buf; line < buf + len; line = next) {
		char *t1, *t2;
		struct strmap_ent *e;

		next = strchr(line, '\n');
		next = next ? next + 1 : buf + len;
		if (next[-1] == '\n')
			next[-1] = '\0';
		lineno++;
		if (lineno == 1) {
			char *rel = line + strlen(MAGIC);

			x->release = xasprintf("%.*s", (int)strcspn(rel, " "), rel);
			continue;
		}
		if (str_starts(line, "# object ") && line[9]) {
			strmap_put(&x->objs, line + 9);
			continue;
		}
		if (*line == '#' || !*line)
			continue;
		t1 = strchr(line, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2) {
			err_msg("%s:%lu: malformed line", path, lineno);
			free(buf);
			inline_index_free(x);
			return -1;
		}
		*t2 = '\0';
		e = strmap_put(&x->funcs, line);
		free(e->ptr);
		e->ptr = xstrdup(t2 + 1);
	}
	free(buf);
	return 0;
}

void inline_index_free(struct inline_index *x)
{
	size_t i;

	for (i = 0; i < x->funcs.cap; i++)
		if (x->funcs.ents[i].key)
			free(x->funcs.ents[i].ptr);
	strmap_free(&x->funcs);
	strmap_free(&x->objs);
	free(x->path);
	free(x->release);
	memset(x, 0, sizeof(*x));
}

bool inline_index_has(const struct inline_index *x, const char *obj)
{
	return strmap_get(&x->objs, obj) != NULL;
}

const char *inline_index_callers(const struct inline_index *x, const char *obj,
				 const char *func)
{
	char *key = xasprintf("%s\t%s", obj, func);
	struct strmap_ent *e = strmap_get(&x->funcs, key);

	free(key);
	return e && *(char *)e->ptr ? e->ptr : NULL;
}
