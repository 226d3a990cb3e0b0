#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Enable, disable, re-enable and remove one patch; sysfs and taint.
. "$(dirname "$0")/lib.sh"

orig_cmdline=$(cat /proc/cmdline)
orig_meminfo=$(head -n 1 /proc/meminfo)
load clp
expect_file $SYSCLP/functions ""
dmesg_mark
load clp_p_a
proc_is /proc/cmdline A-cmdline
proc_is /proc/meminfo A-meminfo
patch_state clp_p_a 1 1
expect_file $SYSCLP/clp_p_a/version "$(uname -r)+cmdline+meminfo+getpid"
expect_file $SYSCLP/clp_p_a/patches "cmdline
meminfo
getpid"
expect_grep $SYSCLP/clp_p_a/order '^[0-9]+$'
expect_file $SYSCLP/clp_p_a/vmlinux/patched 1
expect_file $SYSCLP/clp_p_a/vmlinux/cmdline_proc_show,1/live 1
expect_grep $SYSCLP/clp_p_a/vmlinux/cmdline_proc_show,1/old_addr '^0xffffffff'
expect_grep $SYSCLP/clp_p_a/vmlinux/cmdline_proc_show,1/new_addr '^0xffffffff'
expect_eq "old_addr mode" "$(stat -c %a $SYSCLP/clp_p_a/vmlinux/cmdline_proc_show,1/old_addr)" 400
expect_eq "enabled mode" "$(stat -c %a $SYSCLP/clp_p_a/enabled)" 644
expect_grep $SYSCLP/functions '^vmlinux cmdline_proc_show,1 clp_p_a$'
expect_grep $SYSCLP/functions '^vmlinux meminfo_proc_show,1 clp_p_a$'
expect_dmesg 'clp: clp_p_a: enabled, live \(3 functions\)'
taint=$(cat /proc/sys/kernel/tainted)
[ $((taint & 32768)) -ne 0 ] || fail "kernel not tainted with TAINT_LIVEPATCH ($taint)"
note "ok: TAINT_LIVEPATCH set"

unload_fails clp_p_a
unload_fails clp
put $SYSCLP/clp_p_a/enabled 1
note "ok: writing the current value is a no-op"
put_fails $SYSCLP/clp_p_a/enabled maybe EINVAL

dmesg_mark
put $SYSCLP/clp_p_a/enabled 0
expect_eq cmdline "$(cat /proc/cmdline)" "$orig_cmdline"
expect_eq meminfo "$(head -n 1 /proc/meminfo)" "$orig_meminfo"
patch_state clp_p_a 0 0
expect_file $SYSCLP/clp_p_a/vmlinux/cmdline_proc_show,1/live 0
expect_grep $SYSCLP/functions '^vmlinux cmdline_proc_show,1 \(original\)$'
expect_dmesg 'clp: clp_p_a: disabled, functions revert to the original'
put $SYSCLP/clp_p_a/enabled 0

put $SYSCLP/clp_p_a/enabled 1
proc_is /proc/cmdline A-cmdline
patch_state clp_p_a 1 1
put $SYSCLP/clp_p_a/enabled 0
unload clp_p_a
expect_missing $SYSCLP/clp_p_a
expect_file $SYSCLP/functions ""
expect_eq cmdline "$(cat /proc/cmdline)" "$orig_cmdline"
unload clp
expect_missing $SYSCLP
