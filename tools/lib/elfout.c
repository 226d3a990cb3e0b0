// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a new relocatable object: see elfout.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfout.h"
#include "util.h"

size_t elfout_add_sec(struct elfout *e, const char *name, GElf_Word type, GElf_Xword flags,
		      GElf_Xword align, GElf_Xword entsize, const void *data, size_t size)
{
	struct eo_sec *s;
	size_t i = e->nsecs;

	e->secs = xrealloc(e->secs, (e->nsecs + 1) * sizeof(*e->secs));
	s = &e->secs[e->nsecs++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->type = type;
	s->flags = flags;
	s->align = align ? align : 1;
	s->entsize = entsize;
	s->size = size;
	if (type != SHT_NOBITS) {
		s->data = xmalloc(size ? size : 1);
		if (data)
			memcpy(s->data, data, size);
		else
			memset(s->data, 0, size);
	}
	s->secsym = elfout_add_sym(e, "", STB_LOCAL, STT_SECTION, i, 0, 0);
	return i;
}

size_t elfout_append(struct elfout *e, size_t sec, const void *data, size_t n)
{
	struct eo_sec *s = &e->secs[sec];
	size_t off = s->size;

	if (s->type != SHT_NOBITS) {
		s->data = xrealloc(s->data, off + n + 1);
		memcpy(s->data + off, data, n);
	}
	s->size += n;
	return off;
}

size_t elfout_add_sym(struct elfout *e, const char *name, unsigned char bind, unsigned char type,
		      size_t sec, GElf_Addr value, GElf_Xword size)
{
	struct eo_sym *y;

	e->syms = xrealloc(e->syms, (e->nsyms + 1) * sizeof(*e->syms));
	y = &e->syms[e->nsyms];
	y->name = xstrdup(name);
	y->bind = bind;
	y->type = type;
	y->sec = sec;
	y->value = value;
	y->size = size;
	return e->nsyms++;
}

size_t elfout_undef(struct elfout *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nsyms; i++)
		if (e->syms[i].sec == EO_UNDEF && !strcmp(e->syms[i].name, name))
			return i;
	return elfout_add_sym(e, name, STB_GLOBAL, STT_NOTYPE, EO_UNDEF, 0, 0);
}

void elfout_add_rela(struct elfout *e, size_t sec, uint64_t offset, unsigned int type,
		     size_t sym, int64_t addend)
{
	struct eo_sec *s = &e->secs[sec];

	s->relas = xrealloc(s->relas, (s->nrelas + 1) * sizeof(*s->relas));
	s->relas[s->nrelas++] = (struct eo_rela){ offset, type, sym, addend };
}

static size_t strtab_add(struct strbuf *sb, const char *s)
{
	size_t off = sb->len;

	if (!*s)
		return 0;
	sb_printf(sb, "%s", s);
	sb->len++;	/* keep the NUL sb_printf wrote */
	return off;
}

static Elf_Scn *new_scn(Elf *elf, GElf_Shdr *sh, void *buf, size_t size, Elf_Type t)
{
	Elf_Scn *scn = elf_newscn(elf);
	Elf_Data *d;

	if (!scn)
		return NULL;
	d = elf_newdata(scn);
	if (!d)
		return NULL;
	d->d_buf = buf;
	d->d_size = size;
	d->d_type = t;
	d->d_align = sh->sh_addralign ? sh->sh_addralign : 1;
	d->d_version = EV_CURRENT;
	if (!gelf_update_shdr(scn, sh))
		return NULL;
	return scn;
}

static Elf_Scn *new_strtab(Elf *elf, size_t name, struct strbuf *sb)
{
	GElf_Shdr sh = { .sh_name = name, .sh_type = SHT_STRTAB, .sh_addralign = 1,
			 .sh_size = sb->len };

	return new_scn(elf, &sh, sb->buf, sb->len, ELF_T_BYTE);
}

