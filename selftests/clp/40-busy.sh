#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A task sleeping inside a function whose live version would change blocks
# enable, disable and supersede with EBUSY (nothing changed); after it
# leaves, each succeeds.  A function exempt from the check never blocks.
. "$(dirname "$0")/lib.sh"

load clp
echo 2 > /sys/module/clp/parameters/switch_retries
echo 20 > /sys/module/clp/parameters/retry_delay_ms
load clp_test_target
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=orig-f3"

# a task asleep in the cold part of a function ("<name>.cold", where GCC
# puts unlikely code) is inside that function
expect_file /proc/clp_target_cold "cold=0"
if grep -q ' clp_target_cold\.cold.*\[clp_test_target\]' /proc/kallsyms; then
	put /proc/clp_target_ctl coldsleep
	pid=$(pids_of clp_sleeper)
	dmesg_mark
	load_fails clp_p_cold EBUSY
	expect_dmesg "clp: clp_p_cold: enable refused: task clp_sleeper:$pid is inside clp_target_cold \(3 attempts\)"
	expect_missing $SYSCLP/clp_p_cold
	expect_file /proc/clp_target_cold "cold=0"
	put /proc/clp_target_ctl wake
	load clp_p_cold
	expect_file /proc/clp_target_cold "cold=7"
	put $SYSCLP/clp_p_cold/enabled 0
	unload clp_p_cold
	expect_file /proc/clp_target_cold "cold=0"
else
	note "this kernel's build makes no .cold parts (6.12 builds without them)"
fi

# enable: the sleeper is inside the original clp_target_sleep
put /proc/clp_target_ctl sleep
pid=$(pids_of clp_sleeper)
[ -n "$pid" ] || fail "no clp_sleeper task"
dmesg_mark
load_fails clp_p_t1 EBUSY
expect_dmesg "clp: clp_p_t1: enable refused: task clp_sleeper:$pid is inside clp_target_sleep \(3 attempts\)"
expect_missing $SYSCLP/clp_p_t1
expect_file $SYSCLP/functions ""
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=orig-f3"
put /proc/clp_target_ctl wake
load clp_p_t1
expect_file /proc/clp_target "f1=t1-f1 f2=orig-f2 f3=orig-f3"

# disable: the sleeper is inside t1's version
put /proc/clp_target_ctl sleep
pid=$(pids_of clp_sleeper)
dmesg_mark
put_fails $SYSCLP/clp_p_t1/enabled 0 EBUSY
expect_dmesg "clp: clp_p_t1: disable refused: task clp_sleeper:$pid is inside clp_target_sleep"
patch_state clp_p_t1 1 1
expect_file /proc/clp_target "f1=t1-f1 f2=orig-f2 f3=orig-f3"
put /proc/clp_target_ctl wake
put $SYSCLP/clp_p_t1/enabled 0
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=orig-f3"

# supersede: t1 live with a sleeper in its version; t2 must wait
put $SYSCLP/clp_p_t1/enabled 1
put /proc/clp_target_ctl sleep
pid=$(pids_of clp_sleeper)
dmesg_mark
load_fails clp_p_t2 EBUSY
expect_dmesg "clp: clp_p_t2: enable refused: task clp_sleeper:$pid is inside clp_target_sleep"
expect_missing $SYSCLP/clp_p_t2
patch_state clp_p_t1 1 1
expect_file /proc/clp_target "f1=t1-f1 f2=orig-f2 f3=orig-f3"
put /proc/clp_target_ctl wake
load clp_p_t2
expect_file /proc/clp_target "f1=t2-f1 f2=orig-f2 f3=t2-f3"
patch_state clp_p_t1 0 0
# the target module is not pinned: it goes while patched and comes back
# patched by the live patch (t1, superseded, stays below t2)
unload clp_test_target
expect_file $SYSCLP/functions ""
expect_file $SYSCLP/clp_p_t2/clp_test_target/patched 0
load clp_test_target
expect_file /proc/clp_target "f1=t2-f1 f2=orig-f2 f3=t2-f3"
expect_file $SYSCLP/clp_p_t2/clp_test_target/patched 1
unload clp_p_t1
put $SYSCLP/clp_p_t2/enabled 0
unload clp_p_t2

# a function exempt from the check (CLP_FUNC_FULL(..., NOCHECK)) does not
# block: the sleeper stays in the original while the patch goes live, and
# inside the patch's version while it is disabled
put /proc/clp_target_ctl sleep
load clp_p_nocheck
expect_file /proc/clp_target "f1=nocheck-f1 f2=orig-f2 f3=orig-f3"
expect_file $SYSCLP/clp_p_nocheck/clp_test_target/clp_target_sleep,1/live 1
put /proc/clp_target_ctl wake
put /proc/clp_target_ctl sleep
put $SYSCLP/clp_p_nocheck/enabled 0
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=orig-f3"
put /proc/clp_target_ctl wake
unload clp_p_nocheck
unload clp_test_target
unload clp
