// SPDX-License-Identifier: GPL-2.0
/*
 * clp-rwhint FILE - make FILE immutable (FS_IOC_SETFLAGS), try
 * fcntl(F_SET_RW_HINT) on it, make it mutable again, and print
 * "F_SET_RW_HINT: ok" or "F_SET_RW_HINT: <errno name>".  The stable fix
 * "fcntl: refuse F_SET_RW_HINT on an immutable inode" turns ok into EPERM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef F_SET_RW_HINT
#define F_SET_RW_HINT		1036
#endif
#define RWH_WRITE_LIFE_SHORT	2

int main(int argc, char **argv)
{
	uint64_t hint = RWH_WRITE_LIFE_SHORT;
	int fd, flags, ret, err;

	if (argc != 2) {
		fprintf(stderr, "usage: clp-rwhint FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || ioctl(fd, FS_IOC_GETFLAGS, &flags)) {
		perror(argv[1]);
		return 2;
	}
	flags |= FS_IMMUTABLE_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags)) {
		perror("FS_IOC_SETFLAGS");
		return 2;
	}
	ret = fcntl(fd, F_SET_RW_HINT, &hint);
	err = errno;
	flags &= ~FS_IMMUTABLE_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags)) {
		perror("FS_IOC_SETFLAGS");
		return 2;
	}
	if (ret)
		printf("F_SET_RW_HINT: %s\n", strerrorname_np(err) ? strerrorname_np(err) : "?");
	else
		printf("F_SET_RW_HINT: ok\n");
	return 0;
}
