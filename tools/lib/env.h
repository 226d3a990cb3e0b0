/* SPDX-License-Identifier: GPL-2.0 */
/*
 * env - where the clp commands find the running kernel.  Every root can be
 * moved by an environment variable so that host tests run the commands
 * against fake trees (Documentation/man/clp.rst, ENVIRONMENT).
 */
#ifndef CLP_ENV_H
#define CLP_ENV_H

#include <stdbool.h>
#include <stddef.h>

struct clp_env {
	const char *sysfs;	/* CLP_SYSFS: /sys/kernel/clp */
	const char *proc;	/* CLP_PROC: /proc (kallsyms, modules) */
	const char *sysmod;	/* CLP_SYS_MODULE: /sys/module */
	const char *notes;	/* CLP_KERNEL_NOTES: /sys/kernel/notes */
	const char *tracefs;	/* CLP_TRACEFS: NULL = /sys/kernel/tracing */
	const char *libdir;	/* CLP_LIB_DIR: /var/lib/clp */
	const char *kmsg;	/* CLP_KMSG: /dev/kmsg */
	char release[128];	/* CLP_RELEASE, else uname -r */
	bool fake;		/* some root was moved: touch no real kernel state */
};

void env_init(struct clp_env *e);
/* "<root>/<rest>" in a new string. */
char *env_path(const char *root, const char *rest);

/* The hex GNU build-id in an ELF note blob (/sys/kernel/notes); NULL if none. */
char *notes_build_id(const char *buf, size_t len);
/* The running kernel's build-id (e->notes); NULL if unknown. */
char *env_build_id(const struct clp_env *e);

/* Whether module @name is in <proc>/modules (refcount in *refcnt, may be NULL). */
bool env_module_loaded(const struct clp_env *e, const char *name, long *refcnt);

/* A module name as the kernel spells it ('-' becomes '_'), in place. */
void modname_normalize(char *name);
/* A valid module name: letters, digits, '_' and '-', at most 55. */
bool modname_valid(const char *name);

/* Read a small sysfs-style file, the trailing newline removed; NULL if absent. */
char *read_value(const char *dir, const char *file);
/* read_value() as a long; @def if absent or not a number. */
long read_long(const char *dir, const char *file, long def);

#endif
