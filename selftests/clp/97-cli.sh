#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The clp command on the running kernel: load reports the switch and is
# idempotent, a zero-gap downgrade by loading an older module again, EBUSY
# retried with the blocking task named, list and list --json, info, check
# refusing each kind of mismatch with the kernel unchanged, unload NAME and
# --all, install/uninstall, and load --all skipping a foreign module.
. "$(dirname "$0")/lib.sh"

command -v clp >/dev/null || fail "no clp in PATH"
rel=$(uname -r)
rel_re=$(echo "$rel" | sed 's/[.+]/\\&/g')
orig_cmdline=$(head -n 1 /proc/cmdline)
orig_version=$(cat /proc/version)

# no core yet: check says so
clp_run clp check "$(ko clp_s_a)"
expect_rc "check without the core" 1
expect_grep /tmp/.e "the clp core \(clp.ko\) is not loaded"
load clp

# load: checks, inserts, reports the switch; idempotent
clp_run clp check "$(ko clp_s_a)"
expect_rc "check clp_s_a" 0
clp_run clp load "$(ko clp_s_a)"
expect_rc "load clp_s_a" 0
expect_grep /tmp/.o "^clp: loaded clp_s_a \($rel_re\+fix-a\): live now \(nothing was live before\)"
proc_is /proc/cmdline "fix-a in clp_s_a"
clp_run clp load "$(ko clp_s_a)"
expect_rc "load clp_s_a again" 0
expect_grep /tmp/.o "clp_s_a is already loaded and live"
clp_run clp load "$(ko clp_s_ab)"
expect_rc "load clp_s_ab" 0
expect_grep /tmp/.o "^clp: loaded clp_s_ab \($rel_re\+fix-a\+fix-b\): live now, supersedes clp_s_a$"
patch_state clp_s_a 0 0
patch_state clp_s_ab 1 1
proc_is /proc/version "fix-b in clp_s_ab"

# list and list --json
clp_run clp list
expect_rc "list" 0
expect_grep /tmp/.o "^  [0-9]+ +clp_s_a +disabled +$rel_re\+fix-a$"
expect_grep /tmp/.o "^  [0-9]+ +clp_s_ab +live +$rel_re\+fix-a\+fix-b$"
expect_grep /tmp/.o "^  vmlinux +cmdline_proc_show,1 +clp_s_ab$"
[ "$(grep -n 'clp_s_ab ' /tmp/.o | head -1 | cut -d: -f1)" -gt "$(grep -n 'clp_s_a ' /tmp/.o | head -1 | cut -d: -f1)" ] ||
	fail "list is not in registration order"
clp_run clp list --json
expect_rc "list --json" 0
expect_grep /tmp/.o '^  "core_loaded": true,$'
# each patch object: name, order, state on consecutive lines
awk '/"name": "clp_s_ab"/ { n = NR } n && NR == n + 2 && /"state": "live"/ { ok = 1 } END { exit !ok }' /tmp/.o ||
	fail "list --json: clp_s_ab is not live"
awk '/"name": "clp_s_a"/ { n = NR } n && NR == n + 2 && /"state": "disabled"/ { ok = 1 } END { exit !ok }' /tmp/.o ||
	fail "list --json: clp_s_a is not disabled"
expect_grep /tmp/.o '"function": "version_proc_show",'
expect_grep /tmp/.o '"live_patch": "clp_s_ab"'
# balanced braces and brackets, the last line closes the object
[ "$(tr -cd '{' < /tmp/.o | wc -c)" = "$(tr -cd '}' < /tmp/.o | wc -c)" ] || fail "unbalanced {}"
[ "$(tr -cd '[' < /tmp/.o | wc -c)" = "$(tr -cd ']' < /tmp/.o | wc -c)" ] || fail "unbalanced []"
expect_eq "JSON ends with }" "$(tail -n 1 /tmp/.o)" "}"

# info on a file and on a registered patch
clp_run clp info "$(ko clp_s_ab)"
expect_rc "info FILE" 0
expect_grep /tmp/.o "^version: +$rel_re\+fix-a\+fix-b$"
expect_grep /tmp/.o "^kernel: +$rel_re$"
expect_grep /tmp/.o "^  vmlinux version_proc_show,1 flags=0 from fix-b$"
clp_run clp info clp_s_ab
expect_rc "info NAME" 0
expect_grep /tmp/.o "^state: +live"
expect_grep /tmp/.o "^  vmlinux cmdline_proc_show,1 live$"
clp_run clp info --json clp_s_a
expect_grep /tmp/.o '"state": "disabled"'

