/* SPDX-License-Identifier: GPL-2.0 */
/* kernel - the few calls that change the running kernel: modules, sysfs, kmsg. */
#ifndef CLP_KERNEL_H
#define CLP_KERNEL_H

#include <stddef.h>

#include "env.h"

/*
 * Insert a module image with init_module(2): the bytes the caller read and
 * checked are the bytes the kernel gets (a file opened again could have
 * been replaced in between).  0 or errno.
 */
int kmod_insert(const void *buf, size_t len);
/* delete_module(2) with O_NONBLOCK.  0 or errno. */
int kmod_delete(const char *name);
/* Write a string to a sysfs file.  0 or errno. */
int sysfs_write(const char *path, const char *val);

/* Kernel log messages since kmsg_open(), to explain a refusal. */
struct kmsg {
	int fd;
};
void kmsg_open(struct kmsg *k, const struct clp_env *e);
/*
 * The last new line of the log that starts with "clp: <patch>: " (the
 * prefix removed) into @buf; 0 if found, -1 otherwise.  Consumes the log.
 */
int kmsg_last(struct kmsg *k, const char *patch, char *buf, size_t size);
void kmsg_close(struct kmsg *k);

/* The errno's name (EBUSY), or "E?". */
const char *errno_name(int err);

#endif
