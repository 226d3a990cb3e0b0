// SPDX-License-Identifier: GPL-2.0
/*
 * clp package: a patch module in a Debian package (see debpkg.h).  The
 * package tree is staged in a temporary directory and built by dpkg-deb,
 * whose output is renamed over the target, so the .deb is whole or absent.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "debpkg.h"
#include "exitcodes.h"
#include "patchinfo.h"
#include "util.h"

/*
 * The maintainer scripts.  @PKG@, @KVER@ and @MOD@ are replaced; the
 * package's module is /usr/lib/clp/patches/@PKG@/@MOD@.ko, and
 * /var/lib/clp/@KVER@/.package-@PKG@ names the module the package last
 * installed (the one an upgrade supersedes and unloads).  Like clp itself
 * they take the running release, /proc, /sys/kernel/clp and /var/lib/clp
 * from CLP_RELEASE, CLP_PROC, CLP_SYSFS and CLP_LIB_DIR when set (the host
 * test runs them in a temporary directory that way).
 */
static const char postinst[] =
"#!/bin/sh\n"
"# postinst of @PKG@, a clp live patch for Linux @KVER@ (made by clp package).\n"
"# On that kernel: clp check, then install for boot and load (superseding\n"
"# the package's previous module with no gap, which is then unloaded); a\n"
"# refused check fails the configuration and changes nothing.  On another\n"
"# kernel (or with clp.enable=0): installed for its next boot only.\n"
"set -e\n"
"pkg=@PKG@ kver=@KVER@ mod=@MOD@\n"
"ko=${DPKG_ROOT:-}/usr/lib/clp/patches/$pkg/$mod.ko\n"
"dir=${CLP_LIB_DIR:-/var/lib/clp}/$kver\n"
"running=${CLP_RELEASE:-$(uname -r)}\n"
"state=$dir/.package-$pkg\n"
"[ \"$1\" = configure ] || exit 0\n"
"old=$(cat \"$state\" 2>/dev/null || true)\n"
"[ \"$old\" != \"$mod\" ] || old=\n"
"now=1\n"
"if [ \"$running\" != \"$kver\" ]; then\n"
"\techo \"$pkg: for Linux $kver, running $running: installed for its next boot, not loaded\"\n"
"\tnow=0\n"
"elif grep -qw 'clp.enable=0' \"${CLP_PROC:-/proc}/cmdline\" 2>/dev/null; then\n"
"\techo \"$pkg: clp.enable=0 on the kernel command line: installed for the next boot, not loaded\"\n"
"\tnow=0\n"
"fi\n"
"if [ $now = 1 ]; then\n"
"\tmodprobe -q clp 2>/dev/null || true\n"
"\tif ! msg=$(clp check -q \"$ko\" 2>&1); then\n"
"\t\tprintf '%s\\n' \"$msg\" >&2\n"
"\t\techo \"$pkg: clp check refused $mod on this kernel; nothing was changed\" >&2\n"
"\t\texit 1\n"
"\tfi\n"
"fi\n"
"had=0 hadir=0\n"
"[ ! -f \"$dir/$mod.ko\" ] || had=1\n"
"[ ! -d \"$dir\" ] || hadir=1\n"
"clp install -k \"$kver\" \"$ko\" >/dev/null\n"
"if [ $now = 1 ]; then\n"
"\tif ! clp load \"$ko\"; then\n"
"\t\t[ $had = 1 ] || clp uninstall -k \"$kver\" \"$mod\" >/dev/null || true\n"
"\t\tif [ $hadir = 0 ]; then rm -f \"$dir/.order\"; rmdir \"$dir\" 2>/dev/null || true; fi\n"
"\t\techo \"$pkg: loading $mod failed; nothing was changed\" >&2\n"
"\t\texit 1\n"
"\tfi\n"
"\tif [ -n \"$old\" ]; then\n"
"\t\tclp unload \"$old\" || echo \"$pkg: $old (superseded) stays loaded\" >&2\n"
"\tfi\n"
"fi\n"
"[ -z \"$old\" ] || clp uninstall -k \"$kver\" \"$old\" >/dev/null\n"
"echo \"$mod\" > \"$state\"\n"
"exit 0\n";

