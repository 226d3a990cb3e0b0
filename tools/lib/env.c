// SPDX-License-Identifier: GPL-2.0
/* Roots of the running kernel's files and small readers (see env.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "env.h"
#include "util.h"

static const char *root(const char *var, const char *def, bool *moved)
{
	const char *v = getenv(var);

	if (v && *v) {
		*moved = true;
		return v;
	}
	return def;
}

void env_init(struct clp_env *e)
{
	struct utsname u;
	const char *rel;
	bool moved = false;

	memset(e, 0, sizeof(*e));
	e->sysfs = root("CLP_SYSFS", "/sys/kernel/clp", &moved);
	e->proc = root("CLP_PROC", "/proc", &moved);
	e->sysmod = root("CLP_SYS_MODULE", "/sys/module", &moved);
	e->notes = root("CLP_KERNEL_NOTES", "/sys/kernel/notes", &moved);
	e->tracefs = root("CLP_TRACEFS", NULL, &moved);
	e->kmsg = root("CLP_KMSG", "/dev/kmsg", &moved);
	e->fake = moved;
	/* the install directory is no kernel state */
	e->libdir = root("CLP_LIB_DIR", "/var/lib/clp", &moved);
	rel = getenv("CLP_RELEASE");
	if (!rel || !*rel) {
		rel = "";
		if (uname(&u) == 0) {
			snprintf(e->release, sizeof(e->release), "%s", u.release);
			return;
		}
	}
	snprintf(e->release, sizeof(e->release), "%s", rel);
}

char *env_path(const char *root, const char *rest)
{
	return xasprintf("%s/%s", root, rest);
}

char *notes_build_id(const char *buf, size_t len)
{
	struct strbuf sb = { 0 };
	size_t off = 0;

	while (off + 12 <= len) {
		unsigned int nsz, dsz, type;
		size_t nal, dal;

		memcpy(&nsz, buf + off, 4);
		memcpy(&dsz, buf + off + 4, 4);
		memcpy(&type, buf + off + 8, 4);
		nal = ((size_t)nsz + 3) & ~(size_t)3;
		dal = ((size_t)dsz + 3) & ~(size_t)3;
		if (nsz > len || dsz > len || off + 12 + nal + dal > len)
			break;
		if (type == 3 /* NT_GNU_BUILD_ID */ && nsz == 4 &&
		    !memcmp(buf + off + 12, "GNU", 4) && dsz && dsz <= 64) {
			unsigned int i;

			for (i = 0; i < dsz; i++)
				sb_printf(&sb, "%02x", (unsigned char)buf[off + 12 + nal + i]);
			break;
		}
		off += 12 + nal + dal;
	}
	return sb.buf;
}

char *env_build_id(const struct clp_env *e)
{
	size_t len;
	char *buf = read_file(e->notes, &len), *id;

	if (!buf)
		return NULL;
	id = notes_build_id(buf, len);
	free(buf);
	return id;
}

bool env_module_loaded(const struct clp_env *e, const char *name, long *refcnt)
{
	char *p = env_path(e->proc, "modules");
	FILE *f = fopen(p, "r");
	char line[4096], mod[64];
	long cnt;
	bool found = false;

	free(p);
	while (f && !found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %*s %ld", mod, &cnt) == 2 && !strcmp(mod, name)) {
			found = true;
			if (refcnt)
				*refcnt = cnt;
		}
	}
	if (f)
		fclose(f);
	return found;
}

void modname_normalize(char *name)
{
	for (; *name; name++)
		if (*name == '-')
			*name = '_';
}

bool modname_valid(const char *name)
{
	const char *p;

	if (!*name || strlen(name) > 55)
		return false;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

char *read_value(const char *dir, const char *file)
{
	char *p = xasprintf("%s/%s", dir, file);
	char *s = read_file(p, NULL);
	size_t n;

	free(p);
	if (!s)
		return NULL;
	n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

long read_long(const char *dir, const char *file, long def)
{
	char *s = read_value(dir, file), *end;
	long v;

	if (!s)
		return def;
	v = strtol(s, &end, 10);
	if (end == s)
		v = def;
	free(s);
	return v;
}
