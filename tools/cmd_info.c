// SPDX-License-Identifier: GPL-2.0
/* clp info: what a patch module file or a registered patch contains. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp info [--json] FILE.ko|NAME\n"
"\n"
"Show a patch module: module name, version string, contained patches, target\n"
"kernel release and build-id, objects, functions (object, name, sympos,\n"
"flags), load-time references, system states and the clones or inlining\n"
"callers acknowledged as unaffected (CLP_UNAFFECTED).  FILE.ko is read from its\n"
".modinfo; NAME is a registered patch, read from /sys/kernel/clp/NAME (its\n"
"state, order and which functions are live; no references nor flags).\n"
"A sympos is the position among the object's symbols of that name counted\n"
"from 1, as sysfs and 'clp list' show it; a name the module requires to be\n"
"unique (recorded as 0) shows as 1.\n"
"\n"
"  --json     print one JSON object\n"
"\n"
"Exit status: 0 shown; 1 no such file or patch, or not a clp module;\n"
"2 bad command line.\n");
}

/*
 * The position as sysfs, 'clp list' and the functions file show it, counted
 * from 1.  A module records 0 for a name that must be unique in its object:
 * once the patch applies, that is the first and only one.
 */
static unsigned long shown_pos(unsigned long sympos)
{
	return sympos ? sympos : 1;
}

static void print_text(const struct patch_info *pi)
{
	size_t i;

	printf("name:      %s\n", pi->modname);
	printf("version:   %s\n", pi->version ? pi->version : "-");
	printf("patches:  ");
	for (i = 0; i < pi->npatches; i++)
		printf(" %s", pi->patches[i]);
	printf("%s\n", pi->npatches ? "" : " -");
	if (pi->from_sysfs) {
		printf("state:     %s (enabled %d, live %d, order %ld)\n",
		       patch_state_name(pi->enabled, pi->live), pi->enabled, pi->live, pi->order);
		if (pi->refcnt >= 0)
			printf("refcnt:    %ld\n", pi->refcnt);
		printf("kernel:    %s (running)\n", pi->kernel);
	} else {
		printf("kernel:    %s\n", pi->kernel ? pi->kernel : "-");
		printf("build-id:  %s\n", pi->build_id ? pi->build_id : "- (not checked)");
	}
	printf("objects:  ");
	for (i = 0; i < pi->nobjs; i++)
		printf(" %s", pi->objs[i]);
	printf("%s\n", pi->nobjs ? "" : " -");
	if (!pi->details) {
		printf("functions: unknown (built by a clp without clp_func records)\n");
		return;
	}
	printf("functions: %zu\n", pi->nfuncs);
	for (i = 0; i < pi->nfuncs; i++) {
		const struct pi_func *f = &pi->funcs[i];

		printf("  %s %s,%lu", f->obj, f->name, shown_pos(f->sympos));
		if (f->live >= 0)
			printf(" %s\n", f->live ? "live" : "not-live");
		else
			printf(" flags=%lu%s%s%s\n", f->flags, f->flags & 1 ? " (nocheck)" : "",
			       f->patches ? " from " : "", f->patches ? f->patches : "");
	}
	if (!pi->from_sysfs) {
		printf("references: %zu\n", pi->nrefs);
		for (i = 0; i < pi->nrefs; i++)
			printf("  %s %s,%lu\n", pi->refs[i].obj, pi->refs[i].sym,
			       shown_pos(pi->refs[i].sympos));
	}
	printf("states:    %zu\n", pi->nstates);
	for (i = 0; i < pi->nstates; i++)
		printf("  %lu %lu\n", pi->states[i].id, pi->states[i].version);
	if (!pi->from_sysfs) {
		printf("unaffected: %zu\n", pi->nacks);
		for (i = 0; i < pi->nacks; i++)
			printf("  %s %s %s\n", pi->acks[i].obj, pi->acks[i].func, pi->acks[i].other);
	}
}

static void print_json(const struct patch_info *pi)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_obj_begin(&j);
	json_kstr(&j, "name", pi->modname);
	json_kstr(&j, "version", pi->version);
	json_key(&j, "patches");
	json_arr_begin(&j);
	for (i = 0; i < pi->npatches; i++)
		json_str(&j, pi->patches[i]);
	json_arr_end(&j);
	json_kstr(&j, "kernel", pi->kernel);
	json_kstr(&j, "build_id", pi->build_id);
	json_kstr(&j, "source", pi->from_sysfs ? "sysfs" : "file");
	if (pi->from_sysfs) {
		json_kstr(&j, "state", patch_state_name(pi->enabled, pi->live));
		json_kbool(&j, "enabled", pi->enabled > 0);
		json_kbool(&j, "live", pi->live > 0);
		json_kint(&j, "order", pi->order);
	}
	json_key(&j, "objects");
	json_arr_begin(&j);
	for (i = 0; i < pi->nobjs; i++)
		json_str(&j, pi->objs[i]);
	json_arr_end(&j);
	json_key(&j, "functions");
	if (pi->details) {
		json_arr_begin(&j);
		for (i = 0; i < pi->nfuncs; i++) {
			const struct pi_func *f = &pi->funcs[i];

			json_obj_begin(&j);
			json_kstr(&j, "object", f->obj);
			json_kstr(&j, "name", f->name);
			json_kint(&j, "sympos", (long long)shown_pos(f->sympos));
			if (f->patches)
				json_kstr(&j, "patches", f->patches);
			if (f->live >= 0)
				json_kbool(&j, "live", f->live);
			else
				json_kint(&j, "flags", (long long)f->flags);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	} else {
		json_str(&j, NULL);
	}
	json_key(&j, "references");
	if (!pi->from_sysfs) {
		json_arr_begin(&j);
		for (i = 0; i < pi->nrefs; i++) {
			json_obj_begin(&j);
			json_kstr(&j, "object", pi->refs[i].obj);
			json_kstr(&j, "symbol", pi->refs[i].sym);
			json_kint(&j, "sympos", (long long)shown_pos(pi->refs[i].sympos));
			json_obj_end(&j);
		}
		json_arr_end(&j);
	} else {
		json_str(&j, NULL);
	}
	json_key(&j, "states");
	json_arr_begin(&j);
	for (i = 0; i < pi->nstates; i++) {
		json_obj_begin(&j);
		json_kint(&j, "id", (long long)pi->states[i].id);
		json_kint(&j, "version", (long long)pi->states[i].version);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "unaffected");
	if (!pi->from_sysfs) {
		json_arr_begin(&j);
		for (i = 0; i < pi->nacks; i++) {
			json_obj_begin(&j);
			json_kstr(&j, "object", pi->acks[i].obj);
			json_kstr(&j, "function", pi->acks[i].func);
			json_kstr(&j, "other", pi->acks[i].other);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	} else {
		json_str(&j, NULL);
	}
	json_obj_end(&j);
	json_finish(&j);
}

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct clp_env e;
	struct patch_info pi;
	bool json = false;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': json = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option("info", argv, c);
		}
	}
	if (optind != argc - 1) {
		err_msg("info: give one module file or patch name; see 'clp info --help'");
		return EXIT_USAGE;
	}
	env_init(&e);
	if (arg_is_file(argv[optind]))
		rc = pi_read_ko(&pi, argv[optind]);
	else
		rc = pi_read_sysfs(&pi, &e, argv[optind]);
	if (rc)
		return rc;
	if (json)
		print_json(&pi);
	else
		print_text(&pi);
	pi_free(&pi);
	return EXIT_OK;
}
