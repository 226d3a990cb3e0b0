#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A, AB and ABC built by 'clp build' from the three-file set
# selftests/sets/abc (fix-a: cmdline, fix-b: version, fix-c: meminfo)
# supersede each other when loaded in order, and roll back from ABC to AB
# without a gap.
. "$(dirname "$0")/lib.sh"

rel=$(uname -r)
orig_meminfo=$(head -n 1 /proc/meminfo)
orig_version=$(cat /proc/version)
load clp

load clp_s_a
proc_is /proc/cmdline "fix-a in clp_s_a"
expect_eq version "$(cat /proc/version)" "$orig_version"
expect_file $SYSCLP/clp_s_a/version "$rel+fix-a"
expect_file $SYSCLP/clp_s_a/patches "fix-a"

load clp_s_ab
patch_state clp_s_a 0 0
patch_state clp_s_ab 1 1
proc_is /proc/cmdline "fix-a in clp_s_ab"
proc_is /proc/version "fix-b in clp_s_ab"
expect_file $SYSCLP/clp_s_ab/version "$rel+fix-a+fix-b"
expect_file $SYSCLP/clp_s_ab/patches "fix-a
fix-b"
# the superseded module goes without being disabled first
unload clp_s_a

load clp_s_abc
patch_state clp_s_ab 0 0
patch_state clp_s_abc 1 1
proc_is /proc/cmdline "fix-a in clp_s_abc"
proc_is /proc/version "fix-b in clp_s_abc"
proc_is /proc/meminfo "fix-c in clp_s_abc"
expect_file $SYSCLP/clp_s_abc/version "$rel+fix-a+fix-b+fix-c"
expect_file $SYSCLP/functions "vmlinux cmdline_proc_show,1 clp_s_abc
vmlinux version_proc_show,1 clp_s_abc
vmlinux meminfo_proc_show,1 clp_s_abc"

# zero-gap rollback: AB comes back shadowed, then ABC steps aside
put $SYSCLP/clp_s_ab/enabled 1
patch_state clp_s_ab 1 0
proc_is /proc/meminfo "fix-c in clp_s_abc"
put $SYSCLP/clp_s_abc/enabled 0
patch_state clp_s_abc 0 0
patch_state clp_s_ab 1 1
proc_is /proc/cmdline "fix-a in clp_s_ab"
proc_is /proc/version "fix-b in clp_s_ab"
expect_eq meminfo "$(head -n 1 /proc/meminfo)" "$orig_meminfo"
unload clp_s_abc
expect_file $SYSCLP/functions "vmlinux cmdline_proc_show,1 clp_s_ab
vmlinux version_proc_show,1 clp_s_ab"
