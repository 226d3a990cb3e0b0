// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a patch module (clp load): check it against the running kernel,
 * insert it and report the switch.  A stale copy of the same module
 * (superseded, still loaded) is removed and inserted again, so that it
 * becomes the newest: a zero-gap downgrade, since the newer patch stays
 * live until the re-inserted one supersedes it.  load_all() loads what is
 * installed for the running kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "cli.h"
#include "install.h"
#include "kernel.h"
#include "load.h"
#include "util.h"

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static char *live_patch(const struct clp_env *e)
{
	struct sysfs_patch *p;
	long n = sysfs_patches(e, &p);
	char *live = n >= 0 ? sysfs_live_patch(p, n) : NULL;

	if (n >= 0)
		sysfs_patches_free(p, n);
	return live;
}

/* Insert, retrying EBUSY; prints the kernel's reason on failure. */
static int insert(const struct clp_env *e, const void *image, size_t len, const char *name,
		  const struct load_opts *o)
{
	char why[1024];
	int attempt, err;

	for (attempt = 0;; attempt++) {
		struct kmsg k;

		kmsg_open(&k, e);
		err = kmod_insert(image, len);
		if (!err) {
			kmsg_close(&k);
			return EXIT_OK;
		}
		if (kmsg_last(&k, name, why, sizeof(why)))
			snprintf(why, sizeof(why), "%s", strerror(err));
		kmsg_close(&k);
		if (err == EBUSY && attempt < o->retries && strstr(why, "task ")) {
			fprintf(stderr, "clp: %s: busy: %s; retry %d/%d in %u ms\n", name, why,
				attempt + 1, o->retries, o->delay_ms);
			sleep_ms(o->delay_ms);
			continue;
		}
		err_msg("%s: load failed: %s (%s)", name, why, errno_name(err));
		return EXIT_REJECTED;
	}
}

/* Make room for a re-insert of @name: disable it if enabled, remove it. */
static int remove_stale(const struct clp_env *e, const char *name)
{
	char *en = xasprintf("%s/%s/enabled", e->sysfs, name);
	char *dir = xasprintf("%s/%s", e->sysfs, name);
	int err = 0;

	if (read_long(dir, "enabled", 0) == 1 && read_long(dir, "live", 0) != 1)
		err = sysfs_write(en, "0");	/* shadowed: no switch */
	free(en);
	free(dir);
	if (err) {
		err_msg("%s: cannot disable the stale copy: %s", name, strerror(err));
		return EXIT_REJECTED;
	}
	err = kmod_delete(name);
	if (err) {
		err_msg("%s: cannot remove the stale copy for a re-insert: %s (%s)", name,
			strerror(err), errno_name(err));
		return EXIT_REJECTED;
	}
	printf("clp: %s: removed the superseded copy to insert it again\n", name);
	return EXIT_OK;
}

/*
 * Check and insert the module image @image (@len bytes read from @path,
 * once: what is checked is what is inserted).
 */
static int load_image(const struct clp_env *e, const char *path, void *image, size_t len,
		      const struct load_opts *o)
{
	struct patch_info pi;
	struct check_opts co = { 0 };
	char *before = NULL, *after = NULL, *dir = NULL, *ver = NULL;
	bool loaded;
	int rc;

	if ((rc = pi_read_mem(&pi, path, image, len)))
		return rc;
	loaded = env_module_loaded(e, pi.modname, NULL);
	before = live_patch(e);
	if (loaded && before && !strcmp(before, pi.modname)) {
		dir = xasprintf("%s/%s", e->sysfs, pi.modname);
		ver = read_value(dir, "version");
		if (ver && pi.version && !strcmp(ver, pi.version)) {
			printf("clp: %s is already loaded and live (%s); nothing to do\n",
			       pi.modname, ver);
			rc = EXIT_OK;
		} else {
			err_msg("%s: a different module of that name is live (%s); unload it first",
				pi.modname, ver ? ver : "?");
			rc = EXIT_REJECTED;
		}
		goto out;
	}
	co.reload = loaded;
	if (!o->skip_check && (rc = check_module(e, &pi, pi.modname, &co))) {
		err_msg("%s: not loaded: a check failed", pi.modname);
		goto out;
	}
	if (loaded && (rc = remove_stale(e, pi.modname)))
		goto out;
	if ((rc = insert(e, image, len, pi.modname, o)))
		goto out;
	after = live_patch(e);
	dir = xasprintf("%s/%s", e->sysfs, pi.modname);
	ver = read_value(dir, "version");
	if (after && !strcmp(after, pi.modname))
		printf("clp: loaded %s (%s): live now%s%s%s\n", pi.modname, ver ? ver : "?",
		       before ? ", supersedes " : " (nothing was live before)",
		       before ? before : "", loaded ? " (re-inserted)" : "");
	else
		printf("clp: loaded %s (%s); the live patch is %s\n", pi.modname,
		       ver ? ver : "?", after ? after : "none");
out:
	free(before);
	free(after);
	free(dir);
	free(ver);
	pi_free(&pi);
	return rc;
}

int load_module(const struct clp_env *e, const char *path, const struct load_opts *o)
{
	size_t len;
	char *image = read_file(path, &len);
	int rc;

	if (!image) {
		err_msg("%s: %s", path, strerror(errno));
		return EXIT_REJECTED;
	}
	rc = load_image(e, path, image, len, o);
	free(image);
	return rc;
}

int load_all(const struct clp_env *e, const char *libdir, const char *kver,
	     const struct load_opts *o)
{
	char **names;
	long n = installed_modules(libdir, kver, &names), i;
	int rc = EXIT_OK;
	bool tried = false;

	if (n <= 0) {
		printf("clp: nothing installed for %s in %s\n", kver, libdir);
		if (n > 0)
			free_names(names, n);
		return EXIT_OK;
	}
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s/%s.ko", libdir, kver, names[i]);
		struct patch_info pi;
		struct check_opts co = { 0 };
		struct load_opts lo = *o;
		size_t len;
		char *image = read_file(path, &len);
		int r;

		if (!image || pi_read_mem(&pi, path, image, len)) {
			printf("clp: skipping %s: unreadable\n", path);
			free(image);
			free(path);
			continue;
		}
		co.reload = env_module_loaded(e, pi.modname, NULL);
		r = check_module(e, &pi, pi.modname, &co);
		pi_free(&pi);
		if (r) {
			printf("clp: skipping %s: it does not apply to this kernel\n", path);
			free(image);
			free(path);
			continue;
		}
		lo.skip_check = true;	/* checked this very image */
		tried = true;
		rc = load_image(e, path, image, len, &lo);
		free(image);
		free(path);
		if (!rc)
			break;
		printf("clp: %s failed to load; trying the next newest\n", names[i]);
	}
	if (!tried)
		printf("clp: no installed module applies to this kernel\n");
	free_names(names, n);
	return rc;
}
