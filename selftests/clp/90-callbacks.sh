#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Per-object callbacks (patch modules from 'clp build' with CLP_PRE_PATCH()
# and friends, for vmlinux and clp_test_target): their order on enable,
# disable, supersede (the outgoing patch runs none), rollback, a failing
# pre_patch and a switch refused as busy (nothing changed, post_unpatch for
# what was prepared).
. "$(dirname "$0")/lib.sh"

# expect_callbacks LINE... - the callback lines logged since the mark
expect_callbacks() {
	got=$(dmesg_since | sed -n 's/^\[[^]]*\] //; /^clp_p_cb[12]: \(pre\|post\)_\(un\)\{0,1\}patch /p' | tr '\n' ';')
	want=$([ $# = 0 ] || printf '%s;' "$@")
	expect_eq "callbacks" "$got" "$want"
}

load clp
echo 1 > /sys/module/clp/parameters/switch_retries
load clp_test_target

dmesg_mark
load clp_p_cb1
expect_callbacks "clp_p_cb1: pre_patch vmlinux" "clp_p_cb1: pre_patch clp_test_target" \
	"clp_p_cb1: post_patch vmlinux" "clp_p_cb1: post_patch clp_test_target"
expect_file /proc/clp_target "f1=cb1-f1 f2=orig-f2 f3=orig-f3"

dmesg_mark
put $SYSCLP/clp_p_cb1/enabled 0
expect_callbacks "clp_p_cb1: pre_unpatch vmlinux" "clp_p_cb1: pre_unpatch clp_test_target" \
	"clp_p_cb1: post_unpatch vmlinux" "clp_p_cb1: post_unpatch clp_test_target"
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=orig-f3"
put $SYSCLP/clp_p_cb1/enabled 1

# supersede: only the incoming patch's callbacks
dmesg_mark
load clp_p_cb2
expect_callbacks "clp_p_cb2: pre_patch vmlinux" "clp_p_cb2: pre_patch clp_test_target" \
	"clp_p_cb2: post_patch vmlinux" "clp_p_cb2: post_patch clp_test_target"
patch_state clp_p_cb1 0 0

# enabling a shadowed patch runs nothing; rolling back runs both sides
dmesg_mark
put $SYSCLP/clp_p_cb1/enabled 1
expect_callbacks
put $SYSCLP/clp_p_cb2/enabled 0
expect_callbacks "clp_p_cb1: pre_patch vmlinux" "clp_p_cb1: pre_patch clp_test_target" \
	"clp_p_cb2: pre_unpatch vmlinux" "clp_p_cb2: pre_unpatch clp_test_target" \
	"clp_p_cb1: post_patch vmlinux" "clp_p_cb1: post_patch clp_test_target" \
	"clp_p_cb2: post_unpatch vmlinux" "clp_p_cb2: post_unpatch clp_test_target"
expect_file /proc/clp_target "f1=cb1-f1 f2=orig-f2 f3=orig-f3"
unload clp_p_cb2

# busy: cb2 prepares, the switch is refused, what was prepared is undone
put /proc/clp_target_ctl sleep
dmesg_mark
load_fails clp_p_cb2 EBUSY
expect_callbacks "clp_p_cb2: pre_patch vmlinux" "clp_p_cb2: pre_patch clp_test_target" \
	"clp_p_cb2: post_unpatch vmlinux" "clp_p_cb2: post_unpatch clp_test_target"
expect_file /proc/clp_target "f1=cb1-f1 f2=orig-f2 f3=orig-f3"
patch_state clp_p_cb1 1 1
put /proc/clp_target_ctl wake
put $SYSCLP/clp_p_cb1/enabled 0
unload clp_p_cb1

# a failing pre_patch refuses the patch; the object prepared before it
# gets its post_unpatch
dmesg_mark
load_fails clp_p_cb1 ENODEV fail_pre_patch=clp_test_target
expect_callbacks "clp_p_cb1: pre_patch vmlinux" "clp_p_cb1: pre_patch clp_test_target" \
	"clp_p_cb1: post_unpatch vmlinux"
expect_dmesg 'clp: clp_p_cb1: pre_patch callback of clp_test_target failed: -19'
expect_missing $SYSCLP/clp_p_cb1
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=orig-f3"
dmesg_mark
load_fails clp_p_cb1 ENODEV fail_pre_patch=vmlinux
expect_callbacks "clp_p_cb1: pre_patch vmlinux"
