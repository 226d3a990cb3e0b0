/* SPDX-License-Identifier: GPL-2.0 */
/*
 * patchinfo - what clp knows about one patch module, read either from the
 * module file (its .modinfo keys, written by 'clp build': see glue.c) or
 * from the running kernel (/sys/kernel/clp/<patch>, /sys/module/<name>).
 * Used by info, check, load and install.
 */
#ifndef CLP_PATCHINFO_H
#define CLP_PATCHINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "env.h"

struct pi_func {
	char *obj, *name;
	char *patches;		/* module file: the patches that changed it, '+'-separated */
	unsigned long sympos, flags;
	int live;		/* sysfs: 0/1; module file: -1 (unknown) */
};

struct pi_ref {
	char *obj, *sym;
	unsigned long sympos;
};

struct pi_state {
	unsigned long id, version;
};

/* CLP_UNAFFECTED(func, "other"): other (a clone or caller) needs no fix */
struct pi_ack {
	char *obj, *func, *other;
};

struct patch_info {
	char *modname;		/* the module's name */
	char *version, *kernel, *build_id;	/* NULL when unknown */
	char **patches;
	size_t npatches;
	char **objs;
	size_t nobjs;
	struct pi_func *funcs;
	size_t nfuncs;
	struct pi_ref *refs;
	size_t nrefs;
	struct pi_state *states;
	size_t nstates;
	struct pi_ack *acks;	/* module file only */
	size_t nacks;
	bool is_clp;		/* carries clp_version (a clp patch module) */
	bool details;		/* functions and states are known (clp_func keys,
				 * or sysfs) */
	bool from_sysfs;
	/* from sysfs only, -1 when unknown */
	int enabled, live;
	long order, refcnt;
};

/* Read a module file.  Returns 0, or an exit code with one line printed. */
/* A module file's .modinfo; messages name @path.  0 or an exit code. */
int pi_read_ko(struct patch_info *pi, const char *path);
/*
 * The same from @len bytes at @buf read from @path: 'clp load' and 'clp
 * install' read a file once and check and use that one copy.
 */
int pi_read_mem(struct patch_info *pi, const char *path, void *buf, size_t len);
/* Read a registered patch (or a loaded module) by name; 0 or an exit code. */
int pi_read_sysfs(struct patch_info *pi, const struct clp_env *e, const char *name);
void pi_free(struct patch_info *pi);
/* Does the patch replace functions of @obj? */
bool pi_has_object(const struct patch_info *pi, const char *obj);
/* Does the patch replace @obj:@name, or acknowledge @name for @func? */
bool pi_replaces(const struct patch_info *pi, const char *obj, const char *name);
bool pi_acknowledges(const struct patch_info *pi, const char *obj, const char *func,
		     const char *other);

/* A registered patch as /sys/kernel/clp lists it. */
struct sysfs_patch {
	char *name, *version;
	long order;
	int enabled, live;
};

/*
 * The registered patches in registration order.  Returns -1 (nothing
 * allocated) when the core is not loaded, else the count.
 */
long sysfs_patches(const struct clp_env *e, struct sysfs_patch **out);
void sysfs_patches_free(struct sysfs_patch *p, long n);
/* The live patch's name among @p (a new string), or NULL if none is live. */
char *sysfs_live_patch(const struct sysfs_patch *p, long n);
/*
 * The loaded module that registered @patch: a patch may name itself other
 * than its module (struct clp_patch.name).  Found through the address of
 * one of its replacements (new_addr, root only) in kallsyms, else a module
 * named like the patch; NULL if neither is loaded.
 */
char *sysfs_patch_module(const struct clp_env *e, const char *patch);
/* The patches the cumulative module @patch contains (<patch>/patches). */
char **sysfs_patch_contents(const struct clp_env *e, const char *patch, long *n);
/* The state of one patch from sysfs: "live", "shadowed" or "disabled". */
const char *patch_state_name(int enabled, int live);

/* One line of /sys/kernel/clp/functions. */
struct sysfs_func {
	char *obj, *func, *patch;
	unsigned long sympos;
};
long sysfs_functions(const struct clp_env *e, struct sysfs_func **out);
void sysfs_functions_free(struct sysfs_func *f, long n);

#endif