static const char prerm[] =
"#!/bin/sh\n"
"# prerm of @PKG@ (clp package): on removal, unload the module (its\n"
"# functions revert) and uninstall it.  An upgrade keeps it live: the new\n"
"# version's postinst supersedes it with no gap.\n"
"set -e\n"
"pkg=@PKG@ kver=@KVER@\n"
"state=${CLP_LIB_DIR:-/var/lib/clp}/$kver/.package-$pkg\n"
"[ \"$1\" = remove ] || exit 0\n"
"mod=$(cat \"$state\" 2>/dev/null || echo @MOD@)\n"
"if [ \"${CLP_RELEASE:-$(uname -r)}\" = \"$kver\" ] && [ -d \"${CLP_SYSFS:-/sys/kernel/clp}\" ]; then\n"
"\tif ! clp unload \"$mod\"; then\n"
"\t\techo \"$pkg: cannot unload $mod; the package stays installed\" >&2\n"
"\t\texit 1\n"
"\tfi\n"
"fi\n"
"clp uninstall -k \"$kver\" \"$mod\" >/dev/null\n"
"rm -f \"$state\"\n"
"exit 0\n";

static const char postrm[] =
"#!/bin/sh\n"
"# postrm of @PKG@ (clp package): purge removes what the package left in\n"
"# /var/lib/clp (the directory of its kernel when no module is left in it).\n"
"set -e\n"
"pkg=@PKG@ kver=@KVER@\n"
"dir=${CLP_LIB_DIR:-/var/lib/clp}/$kver\n"
"[ \"$1\" = purge ] || exit 0\n"
"rm -f \"$dir/.package-$pkg\"\n"
"if [ -d \"$dir\" ] && ! ls \"$dir\"/*.ko >/dev/null 2>&1 &&\n"
"   ! ls \"$dir\"/.package-* >/dev/null 2>&1; then\n"
"\trm -f \"$dir/.order\"\n"
"\trmdir \"$dir\" 2>/dev/null || true\n"
"fi\n"
"exit 0\n";

bool debpkg_name_valid(const char *s)
{
	const char *p;

	if (strlen(s) < 2 || !(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
		return false;
	for (p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && !strchr("+-.", *p))
			return false;
	return true;
}

/* A native version (no revision, so no '-'), starting with a digit. */
bool debpkg_version_valid(const char *s)
{
	const char *p;

	if (!isdigit((unsigned char)*s))
		return false;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".+~", *p))
			return false;
	return true;
}

static char *subst(const char *tmpl, const char *pkg, const char *kver, const char *mod)
{
	struct strbuf sb = { 0 };
	const char *p = tmpl;

	while (*p) {
		if (str_starts(p, "@PKG@")) {
			sb_printf(&sb, "%s", pkg);
			p += 5;
		} else if (str_starts(p, "@KVER@")) {
			sb_printf(&sb, "%s", kver);
			p += 6;
		} else if (str_starts(p, "@MOD@")) {
			sb_printf(&sb, "%s", mod);
			p += 5;
		} else {
			sb_printf(&sb, "%c", *p++);
		}
	}
	return sb.buf;
}

