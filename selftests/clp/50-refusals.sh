#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Descriptions the core must refuse, with a message and nothing changed;
# functions another ftrace IPMODIFY user owns; no leak afterwards.
. "$(dirname "$0")/lib.sh"

orig_version=$(cat /proc/version)
orig_cmdline=$(cat /proc/cmdline)
load clp
load clp_test_target

# refuse MODE ERRNO MESSAGE
refuse() {
	dmesg_mark
	load_fails clp_p_bad "$2" mode="$1"
	expect_dmesg "$3"
	expect_missing $SYSCLP/clp_p_bad
	expect_file $SYSCLP/functions ""
}
refuse missing ENOENT 'clp: clp_p_bad: refused: function clp_no_such_function not found in vmlinux'
refuse ambiguous ENOENT 'clp: clp_p_bad: refused: clp_target_dup is ambiguous in clp_test_target: 2 candidates, give a sympos \(1\.\.2\)'
refuse sympos3 ENOENT 'clp: clp_p_bad: refused: clp_target_dup,3 not found in clp_test_target: only 2 candidates'
refuse notrace EINVAL 'clp: clp_p_bad: refused: clp_target_notrace in clp_test_target cannot be redirected by ftrace'
refuse twice EINVAL 'clp: clp_p_bad: refused: clp_target_f2 is replaced twice'
refuse abi EINVAL 'clp: clp_p_bad: refused: built for patch ABI 99, this core speaks 2'
refuse nofuncs EINVAL 'clp: clp_p_bad: refused: no functions'
refuse reloctype EINVAL 'clp: clp_p_bad: refused: reference to max_threads uses relocation type 10, which clp does not support'
refuse relocplace EINVAL 'clp: clp_p_bad: refused: reference to max_threads is written outside the patch module'
refuse relocmissing ENOENT 'clp: clp_p_bad: refused: referenced symbol clp_no_such_symbol not found in vmlinux'
refuse relocambig ENOENT 'clp: clp_p_bad: refused: referenced symbol clp_target_dup is ambiguous in clp_test_target: 2 candidates, give a sympos \(1\.\.2\)'
refuse relocnomod ENOENT 'clp: clp_p_bad: refused: reference to clp_x: module clp_no_such_module is not loaded'
refuse badbuildid EINVAL "clp: clp_p_bad: refused: malformed build-id '12xy'"
refuse relocinit EINVAL "clp: clp_p_bad: refused: reference to max_threads is written outside the patch module's core \(non-init\) memory"
# clp_test_late is not loaded: the duplicate is caught before resolution
refuse latetwice EINVAL 'clp: clp_p_bad: refused: clp_late_fn is replaced twice in clp_test_late'
expect_no_dmesg 'sysfs: cannot create duplicate filename'
# registration comes from the patch module's init, nowhere else
load clp_p_bad mode=afterinit
dmesg_mark
put_fails /sys/module/clp_p_bad/parameters/register 1 EINVAL
expect_dmesg 'clp: clp_p_bad: refused: a patch registers from its module.s init, and module clp_p_bad is past it'
expect_missing $SYSCLP/clp_p_bad
expect_file $SYSCLP/functions ""
unload clp_p_bad
expect_file /proc/clp_target_dup "dup1=dup-1 dup2=dup-2"

# an explicit sympos picks one of the two
load clp_p_bad mode=sympos2
expect_file /proc/clp_target_dup "dup1=dup-1 dup2=patched-dup"
expect_grep $SYSCLP/functions '^clp_test_target clp_target_dup,2 clp_p_bad$'
put $SYSCLP/clp_p_bad/enabled 0
expect_file /proc/clp_target_dup "dup1=dup-1 dup2=dup-2"
unload clp_p_bad

# lists longer than a page are shown whole; only root reads /functions
load clp_p_bad mode=longlists
expect_eq "patches listed" "$(wc -l < $SYSCLP/clp_p_bad/patches)" 300
expect_eq "last patch" "$(tail -n 1 $SYSCLP/clp_p_bad/patches)" \
	fix-299-a-patch-with-a-rather-long-descriptive-name
expect_eq "states listed" "$(wc -l < $SYSCLP/clp_p_bad/states)" 300
expect_eq "last state" "$(tail -n 1 $SYSCLP/clp_p_bad/states)" "65835 1"
expect_eq "functions mode" "$(stat -c %a $SYSCLP/functions)" 400
put $SYSCLP/clp_p_bad/enabled 0
unload clp_p_bad

# a kprobe with a post_handler owns version_proc_show through IPMODIFY
load clp_test_kprobe sym=version_proc_show post=1
load clp_p_a
dmesg_mark
load_fails clp_p_ab EBUSY
expect_dmesg 'clp: clp_p_ab: refused: version_proc_show is already redirected by another ftrace user'
expect_missing $SYSCLP/clp_p_ab
patch_state clp_p_a 1 1
proc_is /proc/cmdline A-cmdline
proc_is /proc/meminfo A-meminfo
expect_eq version "$(cat /proc/version)" "$orig_version"
unload clp_test_kprobe
# without its post_handler a kprobe does not claim the function
load clp_test_kprobe sym=version_proc_show post=0
load clp_p_ab
proc_is /proc/version AB-version
put $SYSCLP/clp_p_ab/enabled 0
unload clp_p_ab
unload clp_test_kprobe

# upstream livepatch owns version_proc_show
if [ -d /sys/kernel/livepatch ]; then
	load clp_test_klp
	proc_is /proc/version klp-version
	dmesg_mark
	load_fails clp_p_ab EBUSY
	expect_dmesg 'clp: clp_p_ab: refused: version_proc_show is already redirected'
	expect_missing $SYSCLP/clp_p_ab
	proc_is /proc/version klp-version
	expect_eq cmdline "$(cat /proc/cmdline)" "$orig_cmdline"
else
	note "no CONFIG_LIVEPATCH: upstream livepatch case not run"
fi
clp_cleanup
# nothing leaked: everything was removable
loaded clp && fail "clp still loaded after cleanup"
note "ok: core removed after refusals"
