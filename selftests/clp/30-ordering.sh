#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Registration order, not enable order, decides: a re-enabled older patch
# stays shadowed; disabling the newer one falls back to it atomically.
. "$(dirname "$0")/lib.sh"

orig_version=$(cat /proc/version)
load clp
load clp_p_a
load clp_p_ab
dmesg_mark
put $SYSCLP/clp_p_a/enabled 1
expect_dmesg 'clp: clp_p_a: enabled, shadowed by the newer clp_p_ab'
patch_state clp_p_a 1 0
patch_state clp_p_ab 1 1
proc_is /proc/cmdline AB-cmdline
expect_eq "f2 stays original" "$(func_live x vmlinux meminfo_proc_show,1)" "(original)"
proc_is /proc/version AB-version

# zero-gap rollback: AB off, A (already enabled) takes over at once
dmesg_mark
put $SYSCLP/clp_p_ab/enabled 0
expect_dmesg 'clp: clp_p_ab: disabled, falling back to clp_p_a'
patch_state clp_p_a 1 1
patch_state clp_p_ab 0 0
proc_is /proc/cmdline A-cmdline
proc_is /proc/meminfo A-meminfo
expect_eq "f3 back to the original" "$(cat /proc/version)" "$orig_version"
expect_eq "f1" "$(func_live x vmlinux cmdline_proc_show,1)" clp_p_a
expect_eq "f3" "$(func_live x vmlinux version_proc_show,1)" "(original)"

# re-enabling the newest supersedes again
dmesg_mark
put $SYSCLP/clp_p_ab/enabled 1
expect_dmesg 'clp: clp_p_ab: supersedes clp_p_a'
patch_state clp_p_a 0 0
proc_is /proc/cmdline AB-cmdline

# an older patch that becomes live while not the newest does not supersede
load clp_p_abc
put $SYSCLP/clp_p_a/enabled 1
put $SYSCLP/clp_p_abc/enabled 0
proc_is /proc/cmdline A-cmdline
patch_state clp_p_a 1 1
put $SYSCLP/clp_p_ab/enabled 1
proc_is /proc/cmdline AB-cmdline
patch_state clp_p_a 1 0