int elfout_write(const struct elfout *e, const char *path, char *err, size_t errlen)
{
	struct strbuf shstr = { 0 }, str = { 0 };
	size_t *symmap = xcalloc(e->nsyms + 1, sizeof(*symmap));
	size_t nsecs_out, i, j, n, firstglobal = 1, nrela = 0, idx;
	GElf_Sym *osyms = NULL;
	GElf_Rela **orelas = xcalloc(e->nsecs + 1, sizeof(*orelas));
	size_t *secidx = xcalloc(e->nsecs + 1, sizeof(*secidx));
	size_t *shname = xcalloc(e->nsecs + 1, sizeof(*shname));
	size_t *relaname = xcalloc(e->nsecs + 1, sizeof(*relaname));
	size_t symtab_name, strtab_name, shstrtab_name, nbufs = 0;
	void **bufs = xcalloc(e->nsecs + 2, sizeof(*bufs));
	Elf *elf = NULL;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	int fd = -1, rc = -1;

	/* section indexes: 1..nsecs the sections, then each .rela, then tables */
	for (i = 0; i < e->nsecs; i++)
		secidx[i] = i + 1;
	idx = e->nsecs + 1;
	for (i = 0; i < e->nsecs; i++)
		if (e->secs[i].nrelas)
			nrela++;
	nsecs_out = e->nsecs + 1 + nrela + 3;
	if (nsecs_out >= SHN_LORESERVE) {
		snprintf(err, errlen, "%s: too many sections", path);
		goto out;
	}

	/* symbols: null, locals, globals */
	osyms = xcalloc(e->nsyms + 1, sizeof(*osyms));
	n = 1;
	sb_printf(&str, "%c", '\0');
	for (j = 0; j < 2; j++) {
		if (j == 1)
			firstglobal = n;
		for (i = 0; i < e->nsyms; i++) {
			const struct eo_sym *y = &e->syms[i];

			if ((y->bind == STB_LOCAL) != (j == 0))
				continue;
			symmap[i] = n;
			osyms[n].st_name = strtab_add(&str, y->name);
			osyms[n].st_info = GELF_ST_INFO(y->bind, y->type);
			osyms[n].st_other = STV_DEFAULT;
			osyms[n].st_shndx = y->sec == EO_UNDEF ? SHN_UNDEF : secidx[y->sec];
			osyms[n].st_value = y->value;
			osyms[n].st_size = y->size;
			n++;
		}
	}

	for (i = 0; i < e->nsecs; i++) {
		const struct eo_sec *s = &e->secs[i];

		if (!s->nrelas)
			continue;
		orelas[i] = xcalloc(s->nrelas, sizeof(GElf_Rela));
		for (j = 0; j < s->nrelas; j++) {
			orelas[i][j].r_offset = s->relas[j].offset;
			orelas[i][j].r_info = GELF_R_INFO(symmap[s->relas[j].sym], s->relas[j].type);
			orelas[i][j].r_addend = s->relas[j].addend;
		}
	}

	sb_printf(&shstr, "%c", '\0');
	for (i = 0; i < e->nsecs; i++) {
		char *rn = xasprintf(".rela%s", e->secs[i].name);

		shname[i] = strtab_add(&shstr, e->secs[i].name);
		relaname[i] = e->secs[i].nrelas ? strtab_add(&shstr, rn) : 0;
		free(rn);
	}
	symtab_name = strtab_add(&shstr, ".symtab");
	strtab_name = strtab_add(&shstr, ".strtab");
	shstrtab_name = strtab_add(&shstr, ".shstrtab");

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!elf || !gelf_newehdr(elf, ELFCLASS64))
		goto elf_err;
	memset(&eh, 0, sizeof(eh));
	eh.e_ident[EI_MAG0] = ELFMAG0;
	eh.e_ident[EI_MAG1] = ELFMAG1;
	eh.e_ident[EI_MAG2] = ELFMAG2;
	eh.e_ident[EI_MAG3] = ELFMAG3;
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_REL;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_shentsize = sizeof(Elf64_Shdr);

	for (i = 0; i < e->nsecs; i++) {
		const struct eo_sec *s = &e->secs[i];

		memset(&sh, 0, sizeof(sh));
		sh.sh_name = shname[i];
		sh.sh_type = s->type;
		sh.sh_flags = s->flags;
		sh.sh_addralign = s->align;
		sh.sh_entsize = s->entsize;
		sh.sh_size = s->size;
		if (!new_scn(elf, &sh, s->data, s->type == SHT_NOBITS ? 0 : s->size, ELF_T_BYTE))
			goto elf_err;
		if (s->type == SHT_NOBITS) {
			/* libelf takes the size from the data for NOBITS too */
			Elf_Scn *scn = elf_getscn(elf, secidx[i]);
			Elf_Data *d = elf_getdata(scn, NULL);

			d->d_buf = NULL;
			d->d_size = s->size;
		}
	}
	for (i = 0; i < e->nsecs; i++) {
		const struct eo_sec *s = &e->secs[i];

		if (!s->nrelas)
			continue;
		memset(&sh, 0, sizeof(sh));
		sh.sh_name = relaname[i];
		sh.sh_type = SHT_RELA;
		sh.sh_flags = SHF_INFO_LINK;
		sh.sh_addralign = 8;
		sh.sh_entsize = sizeof(Elf64_Rela);
		sh.sh_link = nsecs_out - 3;	/* .symtab */
		sh.sh_info = secidx[i];
		sh.sh_size = s->nrelas * sizeof(Elf64_Rela);
		if (!new_scn(elf, &sh, NULL, 0, ELF_T_RELA))
			goto elf_err;
		{
			Elf_Data *d = elf_getdata(elf_getscn(elf, idx), NULL);

			bufs[nbufs] = xcalloc(s->nrelas, sizeof(Elf64_Rela));
			d->d_buf = bufs[nbufs++];
			d->d_size = s->nrelas * sizeof(Elf64_Rela);
			for (j = 0; j < s->nrelas; j++)
				gelf_update_rela(d, j, &orelas[i][j]);
		}
		idx++;
	}
	/* .symtab, .strtab, .shstrtab */
	memset(&sh, 0, sizeof(sh));
	sh.sh_name = symtab_name;
	sh.sh_type = SHT_SYMTAB;
	sh.sh_addralign = 8;
	sh.sh_entsize = sizeof(Elf64_Sym);
	sh.sh_link = nsecs_out - 2;	/* .strtab */
	sh.sh_info = firstglobal;
	sh.sh_size = n * sizeof(Elf64_Sym);
	if (!new_scn(elf, &sh, NULL, 0, ELF_T_SYM))
		goto elf_err;
	{
		Elf_Data *d = elf_getdata(elf_getscn(elf, idx), NULL);

		bufs[nbufs] = xcalloc(n, sizeof(Elf64_Sym));
		d->d_buf = bufs[nbufs++];
		d->d_size = n * sizeof(Elf64_Sym);
		for (j = 0; j < n; j++)
			gelf_update_sym(d, j, &osyms[j]);
	}
	idx++;
	if (!new_strtab(elf, strtab_name, &str))
		goto elf_err;
	idx++;
	if (!new_strtab(elf, shstrtab_name, &shstr))
		goto elf_err;
	eh.e_shstrndx = idx;
	if (!gelf_update_ehdr(elf, &eh))
		goto elf_err;
	if (elf_update(elf, ELF_C_WRITE) < 0)
		goto elf_err;
	rc = 0;
	goto out;
elf_err:
	snprintf(err, errlen, "%s: libelf: %s", path, elf_errmsg(-1));
out:
	if (elf)
		elf_end(elf);
	for (i = 0; i < nbufs; i++)
		free(bufs[i]);
	free(bufs);
	if (fd >= 0)
		close(fd);
	if (rc && fd >= 0)
		unlink(path);
	for (i = 0; i < e->nsecs; i++)
		free(orelas[i]);
	free(orelas);
	free(osyms);
	free(symmap);
	free(secidx);
	free(shname);
	free(relaname);
	sb_free(&str);
	sb_free(&shstr);
	return rc;
}

void elfout_free(struct elfout *e)
{
	size_t i;

	for (i = 0; i < e->nsecs; i++) {
		free(e->secs[i].name);
		free(e->secs[i].data);
		free(e->secs[i].relas);
	}
	for (i = 0; i < e->nsyms; i++)
		free(e->syms[i].name);
	free(e->secs);
	free(e->syms);
	memset(e, 0, sizeof(*e));
}
