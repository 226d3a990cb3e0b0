// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
/*
 * The 'clp build' driver: takes the patch set apart, finds the target
 * kernel's tree, symbols and build-id, and runs kbuild once.  The Kbuild file
 * it writes compiles every patch file separately (with -DCLP_UNIT=<n>), then
 * runs 'clp build --glue-stage DIR' (build_glue_stage.c), which
 * analyses the objects, edits the references the core resolves at load and
 * writes clp_glue.c; kbuild then compiles the glue and links one module.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze.h"
#include "build.h"
#include "env.h"
#include "glue.h"
#include "inlines.h"
#include "ksyms.h"
#include "util.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp build [-k KVER | --kdir DIR] [-n NAME] [-o OUT.ko] [--dry-run] SET...\n"
"\n"
"Link a patch set into one cumulative live-patch module.  SET is a directory\n"
"(its *.c, *.patch and *.diff files in byte order, as run-parts orders them)\n"
"or a patch file.  A .patch/.diff is a unified diff against the target's\n"
"Debian source ('clp source prepare'): the objects it touches are compiled\n"
"before and after it and the functions whose code changed are replaced.\n"
"\n"
"  -k, --kver KVER        target kernel release (default: the running kernel)\n"
"      --kdir DIR         target kernel build tree (release read from it)\n"
"  -n, --name NAME        module name (default: clp_<set name>)\n"
"  -o, --output FILE      the module to write (default: NAME.ko)\n"
"      --dry-run          do every check and the build, write nothing\n"
"      --system-map FILE  the target's System.map (default: the cache filled by\n"
"                         tools/fetch-symbols, /proc/kallsyms if KVER is running)\n"
"      --inline-index FILE  the target's inline index (default: 'inlines' next to\n"
"                         the System.map, made by tools/fetch-symbols)\n"
"      --build-id HEX     record this build-id instead of the target's\n"
"      --release REL      record this kernel release instead of the target's\n"
"                         (for tests of 'clp check'; vermagic is unchanged)\n"
"      --include DIR      where clp/patch.h is (default: the tree's kmod/include)\n"
"      --core-symvers F   Module.symvers of clp.ko (default: the tree's build)\n"
"      --objects LIST     for diffs to headers: compile only these objects\n"
"                         (comma-separated .c or .o paths) of those that\n"
"                         include the header (default: all, up to 32)\n"
"      --explain          print the decision about every function of every\n"
"                         object a diff touches: changed, new, unchanged,\n"
"                         changed only through an inlined callee, refused\n"
"  -j, --jobs N           parallel compile jobs (default: number of CPUs)\n"
"      --keep             keep the temporary build directory\n"
"  -v, --verbose          show the kbuild command and all compiler output\n"
"\n"
"Exit status: 0 module written (or dry run passed); 1 the set was rejected\n"
"(not text, compile error, bad marker, unknown or ambiguous symbol, conflict,\n"
"a clone or inlined copy of a replaced function left out, reference into a\n"
"module from code not switched with it); 2 bad command line; 3 target kernel\n"
"tree, System.map or build-id missing, a path (TMPDIR too) missing or one\n"
"kbuild cannot take, or the inline index given missing or not the target's;\n"
"4 I/O or internal error.  No output file appears unless the status is 0.\n"
"SIGINT, SIGTERM and SIGHUP stop kbuild and remove the temporary tree.\n");
}

static void free_build(struct build *b)
{
	size_t i;

	for (i = 0; i < b->nunits; i++) {
		free(b->units[i].name);
		free(b->units[i].src);
	}
	free(b->units);
	free(b->release); free(b->kdir); free(b->system_map); free(b->symvers);
	free(b->build_id); free(b->include); free(b->core_symvers); free(b->modname);
	free(b->version); free(b->out); free(b->self); free(b->top); free(b->cache);
	free(b->tmp); free(b->inlines);
}

int cmd_build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kver", required_argument, NULL, 'k' },
		{ "kdir", required_argument, NULL, 'K' },
		{ "name", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "system-map", required_argument, NULL, 'S' },
		{ "inline-index", required_argument, NULL, 'X' },
		{ "build-id", required_argument, NULL, 'B' },
		{ "release", required_argument, NULL, 'R' },
		{ "include", required_argument, NULL, 'I' },
		{ "core-symvers", required_argument, NULL, 'C' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "keep", no_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "objects", required_argument, NULL, 'O' },
		{ "explain", no_argument, NULL, 'E' },
		{ "glue-stage", required_argument, NULL, 'G' },	/* internal, not in --help */
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct build b = { 0 };
	int c, rc;

	b.o.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	optind = 1;
	while ((c = getopt_long(argc, argv, "k:n:o:j:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': b.o.kver = optarg; break;
		case 'K': b.o.kdir = optarg; break;
		case 'n': b.o.name = optarg; break;
		case 'o': b.o.out = optarg; break;
		case 'd': b.o.dry_run = true; break;
		case 'S': b.o.system_map = optarg; break;
		case 'X': b.o.inline_index = optarg; break;
		case 'B': b.o.build_id = optarg; break;
		case 'R': b.o.release = optarg; break;
		case 'I': b.o.include = optarg; break;
		case 'C': b.o.core_symvers = optarg; break;
		case 'j': b.o.jobs = atoi(optarg); break;
		case 'p': b.o.keep = true; break;
		case 'v': b.o.verbose = true; break;
		case 'O': b.o.objects = optarg; break;
		case 'E': b.o.explain = true; break;
		case 'G': return build_glue_stage(optarg);
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (b.o.kver && b.o.kdir) {
		err_msg("build: -k and --kdir exclude each other");
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		err_msg("build: no patch set given");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (b.o.jobs < 1)
		b.o.jobs = 1;
	b.self = realpath("/proc/self/exe", NULL);
	if (!b.self) {
		err_msg("cannot find my own executable: %s", strerror(errno));
		return EXIT_INTERNAL;
	}
	find_top(&b);
	if ((rc = collect_set(&b, argv + optind, argc - optind)) ||
	    (rc = resolve_target(&b)))
		goto out;
	if (b.o.release) {
		if (!*b.o.release || strpbrk(b.o.release, " \t\n\"\\")) {
			err_msg("--release '%s': not a kernel release", b.o.release);
			rc = EXIT_USAGE;
			goto out;
		}
		free(b.release);
		b.release = xstrdup(b.o.release);
	}
	if ((rc = derive_names(&b, argv + optind, argc - optind)))
		goto out;
	if (!b.inlines)
		fprintf(stderr, "clp: warning: no inline index for %s (tools/fetch-symbols %s makes it; or --inline-index): copies of replaced functions inlined into other functions are not checked\n",
			b.release, b.release);
	catch_build_signals();
	if ((rc = make_build_tree(&b)))
		goto out;
	if (!build_interrupted() && !(rc = build_diffs(&b)) && !build_interrupted() &&
	    !(rc = write_tree(&b)) && !build_interrupted() &&
	    !(rc = run_kbuild(&b)) && !build_interrupted() && !(rc = install_output(&b)) &&
	    !build_interrupted()) {
		if (b.o.dry_run)
			printf("clp: dry run passed: %s (%s), %zu patch%s; nothing written\n",
			       b.modname, b.version, b.nunits, b.nunits == 1 ? "" : "es");
		else
			printf("clp: wrote %s: %s (%s)\n", b.out, b.modname, b.version);
	}
	remove_build_tree(&b);
out:
	free_build(&b);
	if (build_interrupted()) {
		int sig = build_interrupted();

		err_msg("build: interrupted by SIG%s; kbuild stopped%s, %s",
			sigabbrev_np(sig), b.o.keep ? "" : ", temporary tree removed",
			b.written ? "but the module was written already" : "no module written");
		signal(sig, SIG_DFL);
		raise(sig);
		rc = 128 + sig;
	}
	return rc;
}

