// SPDX-License-Identifier: GPL-2.0
/*
 * clp source prepare | path | copy | status: the prepared Debian source trees the
 * diff builder compiles in (lib/srctree.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "srctree.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp source prepare [-k KVER] [--cache DIR] [-j JOBS] [--headers DIR]\n"
"       clp source path [-k KVER] [--cache DIR]\n"
"       clp source copy [-k KVER] [--cache DIR] DEST\n"
"       clp source status [--json] [--cache DIR]\n"
"\n"
"prepare: fetch the exact Debian linux-source package that built kernel\n"
"KVER (its version from the headers' UTS_VERSION), unpack it, configure it\n"
"with the headers' .config, run modules_prepare, check that its generated\n"
"headers and the compiler, assembler and linker are the kernel's, and keep\n"
"it read-only as DIR/src/KVER.  A tree already there is only checked.\n"
"path: print the prepared tree of KVER.  copy: make DEST a writable copy of\n"
"it to build in (hard links to the source, its own generated files).\n"
"status: list the prepared trees.\n"
"\n"
"  -k, --kver KVER     kernel release (default: the running kernel's)\n"
"  --cache DIR         cache root (default $CLP_CACHE, the checkout's .cache\n"
"                      when run from its build, else /var/cache/clp)\n"
"  --headers DIR       prepare: the kernel's headers tree (default\n"
"                      DIR/kernels/KVER/build)\n"
"  -j, --jobs JOBS     prepare: parallel make jobs (default 2)\n"
"  --json              status: print one JSON object instead\n"
"\n"
"Exit status: 0 prepared (or already), printed, copied or listed; 1 refused (a\n"
"version or a generated header differs, interrupted); 2 bad command line;\n"
"3 no headers, no prepared tree, a tool or the source package missing;\n"
"4 I/O or internal error.\n");
}

struct source_opts {
	const char *kver, *cache, *headers;
	int jobs;
	bool json;
};

static void print_progress(void *arg, const char *step)
{
	(void)arg;
	fprintf(stderr, "clp source: %s\n", step);
}

static int do_prepare(const char *cache, const char *kver, const struct source_opts *o)
{
	struct srctree_opts so = { .jobs = o->jobs, .progress = print_progress };
	struct srctree t;
	int rc = srctree_prepare(cache, kver, o->headers, &so, &t);

	if (rc)
		return rc;
	printf("%s: %s %s in %s\n", t.release, t.package, t.debian_version, t.path);
	srctree_free(&t);
	return EXIT_OK;
}

static int do_path(const char *cache, const char *kver)
{
	struct srctree t;
	int rc = srctree_find(cache, kver, &t);

	if (rc)
		return rc;
	printf("%s\n", t.path);
	srctree_free(&t);
	return EXIT_OK;
}

static int do_copy(const char *cache, const char *kver, const char *dest)
{
	struct srctree t;
	int rc = srctree_find(cache, kver, &t);

	if (rc)
		return rc;
	rc = srctree_copy(&t, dest);
	srctree_free(&t);
	return rc;
}

static int do_status(const char *cache, bool json)
{
	struct srctree *trees;
	size_t i, n;
	struct json j;

	if (srctree_list(cache, &trees, &n)) {
		err_msg("source: cannot read %s/src", cache);
		return EXIT_INTERNAL;
	}
	if (json) {
		json_init(&j, stdout);
		json_obj_begin(&j);
		json_kstr(&j, "cache", cache);
		json_key(&j, "trees");
		json_arr_begin(&j);
		for (i = 0; i < n; i++) {
			json_obj_begin(&j);
			json_kstr(&j, "release", trees[i].release);
			json_kstr(&j, "path", trees[i].path);
			json_kstr(&j, "package", trees[i].package);
			json_kstr(&j, "debian_version", trees[i].debian_version);
			json_kstr(&j, "cc_version", trees[i].cc_version);
			json_kstr(&j, "prepared", trees[i].prepared);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
		json_finish(&j);
	} else {
		printf("source trees: %zu in %s/src\n", n, cache);
		for (i = 0; i < n; i++)
			printf("  %-24s %s %s, %s, prepared %s\n", trees[i].release, trees[i].package,
			       trees[i].debian_version, trees[i].cc_version, trees[i].prepared);
	}
	for (i = 0; i < n; i++)
		srctree_free(&trees[i]);
	free(trees);
	return EXIT_OK;
}

int cmd_source(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kver", required_argument, NULL, 'k' },
		{ "cache", required_argument, NULL, 'C' },
		{ "headers", required_argument, NULL, 'H' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct source_opts o = { 0 };
	const char *sub;
	struct clp_env e;
	char *cache, *end;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o.kver = optarg; break;
		case 'C': o.cache = optarg; break;
		case 'H': o.headers = optarg; break;
		case 'j':
			o.jobs = (int)strtol(optarg, &end, 10);
			if (*end || o.jobs < 1 || o.jobs > 64) {
				err_msg("source: -j '%s': not a number of jobs (1 to 64)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'J': o.json = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option("source", argv, c);
		}
	}
	if (optind >= argc) {
		err_msg("source: give one of prepare, path, copy, status; see 'clp source --help'");
		return EXIT_USAGE;
	}
	sub = argv[optind];
	if (strcmp(sub, "prepare") && strcmp(sub, "path") && strcmp(sub, "copy") &&
	    strcmp(sub, "status")) {
		err_msg("source: unknown subcommand '%s'; see 'clp source --help'", sub);
		return EXIT_USAGE;
	}
	if (optind + 1 + !strcmp(sub, "copy") != argc) {
		err_msg("source: %s takes %s; see 'clp source --help'", sub,
			!strcmp(sub, "copy") ? "one destination" : "no argument");
		return EXIT_USAGE;
	}
	if (o.json && strcmp(sub, "status")) {
		err_msg("source: --json is for 'status' only");
		return EXIT_USAGE;
	}
	if ((o.headers || o.jobs) && strcmp(sub, "prepare")) {
		err_msg("source: --headers and -j are for 'prepare' only");
		return EXIT_USAGE;
	}
	if (o.kver && !strcmp(sub, "status")) {
		err_msg("source: 'status' lists every release; -k is for the others");
		return EXIT_USAGE;
	}
	if (o.kver && (!*o.kver || strchr(o.kver, '/') || o.kver[0] == '.')) {
		err_msg("source: '%s' is not a kernel release", o.kver);
		return EXIT_USAGE;
	}
	env_init(&e);
	o.kver = o.kver ? o.kver : e.release;
	cache = srctree_cache_root(o.cache);
	if (!strcmp(sub, "prepare"))
		rc = do_prepare(cache, o.kver, &o);
	else if (!strcmp(sub, "path"))
		rc = do_path(cache, o.kver);
	else if (!strcmp(sub, "copy"))
		rc = do_copy(cache, o.kver, argv[optind + 1]);
	else
		rc = do_status(cache, o.json);
	free(cache);
	return rc;
}
