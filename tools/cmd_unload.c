// SPDX-License-Identifier: GPL-2.0
/*
 * clp unload: disable a patch if needed, wait for its module's references
 * to go, remove the module.  --all removes every registered patch, newest
 * first.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "kernel.h"
#include "util.h"

#define DEFAULT_TIMEOUT 10

static void usage(FILE *f)
{
	fprintf(f,
"Usage: clp unload [-t S] NAME...\n"
"       clp unload [-t S] --all\n"
"\n"
"Disable the patch NAME if it is enabled (a live patch falls back to the\n"
"newest enabled older patch or to the original), wait until its module is\n"
"no longer in use, and remove it.  NAME is a patch as 'clp list' shows it or\n"
"its module's name (they differ when the module names the patch itself).\n"
"A module that is not loaded is a notice, not an error.  --all removes\n"
"every registered patch, newest first.\n"
"\n"
"  -t, --timeout S  how long to wait for the module to become unused\n"
"                   (default %d seconds)\n"
"  --all            every registered patch\n"
"\n"
"Exit status: 0 removed (or not loaded); 1 disabling or removing failed (the\n"
"kernel's reason is printed); 2 bad command line.\n", DEFAULT_TIMEOUT);
}

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
static int unload_one(const struct clp_env *e, const char *patch, const char *mod,
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
static int unload_arg(const struct clp_env *e, const char *arg, double timeout)
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

int cmd_unload(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct clp_env e;
	double timeout = DEFAULT_TIMEOUT;
	bool all = false;
	char *end;
	int c, rc = EXIT_OK, i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			timeout = strtod(optarg, &end);
			if (*end || end == optarg || timeout < 0 || timeout > 86400) {
				err_msg("unload: --timeout %s: not a number of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'a': all = true; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option("unload", argv, c);
		}
	}
	if (all ? optind != argc : optind >= argc) {
		err_msg("unload: give patch names or --all; see 'clp unload --help'");
		return EXIT_USAGE;
	}
	for (i = optind; i < argc; i++)
		if (!modname_valid(argv[i])) {
			err_msg("unload: '%s' is not a module name", argv[i]);
			return EXIT_USAGE;
		}
	env_init(&e);
	if (e.fake) {
		err_msg("unload: CLP_SYSFS/CLP_PROC/... are set: refusing to change the running kernel");
		return EXIT_REJECTED;
	}
	if (all) {
		struct sysfs_patch *p;
		long n = sysfs_patches(&e, &p), k;

		if (n < 0) {
			printf("clp: the clp core is not loaded; nothing to do\n");
			return EXIT_OK;
		}
		if (n == 0)
			printf("clp: no patch is registered\n");
		/* by sysfs name, which need not be the module's */
		for (k = n - 1; k >= 0; k--) {
			char *mod = sysfs_patch_module(&e, p[k].name);

			if (unload_one(&e, p[k].name, mod, timeout))
				rc = EXIT_REJECTED;
			free(mod);
		}
		sysfs_patches_free(p, n);
		return rc;
	}
	for (i = optind; i < argc; i++)
		if (unload_arg(&e, argv[i], timeout))
			rc = EXIT_REJECTED;
	return rc;
}
