// SPDX-License-Identifier: GPL-2.0
/*
 * modsyms - a module's symbol table and the positions of its local
 * symbols (see modsyms.h for how duplicated names are placed).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "modsyms.h"
#include "util.h"

static bool exists(const char *p)
{
	return access(p, R_OK) == 0;
}

static const char *const ko_ext[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };

/* @file (a base name) is module @name's .ko, with - and _ alike. */
static bool ko_named(const char *file, const char *name)
{
	size_t i, n = strlen(name), e;

	for (i = 0; i < n; i++) {
		char a = file[i] == '-' ? '_' : file[i], b = name[i] == '-' ? '_' : name[i];

		if (!file[i] || a != b)
			return false;
	}
	for (e = 0; e < sizeof(ko_ext) / sizeof(ko_ext[0]); e++)
		if (!strcmp(file + n, ko_ext[e]))
			return true;
	return false;
}

/* The length of the common directory prefix of @a and @b. */
static size_t common_dirs(const char *a, const char *b)
{
	size_t i, last = 0;

	for (i = 0; a[i] && a[i] == b[i]; i++)
		if (a[i] == '/')
			last = i + 1;
	return last;
}

/* Under @dir (@rel below the module root): the .ko of @name nearest @near. */
static void find_named(const char *dir, const char *rel, const char *name, const char *near,
		       char **best, size_t *score)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *p, *r;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		r = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		if (de->d_type == DT_DIR) {
			find_named(p, r, name, near, best, score);
		} else if (ko_named(de->d_name, name) && (!*best || common_dirs(r, near) > *score)) {
			free(*best);
			*best = xstrdup(p);
			*score = common_dirs(r, near);
		}
		free(p);
		free(r);
	}
	closedir(d);
}

char *modsyms_find_ko(const char *cache, const char *release, const char *name,
		      const char *modfile, const char *src)
{
	char *dirs[2], *best = NULL;
	size_t d, e, score = 0;

	dirs[0] = cache ? xasprintf("%s/kernels/%s/root/lib/modules/%s/kernel", cache, release,
				    release) : NULL;
	dirs[1] = xasprintf("/lib/modules/%s/kernel", release);
	for (d = 0; d < 2 && !best; d++) {
		if (!dirs[d] || access(dirs[d], R_OK))
			continue;
		for (e = 0; modfile && e < sizeof(ko_ext) / sizeof(ko_ext[0]) && !best; e++) {
			char *p = xasprintf("%s/%s%s", dirs[d], modfile, ko_ext[e]);

			if (exists(p))
				best = p;
			else
				free(p);
		}
		if (!best)
			find_named(dirs[d], "", name, src, &best, &score);
	}
	free(dirs[0]);
	free(dirs[1]);
	return best;
}

/* The contents of @path, decompressed by @tool (NULL: read as is). */
static char *slurp(const char *path, const char *tool, size_t *lenp)
{
	size_t len = 0, cap = 1 << 20;
	char *buf;
	int fds[2], st;
	pid_t pid;
	ssize_t r;

	if (!tool)
		return read_file(path, lenp);
	if (pipe(fds))
		return NULL;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fds[1], 1);
		if (null >= 0)
			dup2(null, 2);
		close(fds[0]);
		close(fds[1]);
		execlp(tool, tool, "-dc", path, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	buf = xmalloc(cap);
	while ((r = read(fds[0], buf + len, cap - len)) > 0) {
		len += r;
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	close(fds[0]);
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) || r < 0) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	*lenp = len;
	return buf;
}

static bool init_section(const char *n)
{
	return str_starts(n, ".init") || str_starts(n, ".exit");
}

