#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A weak kernel function (kallsyms type W) is patched like any other:
# vma_mmu_pagesize(), shown as MMUPageSize in /proc/PID/smaps.
. "$(dirname "$0")/lib.sh"

mmu() { awk '/^MMUPageSize:/ { print $2; exit }' /proc/self/smaps; }

grep -q ' W vma_mmu_pagesize$' /proc/kallsyms || fail "vma_mmu_pagesize is not weak here"
expect_eq "MMUPageSize" "$(mmu)" 4
load clp
out=$(clp check "$(ko clp_p_weak)" 2>&1) || fail "clp check clp_p_weak: $out"
note "ok: clp check accepts a weak function"
load clp_p_weak
patch_state clp_p_weak 1 1
expect_eq "MMUPageSize patched" "$(mmu)" 8
expect_grep $SYSCLP/functions '^vmlinux vma_mmu_pagesize,1 clp_p_weak$'
put $SYSCLP/clp_p_weak/enabled 0
expect_eq "MMUPageSize reverted" "$(mmu)" 4
unload clp_p_weak
