// SPDX-License-Identifier: GPL-2.0
/*
 * srclines.h without libdw, for clp-static (the test guest, where nothing
 * is built from diffs): no DWARF is read, so --explain says "changed"
 * without telling a change through inlined code apart.
 */
#include <stdio.h>
#include <string.h>

#include "srclines.h"

int srclines_load(struct srclines *s, const char *obj, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	snprintf(err, errlen, "%s: this clp is built without libdw", obj);
	return -1;
}

int srclines_add_original(struct srclines *s, const char *orig, char *err, size_t errlen)
{
	(void)s;
	snprintf(err, errlen, "%s: this clp is built without libdw", orig);
	return -1;
}

int srclines_diff(struct srclines *s, const char *path, const char *old, const char *new,
		  char *err, size_t errlen)
{
	(void)s;
	(void)old;
	(void)new;
	snprintf(err, errlen, "%s: this clp is built without libdw", path);
	return -1;
}

char *srclines_explain(const struct srclines *s, const char *func)
{
	(void)s;
	(void)func;
	return NULL;
}

void srclines_free(struct srclines *s)
{
	memset(s, 0, sizeof(*s));
}
