#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shadow variables: the API step by step (clp_test_shadow, after upstream's
# test_klp_shadow_vars), and a cumulative patch that takes over the shadow
# variable of the patch it supersedes.
. "$(dirname "$0")/lib.sh"

load clp
dmesg_mark
load clp_test_shadow
for step in alloc get "get_or_alloc existing" "get_or_alloc new" "failing ctor" \
	free "free of a missing one" free_all "free_all without dtor"; do
	expect_dmesg "clp_test_shadow: $step: ok$"
done
expect_dmesg 'clp_test_shadow: dtor <obj0> value 11$'
expect_dmesg 'clp_test_shadow: dtor <obj2> value 33$'
expect_dmesg 'clp_test_shadow: all steps passed$'
expect_no_dmesg 'FAILED'
unload clp_test_shadow

load clp_test_target
load clp_p_sh1
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=calls-1"
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=calls-2"
load clp_p_sh2
unload clp_p_sh1
expect_file /proc/clp_target "f1=sh2-f1 f2=orig-f2 f3=calls-3"
# disabling frees it; enabled again, counting starts over
put $SYSCLP/clp_p_sh2/enabled 0
expect_file /proc/clp_target "f1=orig-f1 f2=orig-f2 f3=orig-f3"
put $SYSCLP/clp_p_sh2/enabled 1
expect_file /proc/clp_target "f1=sh2-f1 f2=orig-f2 f3=calls-1"
