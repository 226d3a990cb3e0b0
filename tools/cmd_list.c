// SPDX-License-Identifier: GPL-2.0
/*
 * clp list: the registered patches in registration order with their state,
 * every patched function and whose version runs, then the modules
 * installed per kernel release.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "install.h"
#include "json.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp list [--json] [--dir DIR]\n"
"\n"
"List the registered patches in registration order (sysfs 'order') with\n"
"their state (live; shadowed: enabled, a newer patch is live; disabled) and\n"
"version string, then every patched function with the patch whose version\n"
"runs now ('(original)' if none), then the modules installed per kernel\n"
"release, newest first.\n"
"\n"
"  --json     print one JSON object instead\n"
"  --dir DIR  install directory (default $CLP_LIB_DIR or /var/lib/clp)\n"
"\n"
"Exit status: 0 listed (also when the core is not loaded); 2 bad command line.\n");
}

struct listing {
	long npatches;		/* -1: core not loaded */
	struct sysfs_patch *patches;
	long nfuncs;
	struct sysfs_func *funcs;
	const char *libdir;
	char **kernels;
	size_t nkernels;
};

static void print_text(const struct clp_env *e, const struct listing *l)
{
	long i, n;
	size_t k;

	if (l->npatches < 0) {
		printf("patches: none (the clp core is not loaded)\n");
	} else {
		printf("patches: %ld\n", l->npatches);
		for (i = 0; i < l->npatches; i++) {
			const struct sysfs_patch *p = &l->patches[i];

			printf("  %-5ld %-24s %-9s %s\n", p->order, p->name,
			       patch_state_name(p->enabled, p->live), p->version);
		}
		printf("functions: %ld\n", l->nfuncs > 0 ? l->nfuncs : 0);
		for (i = 0; i < l->nfuncs; i++) {
			const struct sysfs_func *f = &l->funcs[i];
			char *fn = xasprintf("%s,%lu", f->func, f->sympos);

			printf("  %-12s %-36s %s\n", f->obj, fn, f->patch);
			free(fn);
		}
	}
	printf("installed: %s\n", l->libdir);
	for (k = 0; k < l->nkernels; k++) {
		char **names;

		n = installed_modules(l->libdir, l->kernels[k], &names);
		if (n < 0)
			continue;
		printf("  %s%s:", l->kernels[k], strcmp(l->kernels[k], e->release) ? "" : " (running)");
		for (i = 0; i < n; i++)
			printf(" %s", names[i]);
		printf("%s\n", n ? "" : " -");
		free_names(names, n);
	}
}

static void print_json(const struct clp_env *e, const struct listing *l)
{
	struct json j;
	long i, n, m;
	size_t k;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kbool(&j, "core_loaded", l->npatches >= 0);
	json_kstr(&j, "kernel", e->release);
	json_key(&j, "patches");
	json_arr_begin(&j);
	for (i = 0; i < l->npatches; i++) {
		const struct sysfs_patch *p = &l->patches[i];
		char **c = sysfs_patch_contents(e, p->name, &n);

		json_obj_begin(&j);
		json_kstr(&j, "name", p->name);
		json_kint(&j, "order", p->order);
		json_kstr(&j, "state", patch_state_name(p->enabled, p->live));
		json_kbool(&j, "enabled", p->enabled > 0);
		json_kbool(&j, "live", p->live > 0);
		json_kstr(&j, "version", p->version);
		json_key(&j, "patches");
		json_arr_begin(&j);
		for (m = 0; m < n; m++)
			json_str(&j, c[m]);
		json_arr_end(&j);
		json_obj_end(&j);
		free_names(c, n);
	}
	json_arr_end(&j);
	json_key(&j, "functions");
	json_arr_begin(&j);
	for (i = 0; i < l->nfuncs; i++) {
		const struct sysfs_func *f = &l->funcs[i];

		json_obj_begin(&j);
		json_kstr(&j, "object", f->obj);
		json_kstr(&j, "function", f->func);
		json_kint(&j, "sympos", (long long)f->sympos);
		json_kstr(&j, "live_patch", strcmp(f->patch, "(original)") ? f->patch : NULL);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "installed");
	json_obj_begin(&j);
	json_kstr(&j, "dir", l->libdir);
	json_key(&j, "kernels");
	json_arr_begin(&j);
	for (k = 0; k < l->nkernels; k++) {
		char **names;

		n = installed_modules(l->libdir, l->kernels[k], &names);
		if (n < 0)
			continue;
		json_obj_begin(&j);
		json_kstr(&j, "kernel", l->kernels[k]);
		json_kbool(&j, "running", !strcmp(l->kernels[k], e->release));
		json_key(&j, "modules");
		json_arr_begin(&j);
		for (i = 0; i < n; i++)
			json_str(&j, names[i]);
		json_arr_end(&j);
		json_obj_end(&j);
		free_names(names, n);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	json_finish(&j);
}

int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "dir", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct listing l = { 0 };
	struct clp_env e;
	bool json = false;
	size_t k;
	int c;

	env_init(&e);
	l.libdir = e.libdir;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': json = true; break;
		case 'D': l.libdir = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option("list", argv, c);
		}
	}
	if (optind != argc) {
		err_msg("list: unexpected argument '%s'; see 'clp list --help'", argv[optind]);
		return EXIT_USAGE;
	}
	l.npatches = sysfs_patches(&e, &l.patches);
	l.nfuncs = l.npatches >= 0 ? sysfs_functions(&e, &l.funcs) : -1;
	l.nkernels = (size_t)installed_kernels(l.libdir, &l.kernels);
	if (json)
		print_json(&e, &l);
	else
		print_text(&e, &l);
	if (l.npatches >= 0)
		sysfs_patches_free(l.patches, l.npatches);
	if (l.nfuncs > 0)
		sysfs_functions_free(l.funcs, l.nfuncs);
	for (k = 0; k < l.nkernels; k++)
		free(l.kernels[k]);
	free(l.kernels);
	return EXIT_OK;
}
