// SPDX-License-Identifier: GPL-2.0
/*
 * Read a patch module file: its .modinfo strings through the ELF layer.
 * 'clp build' records clp_version, clp_patches, clp_kernel, clp_build_id
 * and one clp_func, clp_ref, clp_state and clp_unaffected per entry
 * (glue.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfobj.h"
#include "exitcodes.h"
#include "modinfo.h"
#include "patchinfo.h"
#include "util.h"

bool pi_has_object(const struct patch_info *pi, const char *obj)
{
	size_t i;

	for (i = 0; i < pi->nobjs; i++)
		if (!strcmp(pi->objs[i], obj))
			return true;
	return false;
}

bool pi_replaces(const struct patch_info *pi, const char *obj, const char *name)
{
	size_t i;

	for (i = 0; i < pi->nfuncs; i++)
		if (!strcmp(pi->funcs[i].obj, obj) && !strcmp(pi->funcs[i].name, name))
			return true;
	return false;
}

bool pi_acknowledges(const struct patch_info *pi, const char *obj, const char *func,
		     const char *other)
{
	size_t i;

	for (i = 0; i < pi->nacks; i++)
		if (!strcmp(pi->acks[i].obj, obj) && !strcmp(pi->acks[i].func, func) &&
		    !strcmp(pi->acks[i].other, other))
			return true;
	return false;
}

static void add_obj(struct patch_info *pi, const char *obj)
{
	if (pi_has_object(pi, obj))
		return;
	pi->objs = xrealloc(pi->objs, (pi->nobjs + 1) * sizeof(char *));
	pi->objs[pi->nobjs++] = xstrdup(obj);
}

static void split_patches(struct patch_info *pi, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *t;

	for (t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		pi->patches = xrealloc(pi->patches, (pi->npatches + 1) * sizeof(char *));
		pi->patches[pi->npatches++] = xstrdup(t);
	}
	free(copy);
}

/* The value of one modinfo key into @pi; false when it is malformed. */
typedef bool (*take_fn)(struct patch_info *pi, const char *val);

static bool take_str(char **dst, const char *val)
{
	free(*dst);
	*dst = xstrdup(val);
	return true;
}

static bool take_name(struct patch_info *pi, const char *val)
{
	return take_str(&pi->modname, val);
}

static bool take_version(struct patch_info *pi, const char *val)
{
	pi->is_clp = true;
	return take_str(&pi->version, val);
}

static bool take_kernel(struct patch_info *pi, const char *val)
{
	return take_str(&pi->kernel, val);
}

static bool take_build_id(struct patch_info *pi, const char *val)
{
	return take_str(&pi->build_id, val);
}

static bool take_patches(struct patch_info *pi, const char *val)
{
	split_patches(pi, val);
	return true;
}

static bool take_func(struct patch_info *pi, const char *val)
{
	char a[256], b[256], c[512];
	unsigned long x, y;
	int n = sscanf(val, "%255s %255s %lu %lu %511s", a, b, &x, &y, c);

	if (n < 4)
		return false;
	pi->funcs = xrealloc(pi->funcs, (pi->nfuncs + 1) * sizeof(*pi->funcs));
	pi->funcs[pi->nfuncs++] = (struct pi_func){
		.obj = xstrdup(a), .name = xstrdup(b), .sympos = x, .flags = y, .live = -1,
		.patches = n == 5 ? xstrdup(c) : NULL,
	};
	add_obj(pi, a);
	pi->details = true;
	return true;
}

static bool take_ref(struct patch_info *pi, const char *val)
{
	char a[256], b[256];
	unsigned long x;

	if (sscanf(val, "%255s %255s %lu", a, b, &x) != 3)
		return false;
	pi->refs = xrealloc(pi->refs, (pi->nrefs + 1) * sizeof(*pi->refs));
	pi->refs[pi->nrefs++] = (struct pi_ref){
		.obj = xstrdup(a), .sym = xstrdup(b), .sympos = x,
	};
	return true;
}

static bool take_unaffected(struct patch_info *pi, const char *val)
{
	char a[256], b[256], c[256];

	if (sscanf(val, "%255s %255s %255s", a, b, c) != 3)
		return false;
	pi->acks = xrealloc(pi->acks, (pi->nacks + 1) * sizeof(*pi->acks));
	pi->acks[pi->nacks++] = (struct pi_ack){
		.obj = xstrdup(a), .func = xstrdup(b), .other = xstrdup(c),
	};
	return true;
}

