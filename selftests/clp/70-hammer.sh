#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Processes call a patched getpid in a loop while patches are enabled,
# disabled and superseded over and over: every answer is the original or
# exactly one patch's version, and the kernel stays sound.
. "$(dirname "$0")/lib.sh"

load clp
clp-hammer -n 2 10 0,1,2,3 > /tmp/hammer.out 2>&1 &
hammer=$!
sleep 0.5
round=0
while [ $round -lt 3 ]; do
	load clp_p_a
	load clp_p_ab
	put $SYSCLP/clp_p_a/enabled 1
	put $SYSCLP/clp_p_ab/enabled 0
	load clp_p_abc
	put $SYSCLP/clp_p_abc/enabled 0
	put $SYSCLP/clp_p_ab/enabled 1
	put $SYSCLP/clp_p_ab/enabled 0
	put $SYSCLP/clp_p_a/enabled 0
	unload clp_p_a
	unload clp_p_ab
	unload clp_p_abc
	round=$((round + 1))
done
wait $hammer
rc=$?
sed 's/^/  /' /tmp/hammer.out
expect_eq "hammer exit" $rc 0
expect_grep /tmp/hammer.out '^hammer: calls=[1-9]'
for v in 0 1 2 3; do
	expect_grep /tmp/hammer.out "v$v=[1-9]"
done
