// SPDX-License-Identifier: GPL-2.0
/*
 * clp-elf-dump [--map SYSTEM.MAP] [--symvers FILE] OBJ... - host-test driver
 * of the ELF layer and the analysis: reads each object as 'clp build' would
 * (no edits) and prints its sections, markers and load-time references.
 * Exit 0 if everything was read and passed the checks, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"

int main(int argc, char **argv)
{
	struct ksyms ks = { 0 };
	struct analysis a = { .ks = &ks, .release = "test" };
	struct elf_obj *objs;
	int i, n = 0, bad = 0;
	size_t k;

	objs = xcalloc(argc, sizeof(*objs));
	a.units = xcalloc(argc, sizeof(*a.units));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--map") && i + 1 < argc) {
			if (ksyms_load_map(&ks, argv[++i]))
				return 1;
			continue;
		}
		if (!strcmp(argv[i], "--symvers") && i + 1 < argc) {
			if (ksyms_load_symvers(&ks, argv[++i]))
				return 1;
			continue;
		}
		a.units[a.nunits] = (struct unit){ .id = (int)a.nunits + 1, .name = argv[i],
						   .src = argv[i], .obj = argv[i] };
		a.nunits++;
	}
	for (k = 0; k < a.nunits; k++) {
		struct elf_obj *o = &objs[n];

		if (elfobj_open(o, a.units[k].obj, false)) {
			printf("error: %s\n", o->err);
			bad = 1;
			elfobj_close(o);
			continue;
		}
		printf("%s: %zu sections, %zu symbols\n", o->path, o->nsecs, o->nsyms);
		analyze_markers(&a, o, a.units[k].id);
		n++;
	}
	analyze_check(&a);
	for (i = 0; i < n; i++)
		analyze_refs(&a, &objs[i], a.units[i].id, false);
	for (k = 0; k < a.nmarkers; k++) {
		const struct marker *m = &a.markers[k];

		printf("marker %s %s:%s pos=%lu flags=%lu new=%s line=%lu\n",
		       m->kind == MK_FUNC ? "func" : "sym", m->obj, m->name, m->pos, m->flags,
		       m->newsym ? m->newsym : "-", m->line);
	}
	for (k = 0; k < a.nrefs; k++) {
		const struct ref *r = &a.refs[k];

		printf("ref %s %s:%s pos=%lu at %s+0x%llx addend=%lld\n", elfobj_reloc_name(r->type),
		       r->obj, r->sym, r->pos, r->anchor, (unsigned long long)r->offset,
		       (long long)r->addend);
	}
	for (i = 0; i < n; i++)
		elfobj_close(&objs[i]);
	free(objs);
	free(a.units);
	bad |= a.errors != 0;
	analysis_free(&a);
	ksyms_free(&ks);
	return bad;
}