static bool take_state(struct patch_info *pi, const char *val)
{
	unsigned long x, y;

	if (sscanf(val, "%lu %lu", &x, &y) != 2)
		return false;
	pi->states = xrealloc(pi->states, (pi->nstates + 1) * sizeof(*pi->states));
	pi->states[pi->nstates++] = (struct pi_state){ .id = x, .version = y };
	return true;
}

static const struct {
	const char *key;
	take_fn take;
} modinfo_keys[] = {
	{ "name", take_name },
	{ MI_VERSION, take_version },
	{ MI_KERNEL, take_kernel },
	{ MI_BUILD_ID, take_build_id },
	{ MI_PATCHES, take_patches },
	{ MI_FUNC, take_func },
	{ MI_REF, take_ref },
	{ MI_UNAFFECTED, take_unaffected },
	{ MI_STATE, take_state },
};

/* One "key=value" string; returns false for a malformed clp_* entry. */
static bool take(struct patch_info *pi, const char *key, const char *val)
{
	size_t i;

	for (i = 0; i < sizeof(modinfo_keys) / sizeof(modinfo_keys[0]); i++)
		if (!strcmp(key, modinfo_keys[i].key))
			return modinfo_keys[i].take(pi, val);
	return true;	/* not ours */
}

int pi_read_mem(struct patch_info *pi, const char *path, void *buf, size_t len)
{
	struct elf_obj o = { 0 };
	struct elf_sec *s;
	const char *p, *end;
	int rc = 0;

	memset(pi, 0, sizeof(*pi));
	pi->enabled = pi->live = -1;
	pi->order = pi->refcnt = -1;
	if (elfobj_open_mem(&o, path, buf, len)) {
		err_msg("%s", o.err);
		elfobj_close(&o);
		return EXIT_REJECTED;
	}
	s = elfobj_find_sec(&o, ".modinfo");
	if (!s || !s->data) {
		err_msg("%s: not a kernel module (no .modinfo)", path);
		rc = EXIT_REJECTED;
		goto out;
	}
	p = s->data->d_buf;
	end = p + s->data->d_size;
	while (p < end) {
		const char *nul = memchr(p, '\0', end - p), *eq;
		char *key;

		if (!nul)
			break;	/* an unterminated tail: ignore it */
		eq = memchr(p, '=', nul - p);
		if (eq) {
			key = xasprintf("%.*s", (int)(eq - p), p);
			if (!take(pi, key, eq + 1)) {
				err_msg("%s: malformed .modinfo entry '%s'", path, p);
				rc = EXIT_REJECTED;
			}
			free(key);
		}
		p = nul + 1;
	}
	if (!rc && (!pi->modname || !modname_valid(pi->modname))) {
		err_msg("%s: no valid module name in .modinfo", path);
		rc = EXIT_REJECTED;
	}
	if (!rc && !pi->is_clp) {
		err_msg("%s: not a clp patch module (no clp_version in .modinfo)", path);
		rc = EXIT_REJECTED;
	}
out:
	elfobj_close(&o);
	if (rc)
		pi_free(pi);
	return rc;
}

int pi_read_ko(struct patch_info *pi, const char *path)
{
	size_t len;
	char *buf = read_file(path, &len);
	int rc;

	if (!buf) {
		memset(pi, 0, sizeof(*pi));
		err_msg("%s: %s", path, strerror(errno));
		return EXIT_REJECTED;
	}
	rc = pi_read_mem(pi, path, buf, len);
	free(buf);
	return rc;
}

void pi_free(struct patch_info *pi)
{
	size_t i;

	free(pi->modname);
	free(pi->version);
	free(pi->kernel);
	free(pi->build_id);
	for (i = 0; i < pi->npatches; i++)
		free(pi->patches[i]);
	free(pi->patches);
	for (i = 0; i < pi->nobjs; i++)
		free(pi->objs[i]);
	free(pi->objs);
	for (i = 0; i < pi->nfuncs; i++) {
		free(pi->funcs[i].obj);
		free(pi->funcs[i].name);
		free(pi->funcs[i].patches);
	}
	free(pi->funcs);
	for (i = 0; i < pi->nrefs; i++) {
		free(pi->refs[i].obj);
		free(pi->refs[i].sym);
	}
	free(pi->refs);
	free(pi->states);
	for (i = 0; i < pi->nacks; i++) {
		free(pi->acks[i].obj);
		free(pi->acks[i].func);
		free(pi->acks[i].other);
	}
	free(pi->acks);
	memset(pi, 0, sizeof(*pi));
}
