// SPDX-License-Identifier: GPL-2.0
/*
 * clp install / uninstall: keep patch modules in <dir>/<kver>/ for 'clp
 * load --all' at boot.  See install.h for the index that decides which
 * module is the newest.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "install.h"
#include "util.h"

static int mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static void install_usage(FILE *f)
{
	fprintf(f,
"Usage: clp install [-k KVER] [--dir DIR] FILE.ko\n"
"\n"
"Install a patch module for 'clp load --all' (run at boot) as\n"
"DIR/KVER/NAME.ko, written atomically, and make it the newest installed\n"
"module of KVER.  Refused when the module was built for another kernel\n"
"release (its clp_kernel).  Installing an identical file again changes\n"
"nothing.  'clp load --all' tries the newest first.\n"
"\n"
"  -k, --kver KVER  kernel release (default: the running kernel's)\n"
"  --dir DIR        install directory (default $CLP_LIB_DIR or /var/lib/clp)\n"
"\n"
"Exit status: 0 installed (or already); 1 not a clp module; 2 bad command\n"
"line; 3 built for another kernel release; 4 I/O error.\n");
}

static void uninstall_usage(FILE *f)
{
	fprintf(f,
"Usage: clp uninstall [-k KVER] [--dir DIR] NAME\n"
"\n"
"Remove the installed patch module NAME of KVER (it stays loaded if it is).\n"
"Uninstalling a module that is not installed is a notice, not an error.\n"
"\n"
"  -k, --kver KVER  kernel release (default: the running kernel's)\n"
"  --dir DIR        install directory (default $CLP_LIB_DIR or /var/lib/clp)\n"
"\n"
"Exit status: 0 removed (or not installed); 2 bad command line; 4 I/O error.\n");
}

struct inst_opts {
	const char *kver, *dir;
};

/* Shared option parsing; returns -1 to go on, else an exit code. */
static int parse(int argc, char **argv, const char *cmd, void (*usage)(FILE *),
		 struct inst_opts *o)
{
	static const struct option longopts[] = {
		{ "kver", required_argument, NULL, 'k' },
		{ "dir", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': o->kver = optarg; break;
		case 'D': o->dir = optarg; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: return bad_option(cmd, argv, c);
		}
	}
	if (optind != argc - 1) {
		err_msg("%s: give one %s; see 'clp %s --help'", cmd,
			!strcmp(cmd, "install") ? "module file" : "module name", cmd);
		return EXIT_USAGE;
	}
	if (o->kver && (!*o->kver || strchr(o->kver, '/') || o->kver[0] == '.')) {
		err_msg("%s: '%s' is not a kernel release", cmd, o->kver);
		return EXIT_USAGE;
	}
	return -1;
}

int cmd_install(int argc, char **argv)
{
	struct inst_opts o = { 0 };
	struct clp_env e;
	struct patch_info pi;
	char *kdir = NULL, *dst = NULL, *data = NULL, *old = NULL;
	size_t len, oldlen;
	int rc = parse(argc, argv, "install", install_usage, &o);

	if (rc >= 0)
		return rc;
	env_init(&e);
	o.kver = o.kver ? o.kver : e.release;
	o.dir = o.dir ? o.dir : e.libdir;
	/* read once: the bytes checked are the bytes installed */
	data = read_file(argv[optind], &len);
	if (!data) {
		err_msg("install: %s: %s", argv[optind], strerror(errno));
		return EXIT_INTERNAL;
	}
	if ((rc = pi_read_mem(&pi, argv[optind], data, len))) {
		free(data);
		return rc;
	}
	if (!pi.kernel || strcmp(pi.kernel, o.kver)) {
		err_msg("install: %s was built for kernel %s, not %s; not installed",
			argv[optind], pi.kernel ? pi.kernel : "(unknown)", o.kver);
		rc = EXIT_MISMATCH;
		goto out;
	}
	kdir = xasprintf("%s/%s", o.dir, o.kver);
	dst = xasprintf("%s/%s.ko", kdir, pi.modname);
	old = read_file(dst, &oldlen);
	if (old && oldlen == len && !memcmp(old, data, len)) {
		printf("clp: %s is already installed for %s\n", pi.modname, o.kver);
		rc = EXIT_OK;
		goto out;
	}
	if (mkdir_p(kdir) < 0) {
		err_msg("install: %s: %s", kdir, strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (write_file_atomic(dst, data, len)) {
		err_msg("install: %s: %s", dst, strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	rc = update_index(kdir, pi.modname, true);
	if (!rc)
		printf("clp: installed %s (%s) as %s\n", pi.modname,
		       pi.version ? pi.version : "?", dst);
out:
	free(kdir);
	free(dst);
	free(data);
	free(old);
	pi_free(&pi);
	return rc;
}

int cmd_uninstall(int argc, char **argv)
{
	struct inst_opts o = { 0 };
	struct clp_env e;
	char *name, *kdir, *dst;
	int rc = parse(argc, argv, "uninstall", uninstall_usage, &o);

	if (rc >= 0)
		return rc;
	if (!modname_valid(argv[optind])) {
		err_msg("uninstall: '%s' is not a module name", argv[optind]);
		return EXIT_USAGE;
	}
	env_init(&e);
	o.kver = o.kver ? o.kver : e.release;
	o.dir = o.dir ? o.dir : e.libdir;
	name = xstrdup(argv[optind]);
	modname_normalize(name);
	kdir = xasprintf("%s/%s", o.dir, o.kver);
	dst = xasprintf("%s/%s.ko", kdir, name);
	if (unlink(dst) < 0) {
		if (errno == ENOENT) {
			printf("clp: %s is not installed for %s; nothing to do\n", name, o.kver);
			rc = EXIT_OK;
		} else {
			err_msg("uninstall: %s: %s", dst, strerror(errno));
			rc = EXIT_INTERNAL;
		}
	} else {
		rc = update_index(kdir, name, false);
		if (!rc)
			printf("clp: uninstalled %s for %s\n", name, o.kver);
	}
	free(name);
	free(kdir);
	free(dst);
	return rc;
}
