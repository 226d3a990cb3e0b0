// SPDX-License-Identifier: GPL-2.0
/*
 * clp-write [-n] FILE VALUE - write VALUE and a newline (-n: no newline) to
 * the existing FILE (no O_CREAT, no O_TRUNC: meant for sysfs and /proc) in
 * one write(2).  On failure print "clp-write: FILE: ENAME (text)"
 * and exit 1, so tests can check the exact errno (busybox's echo only
 * gives the text).  Exit 0 when the whole value was written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failed(const char *file, const char *what, int err)
{
	const char *name = strerrorname_np(err);

	printf("clp-write: %s: %s%s%s (%s)\n", file, what, *what ? ": " : "",
	       name ? name : "E?", strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	int newline = 1, fd, i = 1;
	size_t len;
	ssize_t n;
	char *buf;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		i++;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: clp-write [-n] FILE VALUE\n");
		return 2;
	}
	len = strlen(argv[i + 1]);
	buf = malloc(len + 2);
	if (!buf)
		return failed(argv[i], "malloc", errno);
	memcpy(buf, argv[i + 1], len);
	if (newline)
		buf[len++] = '\n';

	fd = open(argv[i], O_WRONLY);
	if (fd < 0)
		return failed(argv[i], "open", errno);
	n = write(fd, buf, len);
	if (n < 0)
		return failed(argv[i], "", errno);
	if ((size_t)n != len) {
		printf("clp-write: %s: short write %zd of %zu\n", argv[i], n, len);
		return 1;
	}
	if (close(fd))
		return failed(argv[i], "close", errno);
	return 0;
}
