// SPDX-License-Identifier: GPL-2.0
/*
 * clp-bpflicense LICENSE - load the smallest socket filter (r0 = 0; exit)
 * with LICENSE as its license and print what the kernel decided of it:
 * "gpl_compatible=1" or "gpl_compatible=0" (struct bpf_prog_info), or
 * "load: <errno name>".  bpf_prog_load() asks the header's static inline
 * license_is_gpl_compatible(), which the clp_d_header test patch changes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

int main(int argc, char **argv)
{
	struct bpf_insn prog[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpf_prog_info info;
	union bpf_attr attr;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: clp-bpflicense LICENSE\n");
		return 2;
	}
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (uintptr_t)prog;
	attr.insn_cnt = 2;
	attr.license = (uintptr_t)argv[1];
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0) {
		printf("load: %s\n", strerrorname_np(errno));
		return 1;
	}
	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr)) {
		printf("info: %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("gpl_compatible=%u\n", info.gpl_compatible);
	close(fd);
	return 0;
}
