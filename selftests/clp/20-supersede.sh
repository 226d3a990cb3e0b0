#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A patches f1,f2; AB patches f1,f3: loading AB supersedes A atomically.
# f1 = cmdline_proc_show, f2 = meminfo_proc_show, f3 = version_proc_show.
. "$(dirname "$0")/lib.sh"

orig_meminfo=$(head -n 1 /proc/meminfo)
orig_version=$(cat /proc/version)
load clp
load clp_p_a
proc_is /proc/cmdline A-cmdline
proc_is /proc/meminfo A-meminfo
expect_eq version "$(cat /proc/version)" "$orig_version"
dmesg_mark
load clp_p_ab
proc_is /proc/cmdline AB-cmdline
expect_eq "f2 back to the original" "$(head -n 1 /proc/meminfo)" "$orig_meminfo"
proc_is /proc/version AB-version
patch_state clp_p_a 0 0
patch_state clp_p_ab 1 1
expect_dmesg 'clp: clp_p_ab: supersedes clp_p_a'
expect_dmesg 'clp: clp_p_ab: enabled, live'
expect_eq "f1" "$(func_live x vmlinux cmdline_proc_show,1)" clp_p_ab
expect_eq "f2" "$(func_live x vmlinux meminfo_proc_show,1)" "(original)"
expect_eq "f3" "$(func_live x vmlinux version_proc_show,1)" clp_p_ab
[ "$(cat $SYSCLP/clp_p_ab/order)" -gt "$(cat $SYSCLP/clp_p_a/order)" ] || fail "order not increasing"
# the superseded module can go without being disabled first
unload clp_p_a
proc_is /proc/cmdline AB-cmdline
# ABC supersedes AB the same way
load clp_p_abc
proc_is /proc/cmdline ABC-cmdline
proc_is /proc/meminfo ABC-meminfo
proc_is /proc/version ABC-version
expect_file $SYSCLP/clp_p_abc/patches "cmdline
meminfo
version
getpid"
patch_state clp_p_ab 0 0
unload clp_p_ab
put $SYSCLP/clp_p_abc/enabled 0
unload clp_p_abc
unload clp
