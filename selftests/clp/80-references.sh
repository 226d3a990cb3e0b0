#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load-time references (patch modules from 'clp build'): every relocation
# type into a module and into vmlinux, an unresolvable reference refused at
# load, a module that references point into stays pinned, and a patch
# built for another kernel build is refused.  Nothing changes on refusal.
. "$(dirname "$0")/lib.sh"

orig_cmdline=$(cat /proc/cmdline)
orig_version=$(cat /proc/version)
load clp dyndbg=+p
load clp_test_target
orig_target="f1=orig-f1 f2=orig-f2 f3=orig-f3"
expect_file /proc/clp_target "$orig_target"

# PLT32, PC32, 32S and 64 into clp_test_target and vmlinux
dmesg_mark
load clp_p_refs
threads=$(cat /proc/sys/kernel/threads-max)
expect_grep /proc/clp_target "^f1=orig-f1 f2=refs helper=40 secret=42 same=1 threads=$threads procs=[1-9][0-9]* f3=orig-f3\$"
for t in PLT32 PC32 32S 64; do
	expect_dmesg "clp: clp_p_refs: R_X86_64_$t clp_target_(helper|secret)\+"
done
expect_dmesg 'clp: clp_p_refs: R_X86_64_PC32 max_threads\+'
expect_dmesg 'clp: clp_p_refs: R_X86_64_PLT32 nr_processes\+'
expect_dmesg 'clp: clp_p_refs: 2 load-time references resolved'
expect_dmesg 'clp: clp_p_refs: 4 references into module clp_test_target resolved'
put $SYSCLP/clp_p_refs/enabled 0
expect_file /proc/clp_target "$orig_target"
unload clp_p_refs

# a symbol the core cannot find refuses the patch, naming it
dmesg_mark
load_fails clp_p_badref ENOENT
expect_dmesg 'clp: clp_p_badref: refused: referenced symbol clp_target_nosuch not found in clp_test_target'
expect_missing $SYSCLP/clp_p_badref
expect_file $SYSCLP/functions ""
expect_file /proc/clp_target "$orig_target"

# the module references point into is pinned while the patch is registered
load clp_p_refpin
proc_is /proc/version "refpin secret=42"
unload_fails clp_test_target
put $SYSCLP/clp_p_refpin/enabled 0
expect_eq version "$(cat /proc/version)" "$orig_version"
unload clp_p_refpin
unload clp_test_target
# ... and must be loaded
dmesg_mark
load_fails clp_p_refpin ENOENT
expect_dmesg 'clp: clp_p_refpin: refused: reference to clp_target_secret: module clp_test_target is not loaded'
expect_eq version "$(cat /proc/version)" "$orig_version"
# ... and LIVE: a module still in its init may yet fail and be freed
clp-insmod "$(ko clp_test_late)" init_delay_ms=3000 init_ret=-22 > /tmp/late.out 2>&1 &
late=$!
i=0
while ! grep -q '^clp_test_late .* Loading' /proc/modules && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
done
grep -q '^clp_test_late .* Loading' /proc/modules || fail "clp_test_late is not coming"
dmesg_mark
load_fails clp_p_latepin ENOENT
expect_dmesg 'clp: clp_p_latepin: refused: reference to clp_late_secret: module clp_test_late is still loading'
expect_missing $SYSCLP/clp_p_latepin
wait $late
expect_grep /tmp/late.out 'EINVAL|Invalid argument'
loaded clp_test_late && fail "clp_test_late stayed although its init failed"
expect_eq version "$(cat /proc/version)" "$orig_version"
# once it is live it can be pinned
load clp_test_late
load clp_p_latepin
proc_is /proc/version "latepin secret=1234"
unload_fails clp_test_late
put $SYSCLP/clp_p_latepin/enabled 0
unload clp_p_latepin
unload clp_test_late

# built for another build of this release
dmesg_mark
load_fails clp_p_otherid ENOEXEC
expect_dmesg 'clp: clp_p_otherid: refused: built for kernel build-id 00112233445566778899aabbccddeeff00112233, this kernel is [0-9a-f]{40}$'
expect_missing $SYSCLP/clp_p_otherid
expect_eq cmdline "$(cat /proc/cmdline)" "$orig_cmdline"
# while the modules built for this kernel carry its build-id and load
load clp_p_a
proc_is /proc/cmdline A-cmdline