# zero-gap downgrade: load A again while AB is live; a reader never sees
# the original /proc/cmdline
rm -f /tmp/.stop
(while [ ! -e /tmp/.stop ]; do head -n 1 /proc/cmdline; done > /tmp/.seen) &
reader=$!
clp_run clp load "$(ko clp_s_a)"
touch /tmp/.stop; wait $reader
expect_rc "downgrade to clp_s_a" 0
expect_grep /tmp/.o "removed the superseded copy"
expect_grep /tmp/.o "^clp: loaded clp_s_a \($rel_re\+fix-a\): live now, supersedes clp_s_ab \(re-inserted\)$"
patch_state clp_s_a 1 1
patch_state clp_s_ab 0 0
proc_is /proc/cmdline "fix-a in clp_s_a"
expect_eq "version reverts" "$(cat /proc/version)" "$orig_version"
[ -s /tmp/.seen ] || fail "the reader read nothing"
expect_no_grep /tmp/.seen "^$orig_cmdline\$"
note "ok: $(wc -l < /tmp/.seen) reads during the downgrade, none of the original"

# check refuses each mismatch; neither check nor load changes anything
snapshot /tmp/.before
clp_run clp check "$(ko clp_p_otherid)"
expect_rc "check: other build-id" 3
expect_grep /tmp/.e "clp_p_otherid: built for kernel build-id 00112233445566778899aabbccddeeff00112233, this kernel is [0-9a-f]+$"
clp_run clp load "$(ko clp_p_otherid)"
expect_rc "load: other build-id" 3
expect_grep /tmp/.e "clp_p_otherid: not loaded: a check failed"
clp_run clp check "$(ko clp_p_otherrel)"
expect_rc "check: other release" 3
expect_grep /tmp/.e "clp_p_otherrel: built for kernel 0.0.0-clp-other, this kernel is $rel_re$"
# a module the patch replaces functions of may load later (references into
# it too); one it only references must be loaded
clp_run clp check "$(ko clp_p_badref)"
expect_rc "check: patch for a module not loaded" 0
expect_grep /tmp/.o "module clp_test_target is not loaded: its functions will be patched when it loads"
expect_grep /tmp/.o "reference clp_target_nosuch: resolved when module clp_test_target loads"
clp_run clp check "$(ko clp_p_refpin)"
expect_rc "check: reference into a module not loaded" 3
expect_grep /tmp/.e "reference clp_target_secret: module clp_test_target is not loaded"
clp_run clp load "$(ko clp_p_refpin)"
expect_rc "load: reference into a module not loaded" 3
load clp_test_target
snapshot /tmp/.before
clp_run clp check "$(ko clp_p_badref)"
expect_rc "check: unresolved reference" 3
expect_grep /tmp/.e "clp_p_badref: reference clp_target_nosuch not found in clp_test_target"
clp_run clp load "$(ko clp_p_badref)"
expect_rc "load: unresolved reference" 3
snapshot /tmp/.after
cmp -s /tmp/.before /tmp/.after || { diff /tmp/.before /tmp/.after; fail "a refused check or load changed the kernel"; }
note "ok: refused loads changed nothing"

# states: the live st2 carries 0x5ea7 v2, stn none
clp_run clp load "$(ko clp_p_st2)"
expect_rc "load clp_p_st2" 0
snapshot /tmp/.before
clp_run clp check "$(ko clp_p_stn)"
expect_rc "check: state dropped" 3
expect_grep /tmp/.e "clp_p_stn: the live patch clp_p_st2 has state 24231 \(version 2\), which this module does not carry"
clp_run clp check "$(ko clp_p_st1)"
expect_rc "check: older state" 3
expect_grep /tmp/.e "clp_p_st1: the live patch clp_p_st2 has state 24231 at version 2, this module only version 1"
snapshot /tmp/.after
cmp -s /tmp/.before /tmp/.after || fail "check changed the kernel"

# another IPMODIFY owner of version_proc_show: a kprobe with a post handler
clp_run clp unload clp_p_st2
expect_rc "unload clp_p_st2" 0
load clp_test_kprobe sym=version_proc_show post=1
clp_run clp check "$(ko clp_s_ab)"
if grep -q "tracefs is not available" /tmp/.o; then
	note "tracefs not available in this guest: IPMODIFY check not exercised"
else
	expect_rc "check: IPMODIFY owner" 3
	expect_grep /tmp/.e "clp_s_ab: function version_proc_show in vmlinux is claimed by another ftrace IPMODIFY user"
fi
unload clp_test_kprobe
clp_run clp check "$(ko clp_s_ab)"
expect_rc "check after the kprobe left" 0

# EBUSY: retried with the blocking task named
echo 1 > /sys/module/clp/parameters/switch_retries
echo 10 > /sys/module/clp/parameters/retry_delay_ms
put /proc/clp_target_ctl sleep
pid=$(pids_of clp_sleeper)
[ -n "$pid" ] || fail "no clp_sleeper task"
clp_run clp load --retries 1 --delay 50 "$(ko clp_p_t1)"
expect_rc "load while busy" 1
expect_grep /tmp/.e "^clp: clp_p_t1: busy: enable refused: task clp_sleeper:$pid is inside clp_target_sleep .*; retry 1/1 in 50 ms$"
expect_grep /tmp/.e "^clp: clp_p_t1: load failed: enable refused: task clp_sleeper:$pid is inside clp_target_sleep .* \(EBUSY\)$"
loaded clp_p_t1 && fail "clp_p_t1 loaded after a refused load"
# wake the sleeper once the core has refused the next attempt
n=$(dmesg | grep -c "clp_p_t1: enable refused")
(while [ "$(dmesg | grep -c "clp_p_t1: enable refused")" = "$n" ]; do sleep 0.1; done
 echo wake > /proc/clp_target_ctl) &
