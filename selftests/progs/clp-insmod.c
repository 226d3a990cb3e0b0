// SPDX-License-Identifier: GPL-2.0
/*
 * clp-insmod FILE [PARAM...] - load a module with one finit_module(2) call.
 *
 * busybox insmod retries a failed load with init_module(2) (so a refused
 * module's init runs twice) and rewrites some errors into other words.
 * Tests need the one true errno: on failure this prints
 * "clp-insmod: FILE: ENAME (text)" and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len = 1;
	char *params;
	int fd, i, err;

	if (argc < 2) {
		fprintf(stderr, "usage: clp-insmod FILE [PARAM...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	params = calloc(1, len);
	if (!params)
		return 1;
	for (i = 2; i < argc; i++) {
		strcat(params, argv[i]);
		if (i + 1 < argc)
			strcat(params, " ");
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		err = errno;
		printf("clp-insmod: %s: %s (%s)\n", argv[1],
		       strerrorname_np(err) ? strerrorname_np(err) : "E?",
		       strerror(err));
		return 1;
	}
	return 0;
}
