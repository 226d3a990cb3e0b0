/* SPDX-License-Identifier: GPL-2.0 */
/*
 * build - 'clp build', in stages: the patch set (build_set.c), the target
 * kernel (build_target.c), the kbuild run (build_kbuild.c), and the glue
 * stage kbuild calls back (build_glue_stage.c); cmd_build.c drives them.
 */
#ifndef CLP_BUILD_H
#define CLP_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze.h"
#include "exitcodes.h"

#define MODNAME_MAX 55	/* MODULE_NAME_LEN - 1 on 64-bit */

struct build_opts {
	const char *kver, *kdir, *name, *out, *system_map, *build_id, *include,
		*core_symvers, *release, *inline_index, *objects;
	bool dry_run, keep, verbose, explain;
	int jobs;
};

struct build {
	struct build_opts o;
	struct unit *units;
	size_t nunits;
	char *release, *kdir, *system_map, *symvers, *build_id, *include, *core_symvers,
		*modname, *version, *out, *self, *top, *cache, *tmp, *inlines;
	bool written;		/* the output file is in place */
};

#define KBUILD_PATH_CHARS "letters, digits and /._+-@~"

int cmd_build(int argc, char **argv);
/* The step kbuild runs between compiling the patches and linking. */
int build_glue_stage(const char *dir);

/* build_set.c */
int collect_set(struct build *b, char **args, int n);
int derive_names(struct build *b, char **args, int n);

/* build_target.c */
void find_top(struct build *b);
int resolve_target(struct build *b);

/* build_diff.c: the unified diffs of the set become units */
int build_diffs(struct build *b);

/* build_kbuild.c */
bool is_file(const char *p);
bool is_dir(const char *p);
bool kbuild_path_ok(const char *p);
char *abs_path(const char *what, const char *arg);
int make_build_tree(struct build *b);
int write_tree(struct build *b);
void catch_build_signals(void);
int run_kbuild(struct build *b);
int install_output(struct build *b);
int build_interrupted(void);
void remove_build_tree(struct build *b);

#endif