clp_run clp load --retries 50 --delay 100 "$(ko clp_p_t1)"
wait
expect_rc "load once the task left" 0
expect_grep /tmp/.e "busy: .*retry 1/50"
expect_grep /tmp/.o "^clp: loaded clp_p_t1 "
patch_state clp_p_t1 1 1

# unload: a live patch is disabled first; not loaded is a notice; --all
clp_run clp unload clp_p_t1
expect_rc "unload a live patch" 0
expect_grep /tmp/.o "clp_p_t1: disabled"
loaded clp_p_t1 && fail "clp_p_t1 still loaded"
unload clp_test_target
clp_run clp unload clp_p_t1
expect_rc "unload again" 0
expect_grep /tmp/.o "clp_p_t1 is not loaded; nothing to do"
clp_run clp load "$(ko clp_s_ab)"
expect_rc "load clp_s_ab" 0
clp_run clp load "$(ko clp_s_abc)"
expect_rc "load clp_s_abc" 0
clp_run clp unload --all
expect_rc "unload --all" 0
for m in clp_s_a clp_s_ab clp_s_abc; do loaded $m && fail "$m still loaded"; done
grep -n unloaded /tmp/.o > /tmp/.u
[ "$(head -n 1 /tmp/.u | sed 's/.*unloaded //')" = clp_s_abc ] || fail "--all did not start with the newest"
proc_is /proc/cmdline "$orig_cmdline"
expect_file $SYSCLP/functions ""

# install / uninstall, idempotent; a module of another release is refused
export CLP_LIB_DIR=/tmp/clp-lib
clp_run clp install "$(ko clp_s_a)"
expect_rc "install" 0
[ -f $CLP_LIB_DIR/$rel/clp_s_a.ko ] || fail "not installed"
clp_run clp install "$(ko clp_s_a)"
expect_rc "install again" 0
expect_grep /tmp/.o "already installed"
clp_run clp install "$(ko clp_p_otherrel)"
expect_rc "install for another release" 3
expect_missing $CLP_LIB_DIR/$rel/clp_p_otherrel.ko
clp_run clp uninstall clp_s_a
expect_rc "uninstall" 0
expect_missing $CLP_LIB_DIR/$rel/clp_s_a.ko
clp_run clp uninstall clp_s_a
expect_rc "uninstall again" 0

# load --all: the newest installed (a foreign build-id) is skipped, the
# next newest loaded, older ones not
clp install "$(ko clp_s_a)" > /dev/null || fail "install clp_s_a"
clp install "$(ko clp_s_ab)" > /dev/null || fail "install clp_s_ab"
clp install "$(ko clp_p_otherid)" > /dev/null || fail "install clp_p_otherid"
clp_run clp list
expect_grep /tmp/.o "^  $rel_re \(running\): clp_p_otherid clp_s_ab clp_s_a$"
clp_run clp load --all
expect_rc "load --all" 0
expect_grep /tmp/.o "skipping $CLP_LIB_DIR/$rel_re/clp_p_otherid.ko: it does not apply"
expect_grep /tmp/.o "^clp: loaded clp_s_ab "
patch_state clp_s_ab 1 1
loaded clp_s_a && fail "an older installed module was loaded too"
loaded clp_p_otherid && fail "the foreign module was loaded"
clp_run clp load --all
expect_rc "load --all again" 0
expect_grep /tmp/.o "already loaded and live"
clp unload --all > /dev/null || fail "unload --all"
rm -rf $CLP_LIB_DIR

# the module file is read once: loading from a pipe works
cat "$(ko clp_s_a)" | clp load /proc/self/fd/0 > /tmp/.o 2> /tmp/.e
rc=$?
sed 's/^/  out| /' /tmp/.o; sed 's/^/  err| /' /tmp/.e
expect_rc "load from a pipe" 0
expect_grep /tmp/.o "^clp: loaded clp_s_a "
patch_state clp_s_a 1 1
clp unload --all > /dev/null || fail "unload --all"

# a patch named other than its module (clp_p_named registers clp_renamed):
# unload by either name, and --all, find the module
for how in clp_renamed clp_p_named --all; do
	load clp_p_named
	[ -d $SYSCLP/clp_renamed ] || fail "no patch clp_renamed in sysfs"
	proc_is /proc/cmdline clp_p_named
	clp_run clp info clp_renamed
	expect_grep /tmp/.o "^refcnt: +[0-9]+$"
	clp_run clp unload $how
	expect_rc "unload $how" 0
	expect_grep /tmp/.o "^clp: unloaded clp_p_named \(patch clp_renamed\)$"
	loaded clp_p_named && fail "unload $how left clp_p_named loaded"
	[ -d $SYSCLP/clp_renamed ] && fail "unload $how left the patch registered"
	proc_is /proc/cmdline "$orig_cmdline"
done
