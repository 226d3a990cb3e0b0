// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * The step kbuild runs between compiling the patch files and linking:
 * 'clp build --glue-stage DIR' analyses the objects, edits the references
 * the core resolves at load and writes clp_glue.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "glue.h"
#include "inlines.h"
#include "ksyms.h"
#include "build.h"
#include "util.h"

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
		else if (!strcmp(line, "patch")) {
			a.patches = xrealloc(a.patches, (a.npatches + 1) * sizeof(*a.patches));
			a.patches[a.npatches++] = val;
		} else if (!strcmp(line, "unit")) {
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
	if (!a.errors)
		for (i = 0; i < a.nunits; i++)
			analyze_module_refs(&a, &objs[i], a.units[i].id);
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
	free(a.patches);
	analysis_free(&a);
	ksyms_free(&ks);
	inline_index_free(&inl);
	sb_free(&sb);
	free(state);
	free(statep);
	return rc;
}