int modsyms_load(struct modsyms *m, const char *name, const char *path, char *err, size_t errlen)
{
	const char *tool = str_ends(path, ".xz") ? "xz" : str_ends(path, ".zst") ? "zstd" :
			   str_ends(path, ".gz") ? "gzip" : NULL;
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr sh, symsh;
	Elf_Data *data;
	size_t len = 0, shstrndx, i, nsyms;
	char *buf;
	Elf *elf;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	buf = slurp(path, tool, &len);
	if (!buf) {
		snprintf(err, errlen, "cannot read %s%s%s: %s", path, tool ? " with " : "",
			 tool ? tool : "", strerror(errno));
		return -1;
	}
	elf_version(EV_CURRENT);
	elf = elf_memory(buf, len);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx)) {
		snprintf(err, errlen, "%s: not an ELF module", path);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			symsh = sh;
		}
	}
	data = symscn ? elf_getdata(symscn, NULL) : NULL;
	if (!data || !symsh.sh_entsize) {
		snprintf(err, errlen, "%s has no symbol table", path);
		goto out;
	}
	nsyms = symsh.sh_size / symsh.sh_entsize;
	m->syms = xcalloc(nsyms, sizeof(*m->syms));
	for (i = 1; i < nsyms; i++) {
		GElf_Sym s;
		GElf_Shdr ts;
		Elf_Scn *t;
		const char *n, *tn;

		if (!gelf_getsym(data, i, &s) || s.st_shndx == SHN_UNDEF || s.st_shndx >= SHN_LORESERVE)
			continue;
		n = elf_strptr(elf, symsh.sh_link, s.st_name);
		t = elf_getscn(elf, s.st_shndx);
		if (!n || !*n || !t || !gelf_getshdr(t, &ts) ||
		    GELF_ST_TYPE(s.st_info) == STT_SECTION || GELF_ST_TYPE(s.st_info) == STT_FILE)
			continue;
		tn = elf_strptr(elf, shstrndx, ts.sh_name);
		m->syms[m->n++] = (struct ms_sym){
			.name = xstrdup(n),
			.local = GELF_ST_BIND(s.st_info) == STB_LOCAL,
			.text = !!(ts.sh_flags & SHF_EXECINSTR),
			.core = (ts.sh_flags & SHF_ALLOC) && !(tn && init_section(tn)),
		};
	}
	m->name = xstrdup(name);
	m->path = xstrdup(path);
	rc = 0;
out:
	if (elf)
		elf_end(elf);
	free(buf);
	if (rc)
		modsyms_free(m);
	return rc;
}

void modsyms_free(struct modsyms *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->syms[i].name);
	free(m->syms);
	free(m->name);
	free(m->path);
	memset(m, 0, sizeof(*m));
}

bool modsyms_defines_global(const struct modsyms *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!m->syms[i].local && !strcmp(m->syms[i].name, name))
			return true;
	return false;
}

size_t modsyms_count(const struct modsyms *m, const char *name, bool text)
{
	size_t i, n = 0;

	for (i = 0; i < m->n; i++)
		if ((!text || m->syms[i].text) && !strcmp(m->syms[i].name, name))
			n++;
	return n;
}

/* The index of the only symbol called @name, or -1 (none or several). */
static long unique_at(const struct modsyms *m, const char *name)
{
	long at = -1;
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->syms[i].name, name))
			continue;
		if (at >= 0)
			return -1;
		at = (long)i;
	}
	return at;
}

long modsyms_pos(const struct modsyms *m, const char *name, bool text, char **own, size_t nown,
		 char *why, size_t whylen)
{
	long lo = -1, hi = (long)m->n, rank = 0, pos = -1;
	size_t i, me, count = modsyms_count(m, name, text), hits = 0;

	if (count == 0) {
		snprintf(why, whylen, "module %s (%s) defines no symbol %s", m->name, m->path, name);
		return -1;
	}
	for (i = 0; i < m->n; i++) {
		if (strcmp(m->syms[i].name, name) || (text && !m->syms[i].text) || m->syms[i].core)
			continue;
		if (count > 1) {
			snprintf(why, whylen,
				 "module %s has %zu symbols named %s and one is in an init section: its position differs before and after the module's init",
				 m->name, count, name);
			return -1;
		}
	}
	if (count == 1)
		return 0;
	for (me = 0; me < nown; me++)
		if (!strcmp(own[me], name))
			break;
	if (me == nown) {
		snprintf(why, whylen, "%s is not a local symbol of this object", name);
		return -1;
	}
	/* the nearest unique names of this object around it, in its order */
	for (i = me; i-- > 0 && lo < 0;)
		lo = unique_at(m, own[i]);
	for (i = me + 1; i < nown && hi == (long)m->n; i++) {
		long at = unique_at(m, own[i]);

		if (at >= 0)
			hi = at;
	}
	if (lo < 0 && hi == (long)m->n) {
		snprintf(why, whylen,
			 "module %s has %zu symbols named %s, and none of this object's other local names is unique in it to tell them apart (the module's symbol table has no FILE symbols)",
			 m->name, count, name);
		return -1;
	}
	for (i = 0; i < m->n; i++) {
		if (strcmp(m->syms[i].name, name) || (text && !m->syms[i].text))
			continue;
		rank++;
		if ((long)i > lo && (long)i < hi && m->syms[i].local) {
			hits++;
			pos = rank;
		}
	}
	if (hits != 1) {
		snprintf(why, whylen,
			 "module %s has %zu symbols named %s and %zu of them lie among this object's own symbols in its symbol table (the module's symbol table has no FILE symbols)",
			 m->name, count, name, hits);
		return -1;
	}
	return pos;
}
