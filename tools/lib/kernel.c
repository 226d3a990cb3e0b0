// SPDX-License-Identifier: GPL-2.0
/* The calls that change the running kernel (see kernel.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel.h"
#include "util.h"

int kmod_insert(const void *buf, size_t len)
{
	return syscall(SYS_init_module, buf, len, "") ? errno : 0;
}

int kmod_delete(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? errno : 0;
}

int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = errno;
	else if ((size_t)n != strlen(val))
		err = EIO;
	if (close(fd) < 0 && !err)
		err = errno;
	return err;
}

void kmsg_open(struct kmsg *k, const struct clp_env *e)
{
	k->fd = open(e->kmsg, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd >= 0)
		lseek(k->fd, 0, SEEK_END);
}

int kmsg_last(struct kmsg *k, const char *patch, char *buf, size_t size)
{
	char rec[8192], *prefix = xasprintf("clp: %s: ", patch);
	size_t plen = strlen(prefix);
	int found = -1;
	ssize_t n;

	while (k->fd >= 0) {
		char *msg, *nl;

		n = read(k->fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		if (!strncmp(msg, prefix, plen)) {
			snprintf(buf, size, "%s", msg + plen);
			found = 0;
		}
	}
	free(prefix);
	return found;
}

void kmsg_close(struct kmsg *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

const char *errno_name(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}