static int put(const char *path, const char *data, size_t len, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) || chmod(path, mode)) {
		err_msg("package: %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(p);
}

static int run_dpkg_deb(const char *root, const char *out)
{
	pid_t pid = fork();
	int status;

	if (pid < 0) {
		err_msg("package: fork: %s", strerror(errno));
		return EXIT_INTERNAL;
	}
	if (pid == 0) {
		/* its "building package" line would go to our stdout */
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execlp("dpkg-deb", "dpkg-deb", "--root-owner-group", "-Zxz", "--build",
		       root, out, (char *)NULL);
		fprintf(stderr, "clp: package: dpkg-deb: %s\n", strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		err_msg("package: dpkg-deb failed%s",
			WIFEXITED(status) && WEXITSTATUS(status) == 127 ?
			" (not found: install dpkg)" : "");
		return EXIT_INTERNAL;
	}
	return EXIT_OK;
}

/* Description: one synopsis line, then the patches and the module */
static char *description(const struct patch_info *pi)
{
	struct strbuf sb = { 0 };
	size_t i;

	sb_printf(&sb, "clp live patch for Linux %s\n", pi->kernel);
	sb_printf(&sb, " Cumulative live-patch module %s (%s) for Linux %s,\n",
		  pi->modname, pi->version ? pi->version : "?", pi->kernel);
	sb_printf(&sb, " made by 'clp package'.  Patches:");
	for (i = 0; i < pi->npatches; i++)
		sb_printf(&sb, "%s %s", i ? "," : "", pi->patches[i]);
	sb_printf(&sb, "%s\n", pi->npatches ? "." : " none.");
	sb_printf(&sb, " .\n Installed on a machine running that kernel it is checked with\n"
		  " 'clp check' and loaded; on any other kernel it is installed for that\n"
		  " kernel's next boot.  Removing it unloads the patch.\n");
	return sb.buf;
}

int debpkg_write(const struct debpkg_opts *o)
{
	struct patch_info pi = { 0 };
	char *name = NULL, *version = NULL, *out = NULL, *tmp = NULL, *p = NULL;
	char *data = NULL, *desc = NULL, *tmpl = NULL, *s;
	size_t len;
	int rc, i;
	static const struct { const char *file, *text; } scripts[] = {
		{ "postinst", postinst }, { "prerm", prerm }, { "postrm", postrm },
	};

	rc = pi_read_ko(&pi, o->module);
	if (rc)
		goto out;
	if (!pi.is_clp || !pi.kernel || !pi.modname) {
		err_msg("package: %s is not a clp patch module (no clp_version/clp_kernel)",
			o->module);
		rc = EXIT_REJECTED;
		goto out;
	}
	name = o->name ? xstrdup(o->name) : xasprintf("clp-patch-%s", pi.kernel);
	if (!debpkg_name_valid(name)) {
		err_msg("package: '%s' is not a Debian package name (lower case letters, "
			"digits, '+', '-', '.'); give one with --name", name);
		rc = EXIT_USAGE;
		goto out;
	}
	version = o->version ? xstrdup(o->version) : xasprintf("%zu", pi.npatches);
	if (!debpkg_version_valid(version)) {
		err_msg("package: '%s' is not a package version (a digit first, then letters, "
			"digits, '.', '+', '~')", version);
		rc = EXIT_USAGE;
		goto out;
	}
	out = o->output ? xstrdup(o->output) : xasprintf("%s_%s_amd64.deb", name, version);

	data = read_file(o->module, &len);
	if (!data) {
		err_msg("package: %s: %s", o->module, strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	s = getenv("TMPDIR");
	tmp = xasprintf("%s/clp-package.XXXXXX", s && *s ? s : "/tmp");
	if (!mkdtemp(tmp) || chmod(tmp, 0755)) {
		err_msg("package: %s: %s", tmp, strerror(errno));
		free(tmp);
		tmp = NULL;
		rc = EXIT_INTERNAL;
		goto out;
	}
	rc = EXIT_INTERNAL;
	p = xasprintf("%s/DEBIAN", tmp);
	if (mkdir(p, 0755)) {
		err_msg("package: %s: %s", p, strerror(errno));
		goto out;
	}
	free(p);
	p = xasprintf("%s/usr/lib/clp/patches/%s", tmp, name);
	for (s = p + strlen(tmp) + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	if (mkdir(p, 0755)) {
		err_msg("package: %s: %s", p, strerror(errno));
		goto out;
	}
	free(p);
	p = xasprintf("%s/usr/lib/clp/patches/%s/%s.ko", tmp, name, pi.modname);
	if (put(p, data, len, 0644))
		goto out;
	free(p);

	desc = description(&pi);
	tmpl = xasprintf("Package: %s\nVersion: %s\nArchitecture: amd64\n"
			 "Maintainer: %s\nDepends: clp, kmod\nRecommends: clp-dkms\n"
			 "Section: kernel\nPriority: optional\nDescription: %s",
			 name, version, o->maintainer ? o->maintainer :
			 "clp package <root@localhost>", desc);
	p = xasprintf("%s/DEBIAN/control", tmp);
	if (put(p, tmpl, strlen(tmpl), 0644))
		goto out;
	for (i = 0; i < 3; i++) {
		free(p);
		free(tmpl);
		p = xasprintf("%s/DEBIAN/%s", tmp, scripts[i].file);
		tmpl = subst(scripts[i].text, name, pi.kernel, pi.modname);
		if (put(p, tmpl, strlen(tmpl), 0755))
			goto out;
	}
	free(p);
	p = xasprintf("%s.tmp%ld", out, (long)getpid());
	rc = run_dpkg_deb(tmp, p);
	if (rc == EXIT_OK && rename(p, out)) {
		err_msg("package: %s: %s", out, strerror(errno));
		rc = EXIT_INTERNAL;
	}
	if (rc)
		unlink(p);
	else
		printf("%s: %s %s for Linux %s (module %s)\n", out, name, version, pi.kernel,
		       pi.modname);
out:
	if (tmp)
		nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp);
	free(p);
	free(tmpl);
	free(desc);
	free(data);
	free(out);
	free(version);
	free(name);
	pi_free(&pi);
	return rc;
}
