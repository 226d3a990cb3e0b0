/* SPDX-License-Identifier: GPL-2.0 */
/*
 * install - the directory of installed patch modules, <dir>/<kver>/NAME.ko,
 * and its index <dir>/<kver>/.order (module names, oldest install first).
 * "Newest" is the most recently installed or replaced module: installing
 * a module moves it to the end of the index, re-installing an identical
 * file changes nothing.  Modules missing from the index (copied by hand)
 * count as older than every indexed one, ordered by modification time.
 */
#ifndef CLP_INSTALL_H
#define CLP_INSTALL_H

#include <stdbool.h>
#include <stddef.h>

/* The installed module names of @kver, newest first; count, -1 if no dir. */
long installed_modules(const char *libdir, const char *kver, char ***names);
void free_names(char **names, long n);
/*
 * Drop @name from the index of <dir>/<kver> @kdir (and with @append add it
 * at the end).  EXIT_OK or EXIT_INTERNAL after a message.
 */
int update_index(const char *kdir, const char *name, bool append);

/* The kernel releases @libdir has modules for, sorted (free_names()). */
long installed_kernels(const char *libdir, char ***out);

/* clp install / uninstall of one module for @kver in @dir (exit codes). */
int install_module(const char *path, const char *kver, const char *dir);
int uninstall_module(const char *module, const char *kver, const char *dir);

#endif
