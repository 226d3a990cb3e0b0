// SPDX-License-Identifier: GPL-2.0
/*
 * buildid.c - the running kernel's GNU build-id, and the check that a
 * patch was built for it.
 *
 * A patch built from another build of the same release would redirect
 * functions by name into code whose layout, inlining and static symbols
 * may differ: 'clp build' records the target's build-id and the core
 * refuses a patch whose build-id is not this kernel's.  The kernel's notes
 * are read from /sys/kernel/notes once, when the core loads.
 */
#define pr_fmt(fmt) "clp: " fmt

#include <linux/ctype.h>
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "core.h"

/* include/linux/buildid.h has it only on newer kernels */
#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID		3
#endif

#define CLP_NOTES_PATH		"/sys/kernel/notes"
#define CLP_NOTES_MAX		4096
#define CLP_BUILD_ID_MAX	64	/* bytes */

static char clp_build_id[2 * CLP_BUILD_ID_MAX + 1];

/* Find the NT_GNU_BUILD_ID note in @buf and store it as hex. */
static int clp_parse_notes(const u8 *buf, size_t len)
{
	size_t off = 0;

	while (off + sizeof(Elf64_Nhdr) <= len) {
		const Elf64_Nhdr *nh = (const void *)(buf + off);
		size_t name_off = off + sizeof(*nh);
		size_t desc_off = name_off + ALIGN(nh->n_namesz, 4);
		size_t next = desc_off + ALIGN(nh->n_descsz, 4);

		if (next > len || next <= off)
			break;
		if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
		    !memcmp(buf + name_off, "GNU", 4) && nh->n_descsz &&
		    nh->n_descsz <= CLP_BUILD_ID_MAX) {
			bin2hex(clp_build_id, buf + desc_off, nh->n_descsz);
			clp_build_id[2 * nh->n_descsz] = '\0';
			return 0;
		}
		off = next;
	}
	return -ENOENT;
}

/**
 * clp_buildid_init() - learn the running kernel's build-id
 *
 * Return: 0.  A kernel without a readable build-id note is not an error:
 * patches that name a build-id are then refused at registration.
 */
int clp_buildid_init(void)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t len;
	u8 *buf;

	buf = kmalloc(CLP_NOTES_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	file = filp_open(CLP_NOTES_PATH, O_RDONLY, 0);
	if (IS_ERR(file)) {
		pr_warn("cannot read %s (%ld): build-ids cannot be checked\n",
			CLP_NOTES_PATH, PTR_ERR(file));
		goto out;
	}
	len = kernel_read(file, buf, CLP_NOTES_MAX, &pos);
	fput(file);
	if (len <= 0 || clp_parse_notes(buf, len))
		pr_warn("no build-id note in %s: build-ids cannot be checked\n",
			CLP_NOTES_PATH);
	else
		pr_debug("kernel build-id %s\n", clp_build_id);
out:
	kfree(buf);
	return 0;
}

/**
 * clp_buildid_kernel() - the running kernel's build-id in hex
 *
 * Return: the build-id, or "" when unknown.
 */
const char *clp_buildid_kernel(void)
{
	return clp_build_id;
}

/**
 * clp_buildid_check() - was @patch built for this kernel?
 * @patch: the description; a NULL build_id means "not recorded"
 * @name: patch name for messages
 *
 * Return: 0, -EINVAL for a malformed build-id, -ENOEXEC when it names
 * another build (or this kernel's is unknown).
 */
int clp_buildid_check(struct clp_patch *patch, const char *name)
{
	const char *id = patch->build_id;
	size_t len, i;

	if (!id) {
		pr_debug("%s: no build-id recorded, not checked\n", name);
		return 0;
	}
	len = strlen(id);
	for (i = 0; i < len; i++)
		if (!isxdigit(id[i]))
			break;
	if (!len || i != len || len % 2 || len > 2 * CLP_BUILD_ID_MAX) {
		pr_err("%s: refused: malformed build-id '%.*s'\n", name,
		       2 * CLP_BUILD_ID_MAX, id);
		return -EINVAL;
	}
	if (!*clp_build_id) {
		pr_err("%s: refused: built for kernel build-id %s, and this kernel's build-id is unknown\n",
		       name, id);
		return -ENOEXEC;
	}
	if (strcasecmp(id, clp_build_id)) {
		pr_err("%s: refused: built for kernel build-id %s, this kernel is %s\n",
		       name, id, clp_build_id);
		return -ENOEXEC;
	}
	return 0;
}
