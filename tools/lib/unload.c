// SPDX-License-Identifier: GPL-2.0
/*
 * Removing a patch (clp unload): disable it if needed, wait for its
 * module's references to go, remove the module.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "kernel.h"
#include "unload.h"
#include "util.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The registered patch whose module is @mod; NULL if none.  A patch may be
 * named other than its module (struct clp_patch.name).
 */
static char *patch_of_module(const struct clp_env *e, const char *mod)
{
	struct sysfs_patch *p;
	long n = sysfs_patches(e, &p), i;
	char *found = NULL;

	for (i = 0; i < n && !found; i++) {
		char *m = sysfs_patch_module(e, p[i].name);

		if (m && !strcmp(m, mod))
			found = xstrdup(p[i].name);
		free(m);
	}
	if (n >= 0)
		sysfs_patches_free(p, n);
	return found;
}

/*
 * Disable @patch (a registered patch's sysfs name, NULL if none) if it is
 * enabled, then remove its module @mod (NULL if not loaded).
 */
int unload_one(const struct clp_env *e, const char *patch, const char *mod,
	       double timeout)
{
	char *dir = NULL, *en = NULL, why[1024];
	const char *name = mod ? mod : patch;
	struct timespec pause = { 0, 100 * 1000000L };
	double deadline = now() + timeout;
	long refcnt = 0;
	int err, rc = EXIT_REJECTED;

	if (!mod || !env_module_loaded(e, mod, NULL)) {
		if (patch) {
			err_msg("%s: registered, but its module is not found (not loaded, and no replacement of it in kallsyms)",
				patch);
			return EXIT_REJECTED;
		}
		printf("clp: %s is not loaded; nothing to do\n", name);
		return EXIT_OK;
	}
	if (patch) {
		dir = xasprintf("%s/%s", e->sysfs, patch);
		en = xasprintf("%s/enabled", dir);
	}
	if (patch && read_long(dir, "enabled", 0) == 1) {
		struct kmsg k;

		kmsg_open(&k, e);
		err = sysfs_write(en, "0");
		if (err) {
			if (kmsg_last(&k, patch, why, sizeof(why)))
				snprintf(why, sizeof(why), "%s", strerror(err));
			kmsg_close(&k);
			err_msg("%s: cannot disable: %s (%s)", patch, why, errno_name(err));
			goto out;
		}
		kmsg_close(&k);
		printf("clp: %s: disabled\n", patch);
	}
	for (;;) {
		if (!env_module_loaded(e, mod, &refcnt)) {
			rc = EXIT_OK;	/* someone else removed it */
			goto done;
		}
		if (refcnt == 0) {
			err = kmod_delete(mod);
			if (!err || err == ENOENT)
				break;
			if (err != EWOULDBLOCK && err != EAGAIN && err != EBUSY) {
				err_msg("%s: cannot remove: %s (%s)", mod, strerror(err),
					errno_name(err));
				goto out;
			}
		}
		if (now() >= deadline) {
			err_msg("%s: still in use (refcount %ld) after %.0f s; not removed",
				mod, refcnt, timeout);
			goto out;
		}
		nanosleep(&pause, NULL);
	}
	rc = EXIT_OK;
done:
	if (patch && strcmp(patch, mod))
		printf("clp: unloaded %s (patch %s)\n", mod, patch);
	else
		printf("clp: unloaded %s\n", mod);
out:
	free(dir);
	free(en);
	return rc;
}

/* NAME on the command line: a registered patch's name or a module's. */
int unload_arg(const struct clp_env *e, const char *arg, double timeout)
{
	char *dir = xasprintf("%s/%s/order", e->sysfs, arg), *patch = NULL, *mod;
	struct stat st;
	int rc;

	if (stat(dir, &st) == 0) {
		patch = xstrdup(arg);
		mod = sysfs_patch_module(e, arg);
	} else {
		mod = xstrdup(arg);
		modname_normalize(mod);
		patch = patch_of_module(e, mod);
	}
	rc = unload_one(e, patch, mod, timeout);
	free(dir);
	free(patch);
	free(mod);
	return rc;
}
